/// An HTTP request method (RFC 9110 §9). Any token is allowed; the common ones have names.
public struct HTTPMethod: Sendable, Hashable, RawRepresentable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    public static let get: HTTPMethod = "GET"
    public static let head: HTTPMethod = "HEAD"
    public static let post: HTTPMethod = "POST"
    public static let put: HTTPMethod = "PUT"
    public static let patch: HTTPMethod = "PATCH"
    public static let delete: HTTPMethod = "DELETE"
    public static let options: HTTPMethod = "OPTIONS"

    public var description: String { rawValue }
}

/// One HTTP request to send with ``HTTPClient/execute(_:)``.
///
/// ```swift
/// let request = HTTPRequest(
///     method: .post, url: "https://carrier.example/api/shipments",
///     headers: ["Content-Type": "application/json", "Authorization": "Bearer …"],
///     body: Array(json.utf8), timeout: .seconds(10))
/// ```
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// Absolute `http` or `https` URL.
    public var url: String
    /// Request header fields. `Content-Length` and `Host` are set by the client; a body sent
    /// without a `Content-Type` goes without one (no form-encoding default is added).
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Total time allowed for this request, connection set-up included; `nil` uses
    /// ``HTTPClientConfiguration/totalTimeout``.
    public var timeout: Duration?
    /// Time allowed to establish a connection for this request (a partner's own limit); `nil`
    /// uses ``HTTPClientConfiguration/connectTimeout``. A reused connection needs none.
    public var connectTimeout: Duration?
    /// TLS settings for this request only (e.g. a partner's own pinned key or client
    /// certificate); `nil` uses ``HTTPClientConfiguration/tls``. libcurl reuses a connection
    /// only for requests whose TLS settings match the ones it was opened with.
    public var tls: TLSConfiguration?

    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        timeout: Duration? = nil,
        connectTimeout: Duration? = nil,
        tls: TLSConfiguration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.tls = tls
    }
}
