import Codecs
/// An answer for a request that must be refused before its signature is even looked at.
public struct WebhookRequestRejection: Sendable, Equatable, CustomStringConvertible {
    /// HTTP status: 405, 413 or 415.
    public let status: Int
    /// Human-readable reason for the response body and the access log.
    public let message: String
    /// Header fields the response must carry (`Allow` with 405, RFC 9110 §15.5.6;
    /// `Accept-Post` with 415, the W3C Linked Data Platform's header for accepted POST types).
    public let headers: [(name: String, value: String)]

    public var description: String { "\(status): \(message)" }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.status == rhs.status && lhs.message == rhs.message
            && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }
}

/// The cheap checks of a webhook request, in the order the endpoint should apply them:
/// method (405), media type (415), size (413). A pure function of the request line and headers
/// (plus the body size once known), so the endpoint can refuse before reading the body.
///
/// Not checked here: that the body is well-formed JSON. The endpoint's wiring parses it with the
/// Mapping module's JSON parser, whose errors carry the byte offset, and answers 400 with that.
public struct WebhookRequestCheck: Sendable {
    public let methods: [String]
    public let maxBodyBytes: Int
    public let contentTypes: [String]
    private let ranges: [MediaType]

    public init(configuration: WebhookSourceConfiguration) {
        self.methods = configuration.methods
        self.maxBodyBytes = configuration.maxBodyBytes
        self.contentTypes = configuration.contentTypes
        // Unparseable patterns are refused by `WebhookSourceConfiguration.validate()`; here they
        // simply match nothing.
        self.ranges = configuration.contentTypes.compactMap { MediaType(parsing: $0, allowWildcards: true) }
    }

    /// `nil` when the request may proceed to signature verification.
    ///
    /// - Parameters:
    ///   - method: the request method, compared case-sensitively (RFC 9110 §9.1).
    ///   - contentType: the `Content-Type` value, or `nil` when absent.
    ///   - contentLength: the declared `Content-Length`, if any (checked before reading).
    ///   - bodySize: the number of body bytes actually read so far, if known (catches chunked
    ///     bodies without a declared length; call again when the limit is crossed).
    public func check(
        method: String, contentType: String?, contentLength: Int?, bodySize: Int? = nil
    ) -> WebhookRequestRejection? {
        guard methods.contains(method) else {
            return WebhookRequestRejection(
                status: 405,
                message: "method \(method.sanitizedForMessage(limit: 16)) is not allowed; use \(methods.joined(separator: ", "))",
                headers: [("Allow", methods.joined(separator: ", "))])
        }

        var accepted: String { contentTypes.joined(separator: ", ") }
        guard let contentType else {
            return WebhookRequestRejection(
                status: 415, message: "request has no Content-Type; accepted: \(accepted)",
                headers: [("Accept-Post", accepted)])
        }
        guard let mediaType = MediaType(parsing: contentType) else {
            return WebhookRequestRejection(
                status: 415,
                message: "Content-Type '\(contentType.sanitizedForMessage(limit: 64))' is not a media type; accepted: \(accepted)",
                headers: [("Accept-Post", accepted)])
        }
        guard ranges.contains(where: mediaType.isMatched(by:)) else {
            return WebhookRequestRejection(
                status: 415,
                message: "Content-Type \(mediaType.type)/\(mediaType.subtype) is not accepted; accepted: \(accepted)",
                headers: [("Accept-Post", accepted)])
        }

        if let contentLength, contentLength > maxBodyBytes {
            return WebhookRequestRejection(
                status: 413,
                message: "Content-Length \(contentLength) exceeds the limit of \(maxBodyBytes) bytes", headers: [])
        }
        if let bodySize, bodySize > maxBodyBytes {
            return WebhookRequestRejection(
                status: 413,
                message: "body of at least \(bodySize) bytes exceeds the limit of \(maxBodyBytes) bytes", headers: [])
        }
        return nil
    }
}
