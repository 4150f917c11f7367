import JSON

/// A packed carton (`pack-<cartonId>`, topic `pack-events`): its SSCC, what is in it, its label
/// and whether it left through the dock door.
public struct CartonState: AggregateState {
    public static let category = "pack"
    public static let packed = "CartonPacked"
    public static let labelRequested = "LabelRequested"
    public static let labelRecorded = "LabelRecorded"
    public static let labelVoided = "LabelVoided"
    public static let shipped = "CartonShipped"
    public static let cancelled = "CartonCancelled"

    public enum Status: String, Sendable { case none, packed, labelRequested = "label-requested", labelled, shipped, cancelled }

    public var status = Status.none
    public var cartonId = ""
    public var orderId = ""
    public var sscc = ""
    public var lines: [(line: Int, sku: String, quantity: Int)] = []
    public var carrier: String?
    public var service: String?
    public var trackingNumber: String?
    public var labelRequests = 0

    public init() {}

    public mutating func apply(_ event: DomainEvent) throws(JSONFieldError) {
        let f = try event.fields
        switch event.type {
        case Self.packed:
            status = .packed
            cartonId = try f.string("cartonId")
            orderId = try f.string("orderId")
            sscc = try f.string("sscc")
            lines = []
            for item in f.optional("lines")?.arrayValue ?? [] {
                let l = try JSONFieldReader(subject: "event '\(event.type)' lines", value: item)
                lines.append((try l.int("line"), try l.string("sku"), try l.int("quantity")))
            }
        case Self.labelRequested:
            status = .labelRequested
            carrier = try f.string("carrier")
            service = try f.string("service")
            labelRequests += 1
        case Self.labelRecorded:
            status = .labelled
            carrier = try f.string("carrier")
            service = try f.string("service")
            trackingNumber = try f.string("trackingNumber")
        case Self.labelVoided:
            trackingNumber = nil
            if status != .cancelled { status = .packed }
        case Self.shipped:
            status = .shipped
        case Self.cancelled:
            status = .cancelled
        default:
            break
        }
    }
}
