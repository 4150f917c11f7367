import EventStore
import JSON

/// The state of one aggregate, folded from its stream's events. A command loads it (from a
/// snapshot plus the events after it, or from the bus's cache), decides, and appends with the
/// version it loaded as the expected version.
public protocol AggregateState: Sendable {
    /// The stream category this aggregate lives in (`order` for `order-<id>`).
    static var category: String { get }
    init()
    /// Folds one event of this aggregate's stream. Unknown types are ignored (newer writers).
    mutating func apply(_ event: DomainEvent) throws(JSONFieldError)
    /// The state as a snapshot, or nil when this aggregate is not snapshotted.
    var snapshot: JSONValue? { get }
    /// Restores a snapshot written by `snapshot`.
    init(snapshot: JSONValue) throws(JSONFieldError)
}

extension AggregateState {
    public var snapshot: JSONValue? { nil }
    public init(snapshot: JSONValue) throws(JSONFieldError) {
        throw JSONFieldError(subject: "snapshot of \(Self.category)", field: "(data)", problem: "this aggregate has no snapshots")
    }
}

/// An event of the core before it is stored: its type and JSON body.
public struct DomainEvent: Sendable, Equatable {
    public var type: String
    public var data: JSONValue

    public init(_ type: String, _ data: JSONValue) {
        self.type = type
        self.data = data
    }

    /// A typed reader of the body, naming the event type in errors.
    public var fields: JSONFieldReader {
        get throws(JSONFieldError) { try JSONFieldReader(subject: "event '\(type)'", value: data) }
    }
}
