/// Which other origins' web pages may call the API from a browser (`http.cors`), per the Fetch
/// standard's CORS protocol (https://fetch.spec.whatwg.org/#http-cors-protocol). Empty by
/// default: no cross-origin access, and no CORS header is sent at all.
///
/// Credentials are bearer tokens the page sets itself in `Authorization`, never cookies, so
/// `Access-Control-Allow-Credentials` is not needed and not sent.
public struct CORSPolicy: Sendable, Equatable {
    /// Exact origins (`https://console.example.com`, scheme, host and port as the browser sends
    /// them in `Origin`), or `*` for any.
    public var allowedOrigins: [String] = []
    /// How long a browser may cache a preflight's answer, in seconds.
    public var maxAge = 600

    /// The API's methods.
    public static let allowedMethods = ["GET", "HEAD", "POST"]
    /// What a page may send besides the CORS-safelisted headers.
    public static let allowedHeaders = ["Authorization", "Content-Type", "If-None-Match", "Last-Event-ID", "traceparent", "X-Request-Id"]
    /// What a page may read of an answer besides the safelisted response headers.
    public static let exposedHeaders = ["ETag", "Location", "RateLimit", "RateLimit-Policy", "Retry-After", "X-Request-Id", "traceparent"]

    public init(allowedOrigins: [String] = [], maxAge: Int = 600) {
        self.allowedOrigins = allowedOrigins
        self.maxAge = maxAge
    }

    public var isEnabled: Bool { !allowedOrigins.isEmpty }

    /// The `Access-Control-Allow-Origin` value for a request from `origin`, nil when it is not
    /// allowed. Origins compare as ASCII case-insensitive serializations.
    func allowOrigin(for origin: String) -> String? {
        if allowedOrigins.contains("*") { return "*" }
        return allowedOrigins.contains { $0.lowercased() == origin.lowercased() } ? origin : nil
    }

    /// Why `text` is not an origin for `allowedOrigins`, nil when it is one: `*`, or
    /// `scheme://host[:port]` without a path, query or trailing slash.
    public static func problem(origin text: String) -> String? {
        if text == "*" { return nil }
        guard let separator = text.range(of: "://") else { return "'\(text)' is not an origin (scheme://host[:port], or *)" }
        let scheme = text[..<separator.lowerBound]
        let authority = text[separator.upperBound...]
        guard scheme == "http" || scheme == "https" else { return "'\(text)': an origin's scheme is http or https" }
        guard !authority.isEmpty, !authority.contains(where: { "/?#@ ".contains($0) }) else {
            return "'\(text)' is not an origin: only scheme://host[:port], no path, query, user or trailing slash"
        }
        return nil
    }
}
