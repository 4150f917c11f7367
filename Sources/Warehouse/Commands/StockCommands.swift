import JSON

/// Receipts, adjustments and moves of stock.
enum StockCommands {
    /// Reads `sku`, `location` and `lot` and checks them against the catalog.
    private static func place(_ d: Decision, locationField: String = "location") async throws -> (sku: String, item: ItemState, place: StockPlace)? {
        let f = d.fields
        let sku = f.string("sku"), location = f.string(locationField), lot = f.optionalString("lot")
        var item: ItemState?
        if let sku {
            let i = try await d.load(ItemState.self, WarehouseStreams.item(sku))
            if !i.exists { d.reject("unknown-sku", f.path("sku"), "'\(sku)' is not a defined item") } else { item = i }
            if i.lotControlled && lot == nil { f.fail(field: "lot", "required", "'\(sku)' is lot-controlled: the lot is required") }
        }
        if let location {
            let l = try await d.load(LocationState.self, WarehouseStreams.location(location))
            if !l.exists { d.reject("unknown-location", f.path(locationField), "'\(location)' is not a defined location") }
        }
        guard let sku, let item, let location else { return nil }
        return (sku, item, StockPlace(location: location, lot: item.lotControlled ? lot : nil))
    }

    /// `ReceiveStock {sku, location, quantity, lot?, expiry?, receiptId?}`.
    static func receive(_ d: Decision) async throws {
        let f = d.fields
        let quantity = f.quantity("quantity")
        let expiry = f.optionalDate("expiry")
        let found = try await place(d)
        if let found, found.item.expiryControlled, expiry == nil { f.fail(field: "expiry", "required", "'\(found.sku)' is expiry-controlled: the expiry date is required") }
        guard let found, let quantity, !d.isRefused else { return }
        let data = found.place.merged(into: ["sku": .string(found.sku), "quantity": .int(quantity),
                                             "expiry": found.item.expiryControlled ? expiry.map(EventTime.encode) : nil,
                                             "receivedAt": EventTime.encode(d.now), "receiptId": .optional(f.optionalString("receiptId"))])
        try await d.emit(DomainEvent(InventoryState.received, data), to: WarehouseStreams.inventory(found.sku), as: InventoryState.self)
    }

    /// `AdjustStock {sku, location, lot?, delta | countedQuantity, reason}`: a count or a
    /// correction. It may not leave less on hand than orders hold there.
    static func adjust(_ d: Decision) async throws {
        let f = d.fields
        let reason = f.string("reason")
        let delta = f.optionalInt("delta"), counted = f.optionalInt("countedQuantity")
        if (delta == nil) == (counted == nil) { d.reject("required", f.path("delta"), "give either delta or countedQuantity") }
        guard let found = try await place(d), let reason, !d.isRefused else { return }
        let stream = WarehouseStreams.inventory(found.sku)
        let stock = try await d.load(InventoryState.self, stream)
        let balance = stock.balances[found.place] ?? StockBalance(onHand: 0, reserved: 0, expiry: nil, receivedAt: 0)
        let change = delta ?? (counted! - balance.onHand)
        if balance.onHand + change < 0 { d.reject("invalid", f.path("delta"), "would leave \(balance.onHand + change) on hand") }
        if balance.onHand + change < balance.reserved {
            d.reject("reserved", f.path("delta"), "would leave \(balance.onHand + change) on hand where orders hold \(balance.reserved); cancel or re-allocate them first")
        }
        guard !d.isRefused, change != 0 else { return }
        try await d.emit(DomainEvent(InventoryState.adjusted, found.place.merged(into: ["sku": .string(found.sku), "delta": .int(change), "reason": .string(reason)])),
                         to: stream, as: InventoryState.self)
    }

    /// `MoveStock {sku, from, to, lot?, quantity}`: only what no order holds can move.
    static func move(_ d: Decision) async throws {
        let f = d.fields
        let quantity = f.quantity("quantity")
        guard let source = try await place(d, locationField: "from") else { return }
        let to = f.string("to")
        if let to, !(try await d.load(LocationState.self, WarehouseStreams.location(to))).exists {
            d.reject("unknown-location", f.path("to"), "'\(to)' is not a defined location")
        }
        guard let to, let quantity, !d.isRefused else { return }
        let stream = WarehouseStreams.inventory(source.sku)
        let stock = try await d.load(InventoryState.self, stream)
        let available = stock.balances[source.place]?.available ?? 0
        if available < quantity { d.reject("insufficient-stock", f.path("quantity"), "only \(available) of '\(source.sku)' at \(source.place.location) is free to move") }
        if to == source.place.location { d.reject("invalid", f.path("to"), "is the same location as from") }
        guard !d.isRefused else { return }
        var data: [(String, JSONValue)] = [("sku", .string(source.sku)), ("from", .string(source.place.location)), ("to", .string(to)), ("quantity", .int(quantity))]
        if let lot = source.place.lot { data.append(("lot", .string(lot))) }
        try await d.emit(DomainEvent(InventoryState.moved, .object(.init(uniqueKeysWithValues: data))), to: stream, as: InventoryState.self)
    }
}
