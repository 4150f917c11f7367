import Messaging

/// The first link of the chain, for router routes and webhooks alike: the request's W3C trace
/// context (the caller's `traceparent` continued with a span of ours, or a new trace) and its
/// request id (the caller's `X-Request-Id` when usable, else derived from the trace).
public struct RequestIdentity: Sendable, Equatable {
    /// Our span: what goes into the envelope, the log lines and outbound calls' headers.
    public var trace: TraceContext
    public var requestId: String

    public static let traceparentField = "traceparent"
    public static let tracestateField = "tracestate"
    public static let requestIdField = "X-Request-Id"

    public init(traceparent: String?, tracestate: String? = nil, requestId: String?) {
        trace = (traceparent.flatMap { TraceContext(traceparent: $0, tracestate: tracestate) } ?? TraceContext.started()).child()
        self.requestId = requestId.flatMap(Self.usable) ?? trace.traceId + "-" + String(trace.traceparent.utf8.dropFirst(36).prefix(16))!
    }

    /// A caller's request id, if it is short visible ASCII (it goes into logs and headers).
    static func usable(_ text: String) -> String? {
        let b = Array(text.utf8)
        guard !b.isEmpty, b.count <= 128, b.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        return text
    }
}
