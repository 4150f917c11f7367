import JSON

/// Which order holds an external reference of a channel (`orderref-<channel>.<reference>`):
/// creating an order claims it with "no stream" expected, so of two orders with the same
/// reference only one can be created, whatever the race.
public struct OrderReferenceState: AggregateState {
    public static let category = "orderref"
    public static let claimed = "ExternalReferenceClaimed"
    public var orderId: String?
    public init() {}
    public mutating func apply(_ event: DomainEvent) throws(JSONFieldError) {
        guard event.type == Self.claimed else { return }
        orderId = try event.fields.string("orderId")
    }
}
