import EventStore
import JSON

/// Waves: created from allocated orders, released into optimized pick tasks.
enum WaveCommands {
    /// `CreateWave {waveId, orders: [orderId]}`: each order allocated (at least in part), not
    /// cancelled and in no other wave. `WavePlanner` chooses the orders when a planner creates it.
    static func create(_ d: Decision) async throws {
        let f = d.fields
        let waveId = f.string("waveId")
        let orderIds = f.stringArray("orders")
        if orderIds.isEmpty { f.fail(field: "orders", "required", "a wave has at least one order") }
        if Set(orderIds).count != orderIds.count { f.fail(field: "orders", "duplicate", "an order appears twice") }
        guard let waveId else { return }
        if let problem = WarehouseStreams.problem(withID: waveId) { f.fail(field: "waveId", "invalid", problem); return }
        let stream = WarehouseStreams.wave(waveId)
        if (try await d.load(WaveState.self, stream)).status != .none { d.reject("duplicate", "waveId", "wave '\(waveId)' already exists") }
        var lines = 0, units = 0
        for (i, id) in orderIds.enumerated() {
            let order = try await d.load(OrderState.self, WarehouseStreams.order(id))
            let path = "orders[\(i)]"
            if !order.exists { d.reject("unknown-order", path, "order '\(id)' does not exist"); continue }
            if order.isCancelled || order.isShipped { d.reject("invalid-state", path, "order '\(id)' is \(order.status.rawValue)") }
            if let other = order.waveId { d.reject("conflict", path, "order '\(id)' is already in wave '\(other)'") }
            if !order.lines.contains(where: { $0.allocated > 0 }) { d.reject("not-allocated", path, "order '\(id)' has nothing allocated") }
            lines += order.lines.filter { $0.allocated > 0 }.count
            units += order.lines.reduce(0) { $0 + $1.allocated }
        }
        guard !d.isRefused else { return }
        try await d.emit(DomainEvent(WaveState.created, .event(["waveId": .string(waveId), "orders": .array(orderIds.map { .string($0) }),
                                                                 "lines": .int(lines), "units": .int(units), "createdAt": EventTime.encode(d.now)])),
                         to: stream, as: WaveState.self)
        for id in orderIds {
            try await d.emit(DomainEvent(OrderState.waved, .event(["orderId": .string(id), "waveId": .string(waveId)])), to: WarehouseStreams.order(id), as: OrderState.self)
        }
    }

    /// `ReleaseWave {waveId}`: batches the wave's orders into pick tours within the tour limits,
    /// routes each optimally, and creates one task per tour (`<waveId>.<n>`).
    static func release(_ d: Decision) async throws {
        guard let waveId = d.fields.string("waveId") else { return }
        let stream = WarehouseStreams.wave(waveId)
        let wave = try await d.load(WaveState.self, stream)
        switch wave.status {
        case .none: d.reject("unknown-wave", "waveId", "wave '\(waveId)' does not exist"); return
        case .released: d.reject("invalid-state", "waveId", "wave '\(waveId)' is already released"); return
        case .created: break
        }
        var perOrder: [[PickTasks.Line]] = []
        for id in wave.orders {
            let order = try await d.load(OrderState.self, WarehouseStreams.order(id))
            guard !order.isCancelled else { continue }
            let lines = try await PickTasks.lines(d, try await PickTasks.reservations(d, of: order))
            if !lines.isEmpty { perOrder.append(lines) }
        }
        let pickOrders = perOrder.map { PickOrderLines(positions: $0.map(\.position), units: $0.reduce(0) { $0 + $1.quantity }) }
        let tours = TourPlanner.optimize(pickOrders, in: d.settings.layout, limits: d.settings.tourLimits)
        var created: [JSONValue] = []
        var total = 0.0
        for (n, tour) in tours.enumerated() {
            let task = try await PickTasks.create(d, taskId: "\(waveId).\(n + 1)", waveId: waveId, lines: tour.orderIndexes.flatMap { perOrder[$0] })
            total += task.distance
            created.append(.event(["taskId": .string(task.taskId), "orders": .array(task.orders.map { .string($0) }), "stops": .int(task.stops), "distance": .number(task.distance)]))
        }
        try await d.emit(DomainEvent(WaveState.released, .event(["waveId": .string(waveId), "tasks": .array(created), "distance": .number(total),
                                                                  "releasedAt": EventTime.encode(d.now)])),
                         to: stream, as: WaveState.self)
    }
}
