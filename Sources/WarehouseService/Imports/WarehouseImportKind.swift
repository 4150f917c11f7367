/// What a bulk import file holds, and the commands its records become.
public enum WarehouseImportKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// One row per order line; the rows of one order reference are one `CreateOrder`.
    case orders
    /// One `DefineItem` per row.
    case items
    /// One `DefineLocation` per row.
    case locations
    /// One `ReceiveStock` per row (or `AdjustStock`, when the mapping names it).
    case stock

    /// The command a record becomes when its mapping gives no `type`.
    public var defaultCommandType: String { commandTypes[0] }

    /// The commands a record of this kind may become (a mapping picks one with `type`).
    public var commandTypes: [String] {
        switch self {
        case .orders: ["CreateOrder"]
        case .items: ["DefineItem"]
        case .locations: ["DefineLocation"]
        case .stock: ["ReceiveStock", "AdjustStock"]
        }
    }

    /// The fields (dotted paths of a mapped row) the kind's commands cannot do without. When no
    /// row of a file gives one of them, the file's header lacks the column the mapping reads it
    /// from, and the file is refused as a whole instead of every row one by one.
    public var requiredFields: [String] {
        switch self {
        case .orders: ["orderId", "externalReference", "shipTo.name", "shipTo.address1", "shipTo.city", "shipTo.postalCode", "shipTo.country",
                       "serviceLevel", "line.sku", "line.quantity"]
        case .items: ["sku"]
        case .locations: ["location", "zone", "aisle", "bay"]
        case .stock: ["sku", "location"]
        }
    }

    /// The shipped mapping (`Mappings/imports/orders.yaml`), relative to the configuration's
    /// folder or the installed share directory.
    public var defaultMappingPath: String { "Mappings/imports/\(rawValue).yaml" }

    public var description: String { rawValue }
}
