import JSON

/// How stock of an item is chosen for an order.
public enum AllocationRule: String, Sendable, Equatable, CaseIterable {
    /// First in, first out: the oldest receipt first.
    case fifo = "FIFO"
    /// First expired, first out: the earliest expiry first (lot- and expiry-controlled items).
    case fefo = "FEFO"
}

/// An item of the catalog (`item-<sku>`): `ItemDefined`, again for a change.
public struct ItemState: AggregateState {
    public static let category = "item"
    public static let defined = "ItemDefined"

    public var exists = false
    public var sku = ""
    public var gtin: String?
    public var description: String?
    public var unitOfMeasure = "EA"
    public var lotControlled = false
    public var expiryControlled = false
    public var allocation = AllocationRule.fifo

    public init() {}

    public mutating func apply(_ event: DomainEvent) throws(JSONFieldError) {
        guard event.type == Self.defined else { return }
        let f = try event.fields
        exists = true
        sku = try f.string("sku")
        gtin = try f.optionalString("gtin")
        description = try f.optionalString("description")
        unitOfMeasure = try f.string("unitOfMeasure")
        lotControlled = try f.bool("lotControlled")
        expiryControlled = try f.bool("expiryControlled")
        allocation = AllocationRule(rawValue: try f.string("allocation")) ?? .fifo
    }
}

/// What a location is used for.
public enum LocationKind: String, Sendable, Equatable, CaseIterable {
    /// Where pickers pick from.
    case pickFace = "pick-face"
    /// Bulk storage that replenishes pick faces.
    case reserve
}

/// A storage location (`location-<id>`): zone, aisle, bay, level, x/y for travel distance.
public struct LocationState: AggregateState {
    public static let category = "location"
    public static let defined = "LocationDefined"

    public var exists = false
    public var id = ""
    public var zone = ""
    public var aisle = 0
    public var bay = 0
    public var level = 0
    public var x: Double?
    public var y: Double?
    public var kind = LocationKind.pickFace

    public init() {}

    public mutating func apply(_ event: DomainEvent) throws(JSONFieldError) {
        guard event.type == Self.defined else { return }
        let f = try event.fields
        exists = true
        id = try f.string("location")
        zone = try f.string("zone")
        aisle = try f.int("aisle")
        bay = try f.int("bay")
        level = try f.int("level")
        x = f.optional("x")?.doubleValue
        y = f.optional("y")?.doubleValue
        kind = LocationKind(rawValue: try f.string("kind")) ?? .pickFace
    }
}

/// A durable counter (`sequence-<name>`): its value is the stream's length, and taking the next
/// one appends with the current version expected, so a value is never handed out twice, even
/// across a crash (SSCC serial references).
public struct SequenceState: AggregateState {
    public static let category = "sequence"
    public static let taken = "SequenceValueTaken"
    public var last: UInt64 = 0
    public init() {}
    public mutating func apply(_ event: DomainEvent) throws(JSONFieldError) {
        guard event.type == Self.taken else { return }
        last = UInt64(try event.fields.int("value"))
    }
}
