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

/// An acknowledgment of a delivered message that came by another path (an asynchronous MDN, a
/// 997, a carrier's webhook), recorded in the endpoint's outbox stream by a route.
public struct Acknowledgment: Sendable, Equatable {
    /// The key the awaited message was recorded with (`AwaitingAcknowledgment.key`).
    public var key: String
    /// False for a negative acknowledgment (a rejecting 997, a failed MDN): the message is
    /// dead-lettered with `reason`.
    public var accepted: Bool
    public var reason: String?
    public var at: Date
    /// The inbound event it came from.
    public var sourceEventId: UUID?

    public init(key: String, accepted: Bool, reason: String? = nil, at: Date, sourceEventId: UUID? = nil) {
        self.key = key
        self.accepted = accepted
        self.reason = reason
        self.at = EventTime.truncated(at)
        self.sourceEventId = sourceEventId
    }
}

/// The events of `outbox-<endpoint>`: a message is queued, then each attempt is recorded until it
/// is delivered or dead-lettered; an endpoint that awaits acknowledgments records the wait and
/// the acknowledgments routes received.
public enum OutboxEvent: Sendable, Equatable {
    case queued(OutboxMessage)
    case attemptFailed(DeliveryAttempt)
    case delivered(messageId: UUID, attempt: Int, at: Date, statusCode: Int?, latencyMilliseconds: Int)
    case deadLettered(messageId: UUID, attempt: Int, at: Date, reason: String)
    /// The call succeeded; the message is settled when an acknowledgment with `key` comes, or
    /// handled per the endpoint's policy at `deadline`.
    case awaitingAcknowledgment(messageId: UUID, attempt: Int, at: Date, key: String, deadline: Date)
    case acknowledged(Acknowledgment)
    /// A held ordering key is free again (its dead letter was discarded).
    case orderingKeyReleased(key: String, messageId: UUID, at: Date)

    public static let queuedType = "OutboxMessageQueued"
    public static let attemptFailedType = "DeliveryAttemptFailed"
    public static let deliveredType = "MessageDelivered"
    public static let deadLetteredType = "MessageDeadLettered"
    public static let awaitingAcknowledgmentType = "AwaitingAcknowledgment"
    public static let acknowledgedType = "AcknowledgmentReceived"
    public static let orderingKeyReleasedType = "OrderingKeyReleased"

    public static func stream(forEndpoint endpoint: String) -> StreamName { StreamName(category: "outbox", id: endpoint) }

    /// The message the event is about (nil for an acknowledgment: only its key names one).
    public var messageId: UUID? {
        switch self {
        case .queued(let m): m.id
        case .attemptFailed(let a): a.messageId
        case .delivered(let id, _, _, _, _), .deadLettered(let id, _, _, _), .awaitingAcknowledgment(let id, _, _, _, _),
             .orderingKeyReleased(_, let id, _): id
        case .acknowledged: nil
        }
    }

    public var type: String {
        switch self {
        case .queued: Self.queuedType
        case .attemptFailed: Self.attemptFailedType
        case .delivered: Self.deliveredType
        case .deadLettered: Self.deadLetteredType
        case .awaitingAcknowledgment: Self.awaitingAcknowledgmentType
        case .acknowledged: Self.acknowledgedType
        case .orderingKeyReleased: Self.orderingKeyReleasedType
        }
    }

    /// The event, with an id derived from the message id and what happened, so recording the
    /// same fact twice cannot write it twice (an acknowledgment's id derives from its source event).
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
        case .acknowledged(let a):
            o["key"] = .string(a.key)
            o["accepted"] = .bool(a.accepted)
            o["reason"] = a.reason.map(JSONValue.string) ?? .null
            o["at"] = EventTime.encode(a.at)
            o["sourceEventId"] = a.sourceEventId.map { .string($0.uuidString.lowercased()) } ?? .null
            let derived = a.sourceEventId.map { DeterministicEventID.make(cause: $0, step: "acknowledgment:\(a.key)") }
                ?? DeterministicEventID.make(namespace: DeterministicEventID.namespace, name: "acknowledgment:\(a.key)@\(EventTime.milliseconds(a.at))")
            return NewEvent(id: explicitId ?? derived, type: type,
                            data: JSONValue.object(o).serialized(), metadata: EventMetadata(causationId: a.sourceEventId?.uuidString.lowercased()))
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
        case let .awaitingAcknowledgment(id, attempt, at, key, deadline):
            o["messageId"] = .string(id.uuidString.lowercased())
            o["attempt"] = .number(Double(attempt))
            o["at"] = EventTime.encode(at)
            o["key"] = .string(key)
            o["deadline"] = EventTime.encode(deadline)
            step = "attempt-\(attempt)-awaiting"
        case let .orderingKeyReleased(key, id, at):
            o["key"] = .string(key)
            o["messageId"] = .string(id.uuidString.lowercased())
            o["at"] = EventTime.encode(at)
            step = "ordering-key-released"
        }
        let id = messageId!
        return NewEvent(id: explicitId ?? DeterministicEventID.make(cause: id, step: step), type: type,
                        data: JSONValue.object(o).serialized(), metadata: EventMetadata(causationId: id.uuidString.lowercased()))
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
        case awaitingAcknowledgmentType:
            let p = try JSONFieldReader(eventType: event.type, data: event.data)
            return .awaitingAcknowledgment(messageId: try p.uuid("messageId"), attempt: try p.int("attempt"), at: try p.date("at"),
                                           key: try p.string("key"), deadline: try p.date("deadline"))
        case acknowledgedType:
            let p = try JSONFieldReader(eventType: event.type, data: event.data)
            return .acknowledged(Acknowledgment(key: try p.string("key"), accepted: try p.bool("accepted"), reason: try p.optionalString("reason"),
                                                at: try p.date("at"), sourceEventId: try p.optionalString("sourceEventId").flatMap(UUID.init(uuidString:))))
        case orderingKeyReleasedType:
            let p = try JSONFieldReader(eventType: event.type, data: event.data)
            return .orderingKeyReleased(key: try p.string("key"), messageId: try p.uuid("messageId"), at: try p.date("at"))
        default:
            return nil
        }
    }
}
