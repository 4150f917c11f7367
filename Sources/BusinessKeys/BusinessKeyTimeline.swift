import EventStore
import Foundation
import JSON

/// What one search found: the keys that matched and every event of their flows, by position.
public struct BusinessKeyTimeline: Sendable {
    /// The keys the searched value matched (a value may be an order number and a webhook id).
    public var matches: [BusinessKey]
    public var entries: [BusinessKeyTimelineEntry]
    /// True when the flows held more events than one answer shows (`BusinessKeyIndex.entryLimit`).
    public var truncated: Bool
    /// The index had seen the log up to here when it answered.
    public var indexedThrough: Int64

    /// `{"matches": [...], "entries": [...], "truncated": …, "indexedThrough": …}`.
    public var json: JSONValue {
        [
            "matches": .array(matches.map { ["kind": .string($0.kind.rawValue), "value": .string($0.value)] }),
            "entries": .array(entries.map(\.json)),
            "truncated": .bool(truncated),
            "indexedThrough": .number(Double(indexedThrough)),
        ]
    }
}

/// One event of a timeline, with the step of the exchange it is and what came of it.
public struct BusinessKeyTimelineEntry: Sendable {
    /// Which part of an exchange an event is.
    public enum Step: String, Sendable {
        /// An envelope received from a partner (`inbox-<source>`), or its rejection.
        case inbound
        /// What a route wrote after applying its mapping (a topic or stream event with its route).
        case mapping
        /// A domain event of the core, caused by a command.
        case command
        /// A message queued for an endpoint.
        case outbound
        /// An attempt to deliver it, or its delivery.
        case delivery
        /// A reply, an MDN, a 997 or other acknowledgment, or the wait for one.
        case acknowledgment
        /// A dead letter, or a delivery given up.
        case deadLetter = "dead-letter"
        case other
    }

    public var position: Int64
    public var recordedAt: Date
    public var stream: String
    public var type: String
    public var step: Step
    /// `ok`, `failed`, `pending` or `info`: how the step ended, for a colour in the console.
    public var outcome: String
    /// One line a person reads: who, what, and the HTTP status, reason or acknowledgment.
    public var summary: String
    public var correlationId: String?
    /// The keys this event carries.
    public var keys: [BusinessKey]

    public var json: JSONValue {
        [
            "position": .number(Double(position)),
            "recordedAt": .string(ISO8601DateFormatter.milliseconds.string(from: recordedAt)),
            "stream": .string(stream), "type": .string(type), "step": .string(step.rawValue),
            "outcome": .string(outcome), "summary": .string(summary),
            "correlationId": correlationId.map(JSONValue.string) ?? .null,
            "keys": .array(keys.map { ["kind": .string($0.kind.rawValue), "value": .string($0.value)] }),
        ]
    }
}

extension ISO8601DateFormatter {
    /// `2026-12-04T01:02:03.456Z`.
    static var milliseconds: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }
}
