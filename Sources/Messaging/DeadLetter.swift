import Collections
import EventStore
import Foundation
import JSON
import Mapping

/// A message that could not be delivered, as kept in `dlq-endpoint-<endpoint>`: the message (with its
/// route and mapping version) and every attempt's error.
public struct DeadLetter: Sendable, Equatable {
    public var message: OutboxMessage
    public var attempts: [DeliveryAttempt]
    public var reason: String
    public var at: Date
    /// Filled in when reading the stream: what happened to it since.
    public var status: Status = .open
    /// Global position of the dead-letter event (its handle for show/replay/discard).
    public var position: Int64 = 0

    public enum Status: Sendable, Equatable {
        case open
        /// Re-queued as message `asMessage` (possibly through a newer mapping version).
        case replayed(asMessage: UUID, at: Date, mappingVersion: String?)
        case discarded(at: Date, reason: String)
    }

    public init(message: OutboxMessage, attempts: [DeliveryAttempt], reason: String, at: Date) {
        self.message = message
        self.attempts = attempts
        self.reason = reason
        self.at = EventTime.truncated(at)
    }

    public static let type = "DeadLettered"
    public static let replayedType = "DeadLetterReplayed"
    public static let discardedType = "DeadLetterDiscarded"

    public static func stream(forEndpoint endpoint: String) -> StreamName { DeadLetterStream.stream(.endpoint, endpoint) }

    func newEvent() -> NewEvent {
        var extra: [String: String] = ["endpoint": message.endpoint]
        if let v = message.mappingVersion { extra["mappingVersion"] = v }
        if let r = message.route { extra["route"] = r }
        return NewEvent(id: DeterministicEventID.make(cause: message.id, step: "dead-letter"), type: Self.type,
                        data: JSONValue.object(record).serialized(),
                        metadata: EventMetadata(correlationId: message.correlationId, causationId: message.id.uuidString.lowercased(), extra: extra))
    }

    /// The dead letter as recorded in its event (the REST view adds status and position).
    var record: OrderedDictionary<String, JSONValue> {
        var o = OrderedDictionary<String, JSONValue>()
        o["messageId"] = .string(message.id.uuidString.lowercased())
        o["endpoint"] = .string(message.endpoint)
        o["route"] = message.route.map(JSONValue.string) ?? .null
        o["mappingVersion"] = message.mappingVersion.map(JSONValue.string) ?? .null
        o["reason"] = .string(reason)
        o["at"] = EventTime.encode(at)
        o["attempts"] = .array(attempts.map(\.jsonObject))
        o["message"] = message.jsonObject
        return o
    }

    init(event: RecordedEvent) throws {
        let p = try JSONFieldReader(eventType: event.type, data: event.data)
        let message = try OutboxMessage(json: try p.value("message"), eventType: event.type)
        guard case .array(let list) = try p.value("attempts") else {
            throw JSONFieldError(eventType: event.type, field: "attempts", problem: "is not an array")
        }
        let attempts = try list.map { item -> DeliveryAttempt in
            guard case .object(let o) = item else { throw JSONFieldError(eventType: event.type, field: "attempts[]", problem: "is not an object") }
            return try DeliveryAttempt(payload: JSONFieldReader(eventType: event.type, object: o))
        }
        self.init(message: message, attempts: attempts, reason: try p.string("reason"), at: try p.date("at"))
        self.position = event.position
    }
}
