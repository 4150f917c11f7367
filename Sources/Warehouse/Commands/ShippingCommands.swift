import EventStore
import JSON

/// Pack, label, ship, deliver.
enum ShippingCommands {
    private static func carton(_ d: Decision) async throws -> (StreamName, CartonState)? {
        // A dock-door RFID read knows the SSCC, which is the carton's id when packing gave none.
        guard let id = d.fields.optionalString("cartonId") ?? d.fields.optionalString("sscc") else {
            d.fields.fail(field: "cartonId", "required", "is required (or sscc)"); return nil
        }
        let stream = WarehouseStreams.carton(id)
        let carton = try await d.load(CartonState.self, stream)
        if carton.status == .none { d.reject("unknown-carton", "cartonId", "carton '\(id)' does not exist"); return nil }
        if carton.status == .cancelled { d.reject("invalid-state", "cartonId", "carton '\(id)' is cancelled"); return nil }
        return (stream, carton)
    }

    /// `PackCarton {orderId, cartonId?, sscc?, lines [{line, quantity}], weightKg?, dimensionsCm
    /// {length, width, height}?}`: only what was picked and not yet packed. Without an SSCC one is
    /// made from the company prefix and a durable serial; without a carton id the SSCC is it.
    static func pack(_ d: Decision) async throws {
        let f = d.fields
        let orderId = f.string("orderId")
        let given = f.optionalString("sscc")
        if let given, let problem = GS1KeyProblem.sscc(given) { f.fail(field: "sscc", "invalid-sscc", problem) }
        let weight = f.optionalNumber("weightKg")
        if let weight, weight <= 0 { f.fail(field: "weightKg", "invalid", "must be positive") }
        var dimensions: JSONValue?
        if d.command.body["dimensionsCm"] != nil, let dims = f.object("dimensionsCm") {
            let l = dims.number("length"), w = dims.number("width"), h = dims.number("height")
            if let l, let w, let h { dimensions = ["length": .number(l), "width": .number(w), "height": .number(h)] }
        }
        var packed: [(line: Int, quantity: Int)] = []
        for l in f.array("lines") { if let n = l.int("line"), let q = l.quantity("quantity") { packed.append((n, q)) } }
        guard let orderId else { return }
        let orderStream = WarehouseStreams.order(orderId)
        let order = try await d.load(OrderState.self, orderStream)
        guard order.exists else { d.reject("unknown-order", "orderId", "order '\(orderId)' does not exist"); return }
        if order.isCancelled || order.isShipped { d.reject("invalid-state", "orderId", "order '\(orderId)' is \(order.status.rawValue)") }
        var lines: [JSONValue] = []
        for (i, p) in packed.enumerated() {
            guard let at = order.lineIndex(p.line) else { d.reject("invalid", "lines[\(i)].line", "order '\(orderId)' has no line \(p.line)"); continue }
            let l = order.lines[at]
            let open = l.picked - l.packed - packed[..<i].filter { $0.line == p.line }.reduce(0) { $0 + $1.quantity }
            if p.quantity > open { d.reject("not-picked", "lines[\(i)].quantity", "line \(p.line) has \(open) picked and not packed, not \(p.quantity)") }
            lines.append(.event(["line": .int(p.line), "sku": .string(l.sku), "quantity": .int(p.quantity)]))
        }
        guard !d.isRefused else { return }
        let sscc: String
        if let given { sscc = given } else {
            let counter = StreamName(category: SequenceState.category, id: "sscc")
            let next = (try await d.load(SequenceState.self, counter)).last + 1
            try await d.emit(DomainEvent(SequenceState.taken, .event(["value": .int(Int(next))])), to: counter, as: SequenceState.self)
            sscc = d.settings.sscc.sscc(serial: next)
        }
        let cartonId = f.optionalString("cartonId") ?? sscc
        let stream = WarehouseStreams.carton(cartonId)
        if (try await d.load(CartonState.self, stream)).status != .none { d.reject("duplicate", "cartonId", "carton '\(cartonId)' already exists"); return }
        try await d.emit(DomainEvent(CartonState.packed, .event(["cartonId": .string(cartonId), "orderId": .string(orderId), "sscc": .string(sscc), "lines": .array(lines),
                                                                  "weightKg": weight.map { .number($0) }, "dimensionsCm": dimensions, "at": EventTime.encode(d.now)])),
                         to: stream, as: CartonState.self)
        try await d.emit(DomainEvent(OrderState.cartonPacked, .event(["orderId": .string(orderId), "cartonId": .string(cartonId), "sscc": .string(sscc), "lines": .array(lines)])),
                         to: orderStream, as: OrderState.self)
    }

    /// `RequestLabel {cartonId, carrier?, service?}`: the carrier and service default to the
    /// settings' choice for the order's service level. A route sends the request to the carrier;
    /// its answer comes back as `RecordLabel`.
    static func requestLabel(_ d: Decision) async throws {
        guard let (stream, carton) = try await carton(d) else { return }
        if carton.status == .shipped || carton.status == .labelled { d.reject("invalid-state", "cartonId", "carton '\(carton.cartonId)' is \(carton.status.rawValue)"); return }
        let order = try await d.load(OrderState.self, WarehouseStreams.order(carton.orderId))
        let choice = d.settings.carrierServices[order.serviceLevel]
        guard let carrier = d.fields.optionalString("carrier") ?? choice?.carrier, let service = d.fields.optionalString("service") ?? choice?.service else {
            d.reject("required", "carrier", "no carrier and service given, and none configured for service level '\(order.serviceLevel)'"); return
        }
        let snapshot = try await d.load(CartonState.self, stream)
        let lines: [JSONValue] = snapshot.lines.map { .event(["line": .int($0.line), "sku": .string($0.sku), "quantity": .int($0.quantity)]) }
        try await d.emit(DomainEvent(CartonState.labelRequested, .event([
            "cartonId": .string(carton.cartonId), "orderId": .string(carton.orderId), "sscc": .string(carton.sscc), "carrier": .string(carrier), "service": .string(service),
            "serviceLevel": .string(order.serviceLevel), "shipTo": order.shipTo, "lines": .array(lines), "attempt": .int(carton.labelRequests + 1), "at": EventTime.encode(d.now),
        ])), to: stream, as: CartonState.self)
    }

    /// `RecordLabel {cartonId, trackingNumber, carrier?, service?, labelFormat?, label?}`: the
    /// carrier's answer (usually a route's mapping of the carrier's reply).
    static func recordLabel(_ d: Decision) async throws {
        let tracking = d.fields.string("trackingNumber")
        guard let (stream, carton) = try await carton(d), let tracking else { return }
        switch carton.status {
        case .labelRequested: break
        case .labelled where carton.trackingNumber == tracking: return  // the same answer again
        default: d.reject("invalid-state", "cartonId", "carton '\(carton.cartonId)' is \(carton.status.rawValue), not waiting for a label"); return
        }
        let carrier = d.fields.optionalString("carrier") ?? carton.carrier ?? "", service = d.fields.optionalString("service") ?? carton.service ?? ""
        try await d.emit(DomainEvent(CartonState.labelRecorded, .event([
            "cartonId": .string(carton.cartonId), "orderId": .string(carton.orderId), "sscc": .string(carton.sscc), "carrier": .string(carrier), "service": .string(service),
            "trackingNumber": .string(tracking), "labelFormat": .optional(d.fields.optionalString("labelFormat")), "label": .optional(d.fields.optionalString("label")),
            "at": EventTime.encode(d.now),
        ])), to: stream, as: CartonState.self)
    }

    /// `VoidLabel {cartonId, reason}`: the carton can be labelled again.
    static func voidLabel(_ d: Decision) async throws {
        guard let (stream, carton) = try await carton(d) else { return }
        guard carton.status == .labelled, let tracking = carton.trackingNumber else { d.reject("invalid-state", "cartonId", "carton '\(carton.cartonId)' has no label to void"); return }
        try await d.emit(DomainEvent(CartonState.labelVoided, .event(["cartonId": .string(carton.cartonId), "orderId": .string(carton.orderId), "trackingNumber": .string(tracking),
                                                                       "carrier": .optional(carton.carrier), "reason": .string(d.fields.optionalString("reason") ?? "voided")])),
                         to: stream, as: CartonState.self)
    }

    /// `ShipCarton {cartonId | sscc, door?}`: the carton left (a dock-door RFID read can issue
    /// it). The order's last carton out ships the order: `OrderShipped` with cartons, lines and
    /// tracking, which routes turn into fulfillments, 945/856 and ERP confirmations.
    static func ship(_ d: Decision) async throws {
        guard let (stream, carton) = try await carton(d) else { return }
        if carton.status == .shipped { return }  // a second read of the same tag
        guard carton.status == .labelled, let tracking = carton.trackingNumber else {
            d.reject("no-label", "cartonId", "carton '\(carton.cartonId)' is \(carton.status.rawValue): it ships with a label"); return
        }
        let door = d.fields.optionalString("door")
        try await d.emit(DomainEvent(CartonState.shipped, .event(["cartonId": .string(carton.cartonId), "orderId": .string(carton.orderId), "trackingNumber": .string(tracking),
                                                                   "door": .optional(door), "at": EventTime.encode(d.now)])),
                         to: stream, as: CartonState.self)
        d.record(DomainEvent("ShipmentDispatched", .event(["cartonId": .string(carton.cartonId), "orderId": .string(carton.orderId), "sscc": .string(carton.sscc),
                                                            "carrier": .optional(carton.carrier), "service": .optional(carton.service), "trackingNumber": .string(tracking),
                                                            "at": EventTime.encode(d.now)])),
                 to: WarehouseStreams.tracking(carton.cartonId))
        let orderStream = WarehouseStreams.order(carton.orderId)
        try await d.emit(DomainEvent(OrderState.cartonShipped, .event(["orderId": .string(carton.orderId), "cartonId": .string(carton.cartonId), "trackingNumber": .string(tracking)])),
                         to: orderStream, as: OrderState.self)
        let order = try await d.load(OrderState.self, orderStream)
        guard order.isFullyPacked, order.cartons.allSatisfy({ order.shippedCartons.contains($0) }) else { return }
        var cartons: [JSONValue] = []
        for id in order.cartons {
            let c = try await d.load(CartonState.self, WarehouseStreams.carton(id))
            cartons.append(.event(["cartonId": .string(id), "sscc": .string(c.sscc), "carrier": .optional(c.carrier), "service": .optional(c.service),
                                   "trackingNumber": .optional(c.trackingNumber),
                                   "lines": .array(c.lines.map { .event(["line": .int($0.line), "sku": .string($0.sku), "quantity": .int($0.quantity)]) })]))
        }
        let lines: [JSONValue] = order.lines.map { .event(["line": .int($0.line), "sku": .string($0.sku), "ordered": .int($0.quantity), "shipped": .int($0.picked)]) }
        try await d.emit(DomainEvent(OrderState.shipped, .event([
            "orderId": .string(order.orderId), "channel": .string(order.channel), "externalReference": .string(order.externalReference),
            "serviceLevel": .string(order.serviceLevel), "shipTo": order.shipTo, "cartons": .array(cartons), "lines": .array(lines), "at": EventTime.encode(d.now),
        ])), to: orderStream, as: OrderState.self)
    }

    /// `ConfirmDelivery {cartonId, signedBy?}`: the carrier delivered it; the last carton delivers the order.
    static func confirmDelivery(_ d: Decision) async throws {
        guard let (_, carton) = try await carton(d) else { return }
        guard carton.status == .shipped else { d.reject("invalid-state", "cartonId", "carton '\(carton.cartonId)' has not shipped"); return }
        let orderStream = WarehouseStreams.order(carton.orderId)
        let before = try await d.load(OrderState.self, orderStream)
        if before.deliveredCartons.contains(carton.cartonId) { return }
        d.record(DomainEvent("DeliveryConfirmed", .event(["cartonId": .string(carton.cartonId), "orderId": .string(carton.orderId), "trackingNumber": .optional(carton.trackingNumber),
                                                           "signedBy": .optional(d.fields.optionalString("signedBy")), "at": EventTime.encode(d.now)])),
                 to: WarehouseStreams.tracking(carton.cartonId))
        try await d.emit(DomainEvent(OrderState.cartonDelivered, .event(["orderId": .string(carton.orderId), "cartonId": .string(carton.cartonId)])), to: orderStream, as: OrderState.self)
        let order = try await d.load(OrderState.self, orderStream)
        if order.isShipped, order.cartons.allSatisfy({ order.deliveredCartons.contains($0) }) {
            try await d.emit(DomainEvent(OrderState.delivered, .event(["orderId": .string(order.orderId), "externalReference": .string(order.externalReference), "at": EventTime.encode(d.now)])),
                             to: orderStream, as: OrderState.self)
        }
    }
}
