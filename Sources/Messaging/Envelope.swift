import Codecs
import Foundation
import EventStore

/// One inbound message as a transport received it, before anything interprets it: the bytes,
/// the headers, who sent it and how to recognise a redelivery of it.
public struct Envelope: Sendable, Equatable {
    /// This message's own id (becomes the `MessageReceived` event's id).
    public var id: UUID
    /// The adapter instance that received it (`shopify`, `fedex-tracking`); names the inbox
    /// stream `inbox-<source>`. Must not contain `-` beyond what the stream name allows.
    public var source: String
    /// The partner it came from, if the adapter knows (`acme-3pl`).
    public var partner: String?
    /// Transport headers (HTTP fields, MQTT user properties, AS2 headers …); names as received.
    public var headers: [String: String]
    /// The payload exactly as received.
    public var body: [UInt8]
    /// When the transport finished receiving it.
    public var receivedAt: Date
    /// The partner's id for this message (`X-Shopify-Webhook-Id`, ISA13/GS06/ST02, AS2
    /// Message-ID, MQTT reader+tag+window …). The inbox keys deduplication on `source:key`.
    public var idempotencyKey: String
    /// The W3C trace context (traceparent/tracestate) the partner sent, if any.
    public var traceContext: TraceContext?

    public init(id: UUID = .timeOrdered(), source: String, partner: String? = nil, headers: [String: String] = [:], body: [UInt8],
                receivedAt: Date = Date(), idempotencyKey: String, traceContext: TraceContext? = nil) {
        self.id = id
        self.source = source
        self.partner = partner
        self.headers = headers
        self.body = body
        self.receivedAt = receivedAt
        self.idempotencyKey = idempotencyKey
        self.traceContext = traceContext
    }
}

/// W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` header
/// `version-traceid-parentid-flags` and the optional vendor `tracestate`.
public struct TraceContext: Sendable, Equatable {
    public var traceparent: String
    public var tracestate: String?

    /// Accepts a `traceparent` only in the form the recommendation defines (version 00: 2+32+16+2
    /// lowercase hex digits, trace id and parent id not all zeros); anything else is nil, as the
    /// recommendation says a receiver must then start a new trace.
    public init?(traceparent: String, tracestate: String? = nil) {
        let b = Array(traceparent.utf8)
        guard b.count == 55, b[2] == UInt8(ascii: "-"), b[35] == UInt8(ascii: "-"), b[52] == UInt8(ascii: "-") else { return nil }
        func hex(_ r: Range<Int>) -> Bool {
            b[r].allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
        }
        guard hex(0..<2), hex(3..<35), hex(36..<52), hex(53..<55) else { return nil }
        guard !(b[0] == UInt8(ascii: "f") && b[1] == UInt8(ascii: "f")) else { return nil }
        guard b[3..<35].contains(where: { $0 != UInt8(ascii: "0") }), b[36..<52].contains(where: { $0 != UInt8(ascii: "0") }) else { return nil }
        self.traceparent = traceparent
        self.tracestate = tracestate
    }

    /// The 32-hex-digit trace id.
    public var traceId: String { String(traceparent.utf8.dropFirst(3).prefix(32))! }

    /// A new trace, sampled (flags 01), for a request that came without one.
    public static func started() -> TraceContext {
        TraceContext(unchecked: "00-" + randomHex(16) + "-" + randomHex(8) + "-01", tracestate: nil)
    }

    /// The context this service passes on: the same trace, our own span as the parent id.
    public func child() -> TraceContext {
        let b = Array(traceparent.utf8)
        return TraceContext(unchecked: String(decoding: b[0..<36], as: UTF8.self) + Self.randomHex(8) + String(decoding: b[52...], as: UTF8.self),
                            tracestate: tracestate)
    }

    private init(unchecked traceparent: String, tracestate: String?) {
        self.traceparent = traceparent
        self.tracestate = tracestate
    }

    /// `count` random bytes as lowercase hex, never all zeros (the recommendation forbids that
    /// id). One generator call per 8 bytes: every request without a `traceparent` needs three ids.
    private static func randomHex(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 7)
        while bytes.count < count { withUnsafeBytes(of: generator.next() as UInt64) { bytes += $0 } }
        bytes.removeLast(bytes.count - count)
        if bytes.allSatisfy({ $0 == 0 }) { bytes[count - 1] = 1 }
        return Hex.encode(bytes)
    }
}
