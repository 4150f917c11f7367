import Collections
import EventStore
import Foundation
import JSON
import Mapping

/// One failed delivery attempt, as recorded in the outbox stream (and copied into the dead
/// letter). `nextAttemptAt` is the durable schedule: after a restart the dispatcher waits for it
/// instead of starting the back-off again.
public struct DeliveryAttempt: Sendable, Equatable {
    public var messageId: UUID
    /// 1-based.
    public var attempt: Int
    public var at: Date
    public var error: String
    public var statusCode: Int?
    public var retryable: Bool
    /// When the next attempt is due; nil when this was the last one.
    public var nextAttemptAt: Date?

    public init(messageId: UUID, attempt: Int, at: Date, error: String, statusCode: Int? = nil, retryable: Bool, nextAttemptAt: Date?) {
        self.messageId = messageId
        self.attempt = attempt
        self.at = EventTime.truncated(at)
        self.error = error
        self.statusCode = statusCode
        self.retryable = retryable
        self.nextAttemptAt = nextAttemptAt.map(EventTime.truncated)
    }

    var jsonObject: JSONValue {
        var o = OrderedDictionary<String, JSONValue>()
        o["messageId"] = .string(messageId.uuidString.lowercased())
        o["attempt"] = .number(Double(attempt))
        o["at"] = EventTime.encode(at)
        o["error"] = .string(error)
        o["statusCode"] = statusCode.map { .number(Double($0)) } ?? .null
        o["retryable"] = .bool(retryable)
        o["nextAttemptAt"] = nextAttemptAt.map(EventTime.encode) ?? .null
        return .object(o)
    }

    init(payload p: JSONFieldReader) throws {
        self.init(messageId: try p.uuid("messageId"), attempt: try p.int("attempt"), at: try p.date("at"), error: try p.string("error"),
                  statusCode: try p.optionalInt("statusCode"), retryable: try p.bool("retryable"), nextAttemptAt: try p.optionalDate("nextAttemptAt"))
    }
}

/// The events of `outbox-<endpoint>`: a message is queued, then each attempt is recorded until it
/// is delivered or dead-lettered.
public enum OutboxEvent: Sendable, Equatable {
    case queued(OutboxMessage)
    case attemptFailed(DeliveryAttempt)
    case delivered(messageId: UUID, attempt: Int, at: Date, statusCode: Int?, latencyMilliseconds: Int)
    case deadLettered(messageId: UUID, attempt: Int, at: Date, reason: String)

    public static let queuedType = "OutboxMessageQueued"
    public static let attemptFailedType = "DeliveryAttemptFailed"
    public static let deliveredType = "MessageDelivered"
    public static let deadLetteredType = "MessageDeadLettered"

    public static func stream(forEndpoint endpoint: String) -> StreamName { StreamName(category: "outbox", id: endpoint) }

    public var messageId: UUID {
        switch self {
        case .queued(let m): m.id
        case .attemptFailed(let a): a.messageId
        case .delivered(let id, _, _, _, _), .deadLettered(let id, _, _, _): id
        }
    }

    public var type: String {
        switch self {
        case .queued: Self.queuedType
        case .attemptFailed: Self.attemptFailedType
        case .delivered: Self.deliveredType
        case .deadLettered: Self.deadLetteredType
        }
    }

    /// The event, with an id derived from the message id and what happened, so recording the
    /// same fact twice cannot write it twice.
    public func newEvent(id explicitId: UUID? = nil) -> NewEvent {
        var o = OrderedDictionary<String, JSONValue>()
        let step: String
        switch self {
        case .queued(let m):
            return NewEvent(id: explicitId ?? m.id, type: type, data: m.jsonObject.serialized(),
                            metadata: EventMetadata(correlationId: m.correlationId, causationId: m.causationId?.uuidString.lowercased(),
                                                    source: m.route, extra: m.mappingVersion.map { ["mappingVersion": $0] } ?? [:]))
        case .attemptFailed(let a):
            return NewEvent(id: explicitId ?? DeterministicEventID.make(cause: a.messageId, step: "attempt-\(a.attempt)-failed"), type: type,
                            data: a.jsonObject.serialized(), metadata: EventMetadata(causationId: a.messageId.uuidString.lowercased()))
        case let .delivered(id, attempt, at, status, latency):
            o["messageId"] = .string(id.uuidString.lowercased())
            o["attempt"] = .number(Double(attempt))
            o["at"] = EventTime.encode(at)
            o["statusCode"] = status.map { .number(Double($0)) } ?? .null
            o["latencyMs"] = .number(Double(latency))
            step = "delivered"
        case let .deadLettered(id, attempt, at, reason):
            o["messageId"] = .string(id.uuidString.lowercased())
            o["attempt"] = .number(Double(attempt))
            o["at"] = EventTime.encode(at)
            o["reason"] = .string(reason)
            step = "dead-lettered"
        }
        return NewEvent(id: explicitId ?? DeterministicEventID.make(cause: messageId, step: step), type: type,
                        data: JSONValue.object(o).serialized(), metadata: EventMetadata(causationId: messageId.uuidString.lowercased()))
    }

    /// Decodes an outbox stream event; nil for a type this module does not write there.
    public static func decode(_ event: RecordedEvent) throws -> OutboxEvent? {
        switch event.type {
        case queuedType:
            return .queued(try OutboxMessage(payload: JSONFieldReader(eventType: event.type, data: event.data)))
        case attemptFailedType:
            return .attemptFailed(try DeliveryAttempt(payload: JSONFieldReader(eventType: event.type, data: event.data)))
        case deliveredType:
            let p = try JSONFieldReader(eventType: event.type, data: event.data)
            return .delivered(messageId: try p.uuid("messageId"), attempt: try p.int("attempt"), at: try p.date("at"),
                              statusCode: try p.optionalInt("statusCode"), latencyMilliseconds: try p.int("latencyMs"))
        case deadLetteredType:
            let p = try JSONFieldReader(eventType: event.type, data: event.data)
            return .deadLettered(messageId: try p.uuid("messageId"), attempt: try p.int("attempt"), at: try p.date("at"), reason: try p.string("reason"))
        default:
            return nil
        }
    }
}
