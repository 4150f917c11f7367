import Codecs
import Gateway

/// Where the idempotency key of an inbound webhook comes from (see the design card's
/// effectively-once rule: the key is committed with the events it causes).
public enum WebhookIdempotencyKey: Sendable, Equatable {
    /// The value of a request header, such as `X-Shopify-Webhook-Id` or `webhook-id`.
    case header(String)
    /// A JSONata expression over `{ "headers": {…}, "body": … }`, compiled and evaluated by the
    /// Mapping module in the source's wiring (not here).
    case expression(String)
}

/// One generic webhook source, as read from the `sources` section of the configuration.
/// Parsing YAML into this struct is the configuration layer's job; `validate()` is the check
/// it runs afterwards (and `paklog config check` reports).
public struct WebhookSourceConfiguration: Sendable, Equatable {
    /// URL path the source listens on, such as `/webhooks/shopify`.
    public var path: String
    /// Accepted request methods; anything else is answered 405.
    public var methods: [String]
    /// Largest accepted body; larger requests are answered 413.
    public var maxBodyBytes: Int
    /// Accepted media ranges (`type/subtype`, `type/*+suffix`, `type/*`, `*/*`). Matching ignores parameters
    /// such as `charset` and is case-insensitive (RFC 9110 §8.3.1).
    public var contentTypes: [String]
    /// How requests are authenticated. Deliberately without a default: `none` must be written.
    public var signature: WebhookSignatureScheme
    /// Where the idempotency key comes from; `nil` means the scheme's natural key if it has one
    /// (see `effectiveIdempotencyKey`).
    public var idempotencyKey: WebhookIdempotencyKey?
    /// Requests per second for the path, all senders together (`HTTPIngressHandler` answers 429
    /// past it); nil: no limit.
    public var rateLimit: RateLimiter.Limit?

    public static let defaultMaxBodyBytes = 1_048_576
    public static let defaultContentTypes = ["application/json"]
    public static let defaultMethods = ["POST"]

    public init(
        path: String,
        methods: [String] = Self.defaultMethods,
        maxBodyBytes: Int = Self.defaultMaxBodyBytes,
        contentTypes: [String] = Self.defaultContentTypes,
        signature: WebhookSignatureScheme,
        idempotencyKey: WebhookIdempotencyKey? = nil
    ) {
        self.path = path
        self.methods = methods
        self.maxBodyBytes = maxBodyBytes
        self.contentTypes = contentTypes
        self.signature = signature
        self.idempotencyKey = idempotencyKey
    }

    /// The configured key, or `webhook-id` for Standard Webhooks sources (the specification
    /// names it as the idempotency key); `nil` when there is none.
    public var effectiveIdempotencyKey: WebhookIdempotencyKey? {
        if let idempotencyKey { return idempotencyKey }
        if case .standardWebhooks = signature { return .header(StandardWebhooksScheme.idHeader) }
        return nil
    }

    /// Throws the first reason this source could not work.
    public func validate() throws(WebhookConfigurationError) {
        let pathBytes = Array(path.utf8)
        guard pathBytes.first == UInt8(ascii: "/"),
            !pathBytes.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") })
        else { throw .invalidPath(path) }
        guard maxBodyBytes > 0 else { throw .invalidMaxBodyBytes(maxBodyBytes) }
        guard !methods.isEmpty else { throw .noMethods }
        for method in methods where !HTTPToken.isValid(method) { throw .invalidMethod(method) }
        guard !contentTypes.isEmpty else { throw .noContentTypes }
        for contentType in contentTypes where MediaType(parsing: contentType, allowWildcards: true) == nil {
            throw .invalidContentType(contentType)
        }
        switch idempotencyKey {
        case .header(let name)? where !HTTPToken.isValid(name):
            throw .invalidHeaderName(name)
        case .expression(let source)? where source.trimmingASCIIWhitespace().isEmpty:
            throw .emptyIdempotencyExpression
        default:
            break
        }
        try signature.validate()
    }
}
