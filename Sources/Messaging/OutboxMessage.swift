import Collections
import EventStore
import Foundation
import JSON
import Mapping

/// A message waiting in `outbox-<endpoint>` to be delivered: the mapped body and everything a
/// dead letter must tell later (route, mapping version, what the mapping was given).
public struct OutboxMessage: Sendable, Equatable {
    /// Derived from the cause (see `DeterministicEventID`); also the Standard-Webhooks `webhook-id`,
    /// so every redelivery of this message carries the same id and the receiver can deduplicate.
    public var id: UUID
    public var endpoint: String
    /// The route that produced it (nil when queued by hand, e.g. a replay from the CLI).
    public var route: String?
    /// The log event that caused it.
    public var causationId: UUID?
    /// Correlation id across split parts and aggregates (the originating message's id).
    public var correlationId: String?
    /// Headers the route set for the endpoint (merged over the endpoint's configured ones).
    public var headers: [String: String]
    /// The body to send; for a `raw` body, the view routes had of it.
    public var body: JSONValue
    /// Set when the body is not JSON: the bytes an endpoint sends, with their media type.
    public var raw: RawBody?
    /// Messages with the same key are delivered one at a time, in the order they were queued
    /// (nil: no order with any other message).
    public var orderingKey: String?
    /// The dead-lettered message this one replays (it takes that message's place in its key's order).
    public var replayOf: UUID?
    /// The mapping that produced `body` and its version, if a transform ran.
    public var mappingName: String?
    public var mappingVersion: String?
    /// What the last transform was given, so a dead letter can be re-mapped by a newer version.
    public var mappingInput: JSONValue?
    /// When it was queued (the cause's time, so re-deriving it yields the same event).
    public var enqueuedAt: Date

    public init(id: UUID, endpoint: String, route: String? = nil, causationId: UUID? = nil, correlationId: String? = nil,
                headers: [String: String] = [:], body: JSONValue, raw: RawBody? = nil, orderingKey: String? = nil, replayOf: UUID? = nil, mappingName: String? = nil, mappingVersion: String? = nil,
                mappingInput: JSONValue? = nil, enqueuedAt: Date) {
        self.id = id
        self.endpoint = endpoint
        self.route = route
        self.causationId = causationId
        self.correlationId = correlationId
        self.headers = headers
        self.body = raw?.view ?? body
        self.raw = raw
        self.orderingKey = orderingKey
        self.replayOf = replayOf
        self.mappingName = mappingName
        self.mappingVersion = mappingVersion
        self.mappingInput = mappingInput
        self.enqueuedAt = EventTime.truncated(enqueuedAt)
    }

    var jsonObject: JSONValue {
        var o = OrderedDictionary<String, JSONValue>()
        o["messageId"] = .string(id.uuidString.lowercased())
        o["endpoint"] = .string(endpoint)
        o["route"] = route.map(JSONValue.string) ?? .null
        o["causationId"] = causationId.map { .string($0.uuidString.lowercased()) } ?? .null
        o["correlationId"] = correlationId.map(JSONValue.string) ?? .null
        o["headers"] = .stringMap(headers)
        // A raw body is kept once, as its bytes; its view is derived from them again.
        o["body"] = raw == nil ? body : .null
        // Written only when set, so a plain message's event is what it was before these existed.
        if let raw { o["raw"] = raw.jsonObject }
        if let orderingKey { o["orderingKey"] = .string(orderingKey) }
        if let replayOf { o["replayOf"] = .string(replayOf.uuidString.lowercased()) }
        o["mappingName"] = mappingName.map(JSONValue.string) ?? .null
        o["mappingVersion"] = mappingVersion.map(JSONValue.string) ?? .null
        o["mappingInput"] = mappingInput ?? .null
        o["enqueuedAt"] = EventTime.encode(enqueuedAt)
        return .object(o)
    }

    init(payload p: JSONFieldReader) throws {
        self.init(id: try p.uuid("messageId"), endpoint: try p.string("endpoint"), route: try p.optionalString("route"),
                  causationId: try p.optionalString("causationId").flatMap(UUID.init(uuidString:)),
                  correlationId: try p.optionalString("correlationId"), headers: try p.stringMap("headers"),
                  body: try p.value("body"), raw: try RawBody.read("raw", of: p),
                  orderingKey: try p.optionalString("orderingKey"), replayOf: try p.optionalString("replayOf").flatMap(UUID.init(uuidString:)), mappingName: try p.optionalString("mappingName"),
                  mappingVersion: try p.optionalString("mappingVersion"), mappingInput: p.optional("mappingInput"),
                  enqueuedAt: try p.date("enqueuedAt"))
    }

    init(json: JSONValue, eventType: String) throws {
        guard case .object(let o) = json else { throw JSONFieldError(eventType: eventType, field: "message", problem: "is not an object") }
        try self.init(payload: JSONFieldReader(eventType: eventType, object: o))
    }
}
