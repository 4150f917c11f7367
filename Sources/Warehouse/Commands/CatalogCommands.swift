import JSON

/// Items and locations: the master data orders and stock refer to.
enum CatalogCommands {
    /// `DefineItem {sku, gtin?, description?, unitOfMeasure?, lotControlled?, expiryControlled?,
    /// allocation?: FIFO|FEFO}`; defining an item again changes it.
    static func defineItem(_ d: Decision) async throws {
        let f = d.fields
        let sku = f.string("sku")
        if let sku, let problem = WarehouseStreams.problem(withID: sku) { f.fail(field: "sku", "invalid", problem) }
        let gtin = f.optionalString("gtin")
        if let gtin, let problem = GS1KeyProblem.gtin(gtin) { f.fail(field: "gtin", "invalid-gtin", problem) }
        let lot = f.bool("lotControlled", default: false)
        let expiry = f.bool("expiryControlled", default: false)
        let rule = f.oneOf("allocation", AllocationRule.allCases.map(\.rawValue), default: expiry ? "FEFO" : "FIFO")
        if rule == "FEFO" && !expiry { f.fail(field: "allocation", "invalid", "FEFO needs an expiry-controlled item (expiryControlled: true)") }
        guard let sku, !d.isRefused else { return }
        var data: [(String, JSONValue)] = [("sku", .string(sku)), ("unitOfMeasure", .string(f.optionalString("unitOfMeasure") ?? "EA")),
                                           ("lotControlled", .bool(lot)), ("expiryControlled", .bool(expiry)), ("allocation", .string(rule ?? "FIFO"))]
        // GTIN-14 is the form GS1 stores: shorter GTINs are left-padded with zeros.
        if let gtin { data.append(("gtin", .string(String(repeating: "0", count: 14 - gtin.count) + gtin))) }
        if let text = f.optionalString("description") { data.append(("description", .string(text))) }
        try await d.emit(DomainEvent(ItemState.defined, .object(.init(uniqueKeysWithValues: data))), to: WarehouseStreams.item(sku), as: ItemState.self)
    }

    /// `DefineLocation {location, zone, aisle, bay, level?, x?, y?, kind?: pick-face|reserve}`.
    static func defineLocation(_ d: Decision) async throws {
        let f = d.fields
        let id = f.string("location")
        if let id, let problem = WarehouseStreams.problem(withID: id) { f.fail(field: "location", "invalid", problem) }
        let zone = f.string("zone")
        let aisle = f.int("aisle"), bay = f.int("bay")
        let level = f.optionalInt("level") ?? 0
        let kind = f.oneOf("kind", LocationKind.allCases.map(\.rawValue), default: LocationKind.pickFace.rawValue)
        let x = f.optionalNumber("x"), y = f.optionalNumber("y")
        if let aisle, aisle < 0 || aisle >= d.settings.layout.aisles {
            f.fail(field: "aisle", "invalid", "must be 0 to \(d.settings.layout.aisles - 1), the layout's aisles")
        }
        if let bay, bay < 0 || bay >= d.settings.layout.baysPerAisle {
            f.fail(field: "bay", "invalid", "must be 0 to \(d.settings.layout.baysPerAisle - 1), the layout's bays per aisle")
        }
        guard let id, let zone, let aisle, let bay, let kind, !d.isRefused else { return }
        var data: [(String, JSONValue)] = [("location", .string(id)), ("zone", .string(zone)), ("aisle", .number(Double(aisle))),
                                           ("bay", .number(Double(bay))), ("level", .number(Double(level))), ("kind", .string(kind))]
        if let x { data.append(("x", .number(x))) }
        if let y { data.append(("y", .number(y))) }
        try await d.emit(DomainEvent(LocationState.defined, .object(.init(uniqueKeysWithValues: data))), to: WarehouseStreams.location(id), as: LocationState.self)
    }
}
