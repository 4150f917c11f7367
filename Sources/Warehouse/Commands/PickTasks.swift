import EventStore
import JSON

/// Turns reservations into pick tasks: one task per tour, its lines in the tour's visiting order.
enum PickTasks {
    struct Line {
        var orderId: String
        var line: Int
        var sku: String
        var place: StockPlace
        var quantity: Int
        var position: PickPosition
        var zone: String
        var level: Int
    }

    struct Created {
        var taskId: String
        var orders: [String]
        var stops: Int
        var distance: Double
    }

    /// The pick lines of reservations, with where each location is.
    static func lines(_ d: Decision, _ reservations: [Allocation.Made]) async throws -> [Line] {
        var out: [Line] = []
        for r in reservations {
            let location = try await d.load(LocationState.self, WarehouseStreams.location(r.place.location))
            out.append(Line(orderId: r.orderId, line: r.line, sku: r.sku, place: r.place, quantity: r.quantity,
                            position: PickPosition(aisle: location.aisle, bay: location.bay), zone: location.zone, level: location.level))
        }
        return out
    }

    /// Everything stock holds for the order now (what a wave release turns into tasks).
    static func reservations(_ d: Decision, of order: OrderState) async throws -> [Allocation.Made] {
        var out: [Allocation.Made] = []
        for l in order.lines where l.allocated > 0 {
            let stock = try await d.load(InventoryState.self, WarehouseStreams.inventory(l.sku))
            for r in stock.reservations(order: order.orderId, line: l.line) {
                out.append(Allocation.Made(orderId: order.orderId, line: l.line, sku: l.sku, place: r.place, quantity: r.quantity))
            }
        }
        return out
    }

    /// Emits one `TaskCreated` for `lines` as one tour, routed optimally, and `OrderReleased` on
    /// each of its orders.
    static func create(_ d: Decision, taskId: String, waveId: String, lines: [Line]) async throws -> Created {
        let route = TourPlanner.route(Set(lines.map(\.position)), in: d.settings.layout, using: .optimal)
        var rank: [PickPosition: Int] = [:]
        for (i, p) in route.stops.enumerated() where rank[p] == nil { rank[p] = i }
        let sequenced = lines.sorted { a, b in
            let ra = rank[a.position] ?? .max, rb = rank[b.position] ?? .max
            if ra != rb { return ra < rb }
            if a.level != b.level { return a.level < b.level }
            return (a.place.location, a.orderId, a.line) < (b.place.location, b.orderId, b.line)
        }
        var orderIds: [String] = []
        var priority = Int.min
        var cutoff: Int64?
        for l in sequenced where !orderIds.contains(l.orderId) {
            orderIds.append(l.orderId)
            let order = try await d.load(OrderState.self, WarehouseStreams.order(l.orderId))
            priority = max(priority, order.priority)
            if let c = order.cutoff { cutoff = min(cutoff ?? c, c) }
        }
        let zones = Set(sequenced.map(\.zone))
        let taskLines: [JSONValue] = sequenced.enumerated().map { i, l in
            TaskLine(index: i, orderId: l.orderId, line: l.line, sku: l.sku, place: l.place, quantity: l.quantity).json
        }
        let data: JSONValue = .event(["taskId": .string(taskId), "kind": .string("pick"), "waveId": .string(waveId),
                                      "zone": .string(zones.count == 1 ? zones.first! : "mixed"),
                                      "cutoff": cutoff.map { .int64($0) }, "priority": .int(priority == .min ? 0 : priority),
                                      "createdAt": EventTime.encode(d.now), "distance": .number(route.distance), "lines": .array(taskLines)])
        try await d.emit(DomainEvent(TaskState.created, data), to: WarehouseStreams.task(taskId), as: TaskState.self)
        for orderId in orderIds {
            try await d.emit(DomainEvent(OrderState.released, .event(["orderId": .string(orderId), "waveId": .string(waveId), "tasks": .array([.string(taskId)])])),
                             to: WarehouseStreams.order(orderId), as: OrderState.self)
        }
        return Created(taskId: taskId, orders: orderIds, stops: route.stops.count, distance: route.distance)
    }

    /// After a released order got new reservations (a short re-allocated, stock arrived for a
    /// back-order): one more task for them, so they are picked too.
    static func followUp(_ d: Decision, order: OrderState, _ made: [Allocation.Made]) async throws {
        guard order.waveReleased, let waveId = order.waveId, !made.isEmpty else { return }
        let version = d.loadedVersion(WarehouseStreams.order(order.orderId)) ?? 0
        _ = try await create(d, taskId: "\(waveId).\(order.orderId).\(version + 1)", waveId: waveId, lines: try await lines(d, made))
    }
}
