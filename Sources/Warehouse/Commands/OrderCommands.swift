import EventStore
import JSON

/// Orders: creation with validation and allocation, allocation retries, cancellation.
enum OrderCommands {
    /// `CreateOrder {orderId, channel, externalReference, shipTo {name, address1, city,
    /// postalCode, country, state?}, serviceLevel, cutoff?, priority?, backOrderPolicy?,
    /// lines [{line?, sku, quantity}]}`: validated with every reason at once, then allocated.
    static func create(_ d: Decision) async throws {
        let f = d.fields
        let orderId = f.string("orderId")
        let channel = f.string("channel")
        let reference = f.string("externalReference")
        let serviceLevel = f.string("serviceLevel")
        let cutoff = f.optionalDate("cutoff")
        let priority = f.optionalInt("priority") ?? 0
        let policy = f.oneOf("backOrderPolicy", BackOrderPolicy.allCases.map(\.rawValue), default: d.settings.backOrderPolicy.rawValue)
        var shipTo: JSONValue = .null
        if let address = f.object("shipTo") {
            for field in ["name", "address1", "city", "postalCode", "country"] { _ = address.string(field) }
            if let country = address.optionalString("country"), country.utf8.count != 2 {
                address.fail(field: "country", "invalid", "must be an ISO 3166-1 alpha-2 code such as US or DE, got '\(country)'")
            }
            shipTo = d.command.body["shipTo"] ?? .null
        }
        var lines: [(line: Int, sku: String, quantity: Int)] = []
        var seen: Set<Int> = []
        for (i, l) in f.array("lines").enumerated() {
            let number = l.optionalInt("line") ?? i + 1
            if !seen.insert(number).inserted { l.fail(field: "line", "duplicate", "line \(number) appears twice") }
            let sku = l.string("sku"), quantity = l.quantity("quantity")
            if let sku, !(try await d.load(ItemState.self, WarehouseStreams.item(sku))).exists {
                d.reject("unknown-sku", l.path("sku"), "'\(sku)' is not a defined item")
            }
            if let sku, let quantity { lines.append((number, sku, quantity)) }
        }
        guard let orderId else { return }
        let stream = WarehouseStreams.order(orderId)
        if let problem = WarehouseStreams.problem(withID: orderId) { f.fail(field: "orderId", "invalid", problem); return }
        if (try await d.load(OrderState.self, stream)).exists { d.reject("duplicate", f.path("orderId"), "order '\(orderId)' already exists") }
        if let channel, let reference {
            let claim = try await d.load(OrderReferenceState.self, WarehouseStreams.orderReference(channel: channel, reference: reference))
            if let other = claim.orderId {
                d.reject("duplicate-reference", f.path("externalReference"), "'\(reference)' of channel '\(channel)' is already order '\(other)'")
            }
        }
        guard let channel, let reference, let serviceLevel, let policy, !d.isRefused else { return }
        try await d.emit(DomainEvent(OrderReferenceState.claimed, .event(["orderId": .string(orderId), "channel": .string(channel), "externalReference": .string(reference)])),
                         to: WarehouseStreams.orderReference(channel: channel, reference: reference), as: OrderReferenceState.self)
        let json: [JSONValue] = lines.map { .event(["line": .int($0.line), "sku": .string($0.sku), "quantity": .int($0.quantity)]) }
        try await d.emit(DomainEvent(OrderState.created, .event([
            "orderId": .string(orderId), "channel": .string(channel), "externalReference": .string(reference), "shipTo": shipTo,
            "serviceLevel": .string(serviceLevel), "cutoff": cutoff.map(EventTime.encode), "priority": .int(priority),
            "backOrderPolicy": .string(policy), "createdAt": EventTime.encode(d.now), "lines": .array(json),
        ])), to: stream, as: OrderState.self)
        try await Allocation.allocate(d, orderId: orderId)
    }

    /// `AllocateOrder {orderId}`: allocates what a back-ordered order still misses (the saga
    /// issues it when stock arrives). Nothing to allocate is not an error.
    static func allocate(_ d: Decision) async throws {
        guard let orderId = d.fields.string("orderId") else { return }
        let order = try await d.load(OrderState.self, WarehouseStreams.order(orderId))
        guard order.exists else { d.reject("unknown-order", "orderId", "order '\(orderId)' does not exist"); return }
        if order.isCancelled || order.isShipped { return }
        let made = try await Allocation.allocate(d, orderId: orderId)
        try await PickTasks.followUp(d, order: try await d.load(OrderState.self, WarehouseStreams.order(orderId)), made)
    }

    /// `CancelOrder {orderId, reason}`: at any stage before shipping. Compensates everything the
    /// order holds: reservations released, its lines on open tasks cancelled, picked units
    /// returned to where they were picked, labels voided, cartons cancelled.
    static func cancel(_ d: Decision) async throws {
        let f = d.fields
        guard let orderId = f.string("orderId") else { return }
        let reason = f.optionalString("reason") ?? "cancelled"
        let stream = WarehouseStreams.order(orderId)
        let order = try await d.load(OrderState.self, stream)
        guard order.exists else { d.reject("unknown-order", "orderId", "order '\(orderId)' does not exist"); return }
        if order.isCancelled { d.reject("invalid-state", "orderId", "order '\(orderId)' is already cancelled"); return }
        if order.isShipped { d.reject("invalid-state", "orderId", "order '\(orderId)' has shipped; a return is not a cancellation"); return }
        let stage = order.status

        for l in order.lines where l.allocated > 0 {
            let inventory = WarehouseStreams.inventory(l.sku)
            for r in (try await d.load(InventoryState.self, inventory)).reservations(order: orderId, line: l.line) {
                try await d.emit(DomainEvent(InventoryState.released, r.place.merged(into: [
                    "sku": .string(l.sku), "orderId": .string(orderId), "line": .int(l.line), "quantity": .int(r.quantity), "reason": .string("order cancelled"),
                ])), to: inventory, as: InventoryState.self)
            }
        }
        for taskId in order.tasks {
            let taskStream = WarehouseStreams.task(taskId)
            let task = try await d.load(TaskState.self, taskStream)
            for l in task.lines where l.orderId == orderId && l.picked > 0 {
                try await d.emit(DomainEvent(InventoryState.returned, l.place.merged(into: [
                    "sku": .string(l.sku), "orderId": .string(orderId), "line": .int(l.line), "quantity": .int(l.picked), "reason": .string("order cancelled after pick"),
                ])), to: WarehouseStreams.inventory(l.sku), as: InventoryState.self)
            }
            guard task.isActive else { continue }
            let open = task.lines.filter { $0.orderId == orderId && $0.status == .open }.map(\.index)
            guard !open.isEmpty else { continue }
            try await d.emit(DomainEvent(TaskState.linesCancelled, .event(["taskId": .string(taskId), "orderId": .string(orderId), "indexes": .array(open.map { .int($0) })])),
                             to: taskStream, as: TaskState.self)
            try await TaskCommands.finishIfDone(d, taskStream)
        }
        for cartonId in order.cartons {
            let cartonStream = WarehouseStreams.carton(cartonId)
            let carton = try await d.load(CartonState.self, cartonStream)
            if let tracking = carton.trackingNumber {
                try await d.emit(DomainEvent(CartonState.labelVoided, .event(["cartonId": .string(cartonId), "orderId": .string(orderId), "trackingNumber": .string(tracking),
                                                                                "carrier": .optional(carton.carrier), "reason": .string("order cancelled")])),
                                 to: cartonStream, as: CartonState.self)
            }
            try await d.emit(DomainEvent(CartonState.cancelled, .event(["cartonId": .string(cartonId), "orderId": .string(orderId)])), to: cartonStream, as: CartonState.self)
        }
        try await d.emit(DomainEvent(OrderState.cancelled, .event(["orderId": .string(orderId), "reason": .string(reason), "stage": .string(stage.rawValue),
                                                                    "externalReference": .string(order.externalReference), "channel": .string(order.channel)])),
                         to: stream, as: OrderState.self)
    }
}
