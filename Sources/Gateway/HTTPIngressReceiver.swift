import Codecs

/// A partner-facing HTTP endpoint that the gateway answers in the connection pipeline, ahead of
/// the router (see `HTTPIngressHandler`): webhook sources now, AS2 and other transports later.
/// An adapter implements it; the gateway knows nothing else of the adapter.
///
/// The handler calls `precheck` when a request's head arrives (answering at once and closing the
/// connection when it refuses), collects the body up to `maxBodyBytes` (answering `oversize`
/// past it), then calls `receive` once with the whole request. Nothing is read twice: a request
/// that reaches `receive` has passed `precheck` and the size limit.
public protocol HTTPIngressReceiver: Sendable {
    /// The request path it answers (exact match, query excluded), e.g. `/webhooks/orders`.
    var path: String { get }
    /// The largest body it reads.
    var maxBodyBytes: Int { get }
    /// Checks that can be made before the body is read; nil when reading may go on.
    func precheck(method: String, contentType: String?, contentLength: Int?) -> HTTPIngressReply?
    /// The answer for a body larger than `maxBodyBytes` that declared no (or a false) length.
    func oversize(bytesRead: Int) -> HTTPIngressReply
    /// Mutual TLS: the client certificates that may call this path, and whose they are; nil:
    /// none asked for. The handler refuses other callers (403) before the body is read.
    var clientCertificate: ClientCertificateRequirement? { get }
    /// Requests per second (a token bucket for the path, all senders together); nil: no limit.
    /// Past it the handler answers 429 with `Retry-After` before the body is read.
    var rateLimit: RateLimiter.Limit? { get }
    /// Handles a complete request that passed `precheck` and the size limit. Header names keep
    /// their case as received; `traceparent` is our span of the request's trace (the gateway
    /// continues or starts it). `peer` says what TLS established, the partner included when
    /// `clientCertificate` mapped one.
    func receive(method: String, headers: [(String, String)], body: [UInt8], peer: HTTPIngressPeer) async -> HTTPIngressReply
}

extension HTTPIngressReceiver {
    public var clientCertificate: ClientCertificateRequirement? { nil }
    public var rateLimit: RateLimiter.Limit? { nil }
}

/// What an ingress receiver answers.
public struct HTTPIngressReply: Sendable, Equatable {
    public var status: Int
    /// Extra header fields (`Content-Length`, `Date` and the content type are set by the gateway).
    public var headers: [(String, String)]
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], contentType: String = "application/json", body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.contentType = contentType
        self.body = body
    }

    public static func == (a: HTTPIngressReply, b: HTTPIngressReply) -> Bool {
        a.status == b.status && a.contentType == b.contentType && a.body == b.body && a.headers.elementsEqual(b.headers) { $0 == $1 }
    }
}

/// The header fields of an ingress request as a map for the envelope and for expressions.
public enum HTTPIngressFields {
    /// Names lowercased (HTTP field names are case-insensitive, RFC 9110 §5.1); repeated fields
    /// joined with ", " as RFC 9110 §5.3 allows; credentials (`Authorization`,
    /// `Proxy-Authorization`, `Cookie`) left out, so that they never reach the log.
    public static func map(_ headers: [(String, String)]) -> [String: String] {
        var map: [String: String] = [:]
        for (name, value) in headers {
            let n = name.asciiLowercased()
            if n == "authorization" || n == "proxy-authorization" || n == "cookie" { continue }
            map[n] = map[n].map { $0 + ", " + value } ?? value
        }
        return map
    }
}
