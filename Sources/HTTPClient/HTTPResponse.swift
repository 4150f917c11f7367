/// The HTTP version a response arrived with.
public enum HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    case http1_0
    case http1_1
    case http2
    case http3
    /// A version libcurl reported that this module does not know.
    case other(Int)

    public var description: String {
        switch self {
        case .http1_0: "HTTP/1.0"
        case .http1_1: "HTTP/1.1"
        case .http2: "HTTP/2"
        case .http3: "HTTP/3"
        case .other(let code): "HTTP(curl version code \(code))"
        }
    }
}

/// A complete HTTP response. Every status code, 4xx and 5xx included, is a response and not an
/// error: deciding what a status means is the caller's business.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header fields of the final response (after redirects, without interim 1xx responses).
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Wall time of the whole transfer, name resolution and connection set-up included
    /// (libcurl's `CURLINFO_TOTAL_TIME_T`); meant for latency metrics.
    public var totalTime: Duration
    public var httpVersion: HTTPVersion
    /// Whether the request went over a connection that was already open (no new connection
    /// was made for it).
    public var connectionReused: Bool
    /// The URL that answered, which differs from the request's when redirects were followed.
    public var effectiveURL: String

    public init(
        status: Int, headers: HTTPHeaders, body: [UInt8], totalTime: Duration,
        httpVersion: HTTPVersion, connectionReused: Bool, effectiveURL: String
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.totalTime = totalTime
        self.httpVersion = httpVersion
        self.connectionReused = connectionReused
        self.effectiveURL = effectiveURL
    }

    /// The `Retry-After` field (RFC 9110 §10.2.3) when present and well-formed.
    public var retryAfter: RetryAfter? {
        guard let value = headers.first("Retry-After") else { return nil }
        return try? RetryAfter.parse(Array(value.utf8))
    }
}
