import Foundation

/// Something the dispatcher delivers outbox messages to (the generic `http` endpoint, a carrier
/// API, an AS2 partner, an SFTP drop …).
public protocol Endpoint: Sendable {
    /// Delivers one message. Throwing means "no answer" (connection refused, timeout …) and is
    /// treated as retryable; an answer that says "never" must be returned as `.permanent`.
    func deliver(_ message: OutboxMessage) async throws -> DeliveryOutcome
}

/// What an endpoint's partner said about one delivery attempt.
public enum DeliveryOutcome: Sendable, Equatable {
    /// Accepted (HTTP 2xx); `reply` is what the partner answered (recorded in `reply-<endpoint>`
    /// when the endpoint's exchange pattern is InOut).
    case delivered(statusCode: Int?, reply: EndpointReply? = nil)
    /// Try again later (408, 429, 5xx, timeouts, connection errors); `retryAfter` if the partner said when.
    case retryable(reason: String, statusCode: Int?, retryAfter: Duration?)
    /// Will never succeed as sent (other 4xx): dead-letter at once.
    case permanent(reason: String, statusCode: Int?)

    /// The HTTP classification: 2xx delivered; 408, 429 and 5xx retryable; other 4xx (and the
    /// unexpected 1xx/3xx, which a client following redirects should never see) permanent.
    public static func classify(httpStatus status: Int, retryAfter: Duration?, body: [UInt8], reply: EndpointReply? = nil) -> DeliveryOutcome {
        switch status {
        case 200..<300:
            return .delivered(statusCode: status, reply: reply)
        case 408, 429, 500..<600:
            return .retryable(reason: "HTTP \(status)\(Self.excerpt(body))", statusCode: status, retryAfter: retryAfter)
        default:
            return .permanent(reason: "HTTP \(status)\(Self.excerpt(body))", statusCode: status)
        }
    }

    /// The start of a response body for the error record (partners often explain themselves there).
    static func excerpt(_ body: [UInt8]) -> String {
        guard !body.isEmpty else { return "" }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return ": " + text + (body.count > 200 ? "…" : "")
    }
}

/// A partner's answer to a delivery (Camel's InOut exchange: the "out" message): a label, a
/// fulfillment id, a synchronous MDN.
public struct EndpointReply: Sendable, Equatable {
    public var statusCode: Int?
    /// Response header fields, names lowercased.
    public var headers: [String: String]
    public var body: [UInt8]
    /// The response's `Content-Type`, if it had one.
    public var mediaType: String?
    /// The key a later acknowledgment will carry, when the endpoint knows it from the answer (an
    /// AS2 Message-ID it generated, a job id the partner returned); nil: the endpoint's
    /// `acknowledgment.key` expression, else the message id.
    public var acknowledgmentKey: String?
    /// False when this delivery is complete as it is although the endpoint awaits
    /// acknowledgments: a 997 we send is not itself acknowledged.
    public var awaitsAcknowledgment: Bool

    public init(statusCode: Int?, headers: [String: String] = [:], body: [UInt8], mediaType: String? = nil, acknowledgmentKey: String? = nil,
                awaitsAcknowledgment: Bool = true) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
        self.mediaType = mediaType
        self.acknowledgmentKey = acknowledgmentKey
        self.awaitsAcknowledgment = awaitsAcknowledgment
    }
}
