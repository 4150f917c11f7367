import Collections
import EventStore
import Foundation
import Mapping

/// The `MessageReceived` event an envelope becomes in `inbox-<source>`.
///
/// The body is kept losslessly. When it is JSON whose compact encoding is exactly the received
/// bytes, it is embedded as JSON under `body` (readable in the log, queryable, no double decoding);
/// any other body — XML, X12, pretty-printed or non-canonical JSON, binary — is stored as base64
/// under `bodyBase64`. Either way, decoding gives back the received bytes exactly, which matters
/// for evidence (signatures, MICs) and for re-parsing later.
public enum EnvelopeEvent {
    public static let type = "MessageReceived"

    public static func stream(forSource source: String) -> StreamName { StreamName(category: "inbox", id: source) }

    /// The event for `envelope` (its id is the envelope's id).
    public static func encode(_ envelope: Envelope) -> NewEvent {
        var o = OrderedDictionary<String, JSONValue>()
        o["id"] = .string(envelope.id.uuidString.lowercased())
        o["source"] = .string(envelope.source)
        o["partner"] = envelope.partner.map(JSONValue.string) ?? .null
        o["idempotencyKey"] = .string(envelope.idempotencyKey)
        o["receivedAt"] = EventTime.encode(envelope.receivedAt)
        o["headers"] = .stringMap(envelope.headers)
        if let trace = envelope.traceContext {
            o["traceparent"] = .string(trace.traceparent)
            if let state = trace.tracestate { o["tracestate"] = .string(state) }
        }
        if let json = try? JSONValue(parsing: envelope.body), json.serialized() == envelope.body {
            o["body"] = json
        } else {
            o["bodyBase64"] = .string(Data(envelope.body).base64EncodedString())
        }
        var extra: [String: String] = ["idempotencyKey": envelope.idempotencyKey]
        if let trace = envelope.traceContext { extra["traceparent"] = trace.traceparent }
        if let partner = envelope.partner { extra["partner"] = partner }
        return NewEvent(id: envelope.id, type: type, data: JSONValue.object(o).serialized(),
                        metadata: EventMetadata(correlationId: envelope.id.uuidString.lowercased(), source: envelope.source, extra: extra))
    }

    /// The envelope a `MessageReceived` event holds.
    public static func decode(_ event: RecordedEvent) throws -> Envelope {
        let p = try EventPayload(type: event.type, data: event.data)
        guard event.type == type else { throw EventPayloadError(eventType: event.type, field: "(type)", problem: "is not \(type)") }
        let body: [UInt8]
        if let json = p.optional("body") {
            body = json.serialized()
        } else {
            let text = try p.string("bodyBase64")
            guard let data = Data(base64Encoded: text) else { throw EventPayloadError(eventType: type, field: "bodyBase64", problem: "is not base64") }
            body = Array(data)
        }
        var trace: TraceContext?
        if let parent = try p.optionalString("traceparent") { trace = TraceContext(traceparent: parent, tracestate: try p.optionalString("tracestate")) }
        return Envelope(id: try p.uuid("id"), source: try p.string("source"), partner: try p.optionalString("partner"),
                        headers: try p.stringMap("headers"), body: body, receivedAt: try p.date("receivedAt"),
                        idempotencyKey: try p.string("idempotencyKey"), traceContext: trace)
    }
}
