import Collections
import EventStore
import Foundation
import JSON

/// The `ReplyReceived` events of `reply-<endpoint>`: what the partner answered to a delivery of an
/// InOut endpoint (Camel's out message), correlated to the queued message (`causationId` its
/// id, the same `correlationId`). A route reads them with `from: reply:<endpoint>`; its
/// expressions see the event's data:
///
/// ```json
/// {"messageId": "…", "endpoint": "fedex", "route": "labels", "attempt": 1, "statusCode": 200,
///  "headers": {"content-type": "application/json"}, "mediaType": "application/json",
///  "body": {…the answer, when it is JSON…}, "raw": {"mediaType": "application/pdf", "base64": "…"},
///  "request": {…the body that was sent…}}
/// ```
public enum ReplyEvent {
    public static let type = "ReplyReceived"

    /// The category of the reply streams (no route writes to it).
    public static let category = "reply"

    public static func stream(forEndpoint endpoint: String) -> StreamName { StreamName(category: category, id: endpoint) }

    /// The event recording `reply` to attempt `attempt` of `message`. A JSON answer is embedded as
    /// JSON; any other answer is kept as its exact bytes under `raw`.
    static func newEvent(_ reply: EndpointReply, to message: OutboxMessage, attempt: Int, at: Date) -> NewEvent {
        var o = OrderedDictionary<String, JSONValue>()
        o["messageId"] = .string(message.id.uuidString.lowercased())
        o["endpoint"] = .string(message.endpoint)
        o["route"] = message.route.map(JSONValue.string) ?? .null
        o["attempt"] = .number(Double(attempt))
        o["at"] = EventTime.encode(at)
        o["statusCode"] = reply.statusCode.map { .number(Double($0)) } ?? .null
        o["headers"] = .stringMap(reply.headers)
        o["mediaType"] = reply.mediaType.map(JSONValue.string) ?? .null
        if reply.body.isEmpty {
            o["body"] = .null
        } else if let json = try? JSONValue(parsing: reply.body) {
            o["body"] = json
        } else {
            o["body"] = .null
            o["raw"] = RawBody(bytes: reply.body, mediaType: reply.mediaType).jsonObject
        }
        o["request"] = message.body
        return NewEvent(id: DeterministicEventID.make(cause: message.id, step: "reply-\(attempt)"), type: type,
                        data: JSONValue.object(o).serialized(),
                        metadata: EventMetadata(correlationId: message.correlationId, causationId: message.id.uuidString.lowercased(),
                                                source: message.endpoint))
    }
}

/// The `DeliveryFailed` events that put an endpoint's permanent failures on the business side's
/// topic `error-events` (beside the operator's `dlq-endpoint-<name>`): the original message's
/// correlation id, the endpoint, the reason and the attempts, so a route or the WMS core can mark
/// an order "label failed: address invalid". Each endpoint writes its own stream of the topic,
/// `error-endpoint.<name>`, as routes write `<category>-route.<route>`.
public enum DeliveryFailure {
    public static let type = "DeliveryFailed"

    public static let topic = Topic(category: "error")!

    public static func stream(forEndpoint endpoint: String) -> StreamName { StreamName(category: topic.category, id: "endpoint.\(endpoint)") }

    static func newEvent(_ letter: DeadLetter) -> NewEvent {
        let m = letter.message
        var o = OrderedDictionary<String, JSONValue>()
        o["messageId"] = .string(m.id.uuidString.lowercased())
        o["endpoint"] = .string(m.endpoint)
        o["route"] = m.route.map(JSONValue.string) ?? .null
        o["correlationId"] = m.correlationId.map(JSONValue.string) ?? .null
        o["causationId"] = m.causationId.map { .string($0.uuidString.lowercased()) } ?? .null
        o["reason"] = .string(letter.reason)
        o["attempts"] = .number(Double(letter.attempts.count))
        o["lastError"] = letter.attempts.last.map { .string($0.error) } ?? .null
        o["statusCode"] = letter.attempts.last?.statusCode.map { .number(Double($0)) } ?? .null
        o["at"] = EventTime.encode(letter.at)
        o["body"] = m.body
        return NewEvent(id: DeterministicEventID.make(cause: m.id, step: "delivery-failed"), type: type,
                        data: JSONValue.object(o).serialized(),
                        metadata: EventMetadata(correlationId: m.correlationId, causationId: m.id.uuidString.lowercased(), source: m.endpoint))
    }
}
