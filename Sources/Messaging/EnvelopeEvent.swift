import Codecs
import EventStore
import Foundation
import JSON
import Mapping

/// The `MessageReceived` event an envelope becomes in `inbox-<source>`.
///
/// The body is kept losslessly. When it is JSON (checked with `JSONText.validate`), its bytes are
/// embedded as they came under `body`: readable in the log, queryable, and neither parsed nor
/// re-serialized on the ingest path. Any other body (XML, X12, binary) is stored as base64 under
/// `bodyBase64`. Either way, decoding gives back the received bytes exactly (the embedded text is
/// cut out of the event by its byte range), which matters for evidence (signatures, MICs) and for
/// re-parsing later.
public enum EnvelopeEvent {
    public static let type = "MessageReceived"

    public static func stream(forSource source: String) -> StreamName { StreamName(category: "inbox", id: source) }

    /// The event for `envelope` (its id is the envelope's id).
    ///
    /// - Parameter bodyIsJSON: true when the caller has checked the body with `JSONText.validate`;
    ///   then it is embedded without a second pass. A wrong `true` cannot corrupt the log: the
    ///   store validates every event's data and refuses the append.
    public static func encode(_ envelope: Envelope, bodyIsJSON: Bool = false) -> NewEvent {
        let id = envelope.id.uuidString.lowercased()
        var w = JSONTextWriter(capacity: envelope.body.count + 256 + 64 * envelope.headers.count)
        w.raw("{\"id\":"); w.string(id)
        w.raw(",\"source\":"); w.string(envelope.source)
        w.raw(",\"partner\":")
        if let partner = envelope.partner { w.string(partner) } else { w.raw("null") }
        w.raw(",\"idempotencyKey\":"); w.string(envelope.idempotencyKey)
        w.raw(",\"receivedAt\":"); w.integer(EventTime.milliseconds(envelope.receivedAt))
        w.raw(",\"headers\":{")
        // Sorted names: the same envelope always gives the same bytes.
        for (index, name) in envelope.headers.keys.sorted().enumerated() {
            if index > 0 { w.raw(",") }
            w.string(name); w.raw(":"); w.string(envelope.headers[name]!)
        }
        w.raw("}")
        if let trace = envelope.traceContext {
            w.raw(",\"traceparent\":"); w.string(trace.traceparent)
            if let state = trace.tracestate { w.raw(",\"tracestate\":"); w.string(state) }
        }
        if bodyIsJSON || (try? JSONText.validate(envelope.body)) != nil {
            w.raw(",\"body\":"); w.validatedJSON(envelope.body)
        } else {
            w.raw(",\"bodyBase64\":"); w.string(Base64.encode(envelope.body))
        }
        w.raw("}")
        var extra: [String: String] = ["idempotencyKey": envelope.idempotencyKey]
        if let trace = envelope.traceContext { extra["traceparent"] = trace.traceparent }
        if let partner = envelope.partner { extra["partner"] = partner }
        return NewEvent(id: envelope.id, type: type, data: w.bytes,
                        metadata: EventMetadata(correlationId: id, source: envelope.source, extra: extra))
    }

    /// The envelope a `MessageReceived` event holds.
    public static func decode(_ event: RecordedEvent) throws -> Envelope {
        guard event.type == type else { throw JSONFieldError(eventType: event.type, field: "(type)", problem: "is not \(type)") }
        // The embedded body is cut out by its byte range and the rest parsed without it: a
        // route would otherwise build a value tree of every body only to throw it away.
        var body: [UInt8]?
        var rest = event.data
        if let value = try? JSONText.memberRange("body", in: event.data) {
            // `encode` writes the body right after `"body":` and right before the closing brace,
            // so whitespace around the value is the body's own (a trailing newline, say).
            func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
            var lower = value.lowerBound
            while lower > 0, isSpace(event.data[lower - 1]) { lower -= 1 }
            var upper = value.upperBound
            while upper < event.data.count, isSpace(event.data[upper]) { upper += 1 }
            body = Array(event.data[lower..<upper])
            rest = Array(event.data[..<lower]) + Array("0".utf8) + Array(event.data[upper...])
        }
        let p = try JSONFieldReader(eventType: event.type, data: rest)
        if body == nil {
            let text = try p.string("bodyBase64")
            do { body = try Base64.decode(text) } catch {
                throw JSONFieldError(eventType: type, field: "bodyBase64", problem: "is not base64: \(error)")
            }
        }
        var trace: TraceContext?
        if let parent = try p.optionalString("traceparent") { trace = TraceContext(traceparent: parent, tracestate: try p.optionalString("tracestate")) }
        return Envelope(id: try p.uuid("id"), source: try p.string("source"), partner: try p.optionalString("partner"),
                        headers: try p.stringMap("headers"), body: body ?? [], receivedAt: try p.date("receivedAt"),
                        idempotencyKey: try p.string("idempotencyKey"), traceContext: trace)
    }
}
