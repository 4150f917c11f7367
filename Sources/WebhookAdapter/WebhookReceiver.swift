import Codecs
import EventStore
import Foundation
import Gateway
import JSON
import Logging
import Mapping
import Messaging
import Metrics

/// The generic webhook source: turns one HTTP request into an `Envelope` in the inbox, or into a
/// rejection that names what was wrong. Order of checks: method, content type, size (nothing read
/// or stored), signature (nothing stored), JSON (the raw bytes go to the source's dead letters,
/// because a correctly signed message is the partner's word and must not vanish), idempotency
/// key, then the durable append. Only after the append returns is the partner answered 202
/// (the ack rule).
public struct WebhookReceiver: HTTPIngressReceiver {
    public let source: String
    public let configuration: WebhookSourceConfiguration
    private let check: WebhookRequestCheck
    private let verifier: WebhookVerifier
    private let keyExpression: JSONataExpression?
    private let inbox: Inbox
    private let logger: Logger
    private let signatureFailures: Counter

    public init(source: String, configuration: WebhookSourceConfiguration, inbox: Inbox, logger: Logger) throws {
        try configuration.validate()
        self.source = source
        self.configuration = configuration
        check = WebhookRequestCheck(configuration: configuration)
        verifier = try WebhookVerifier(scheme: configuration.signature)
        if case .expression(let text)? = configuration.effectiveIdempotencyKey {
            keyExpression = try JSONataExpression(text)
        } else {
            keyExpression = nil
        }
        self.inbox = inbox
        signatureFailures = Counter(label: "paklog_webhook_signature_failures_total", dimensions: [("source", source)])
        var logger = logger
        logger[metadataKey: "source"] = "\(source)"
        self.logger = logger
    }

    /// What to answer the partner: a small JSON document, the receipt or `{"error": …}`.
    public typealias Reply = HTTPIngressReply

    public var path: String { configuration.path }
    public var maxBodyBytes: Int { configuration.maxBodyBytes }
    public var rateLimit: RateLimiter.Limit? { configuration.rateLimit }

    /// Checks that can be made before the body is read; nil when reading may go on.
    public func precheck(method: String, contentType: String?, contentLength: Int?) -> Reply? {
        guard let rejection = check.check(method: method, contentType: contentType, contentLength: contentLength) else { return nil }
        return reject(rejection.status, rejection.message, headers: rejection.headers)
    }

    /// The answer for a body larger than `maxBodyBytes` that declared no (or a false) length.
    public func oversize(bytesRead: Int) -> Reply {
        reject(413, "body exceeds the limit of \(configuration.maxBodyBytes) bytes")
    }

    /// True when the idempotency key is computed from the parsed body (an expression, or the
    /// digest of its canonical form).
    private var keyNeedsBody: Bool {
        if case .header? = configuration.effectiveIdempotencyKey { return false }
        return true
    }

    /// Handles a complete request that the gateway has had `precheck` pass and kept within
    /// `maxBodyBytes` (the `HTTPIngressReceiver` entry point).
    public func receive(method: String, headers: [(String, String)], body: [UInt8], peer: HTTPIngressPeer) async -> Reply {
        await handle(method: method, headers: headers, body: body, now: Date(), prechecked: true)
    }

    /// Handles a complete request.
    ///
    /// - Parameter prechecked: the caller has had `precheck` pass for this request and kept the
    ///   body within `maxBodyBytes` while reading it, so method, media type and size are not
    ///   checked again.
    public func handle(method: String, headers: [(String, String)], body: [UInt8], now: Date = Date(), prechecked: Bool = false) async -> Reply {
        if !prechecked {
            let contentType = headers.first { $0.0.equalsIgnoringASCIICase("content-type") }?.1
            if let early = check.check(method: method, contentType: contentType, contentLength: nil, bodySize: body.count) {
                return reject(early.status, early.message, headers: early.headers)
            }
        }
        do {
            _ = try verifier.verify(headers: headers, body: body, now: now)
        } catch {
            signatureFailures.increment()
            // 401 for a missing signature too: without a valid one the sender is not authenticated
            // (the verifier's finer 400/401 split is kept in the message).
            return reject(401, error.description, headers: [("WWW-Authenticate", "Signature")])
        }

        let headerObject = HTTPIngressFields.map(headers)
        let key: String
        // A byte-level check is enough to accept the body; a value tree is built only when the
        // idempotency key must be computed from it.
        var json: JSONValue?
        do {
            try JSONText.validate(body)
            if keyNeedsBody { json = try JSONValue(parsing: body) }
        } catch {
            let reason = "body is not valid JSON: \(error)"
            let fallbackKey = (try? idempotencyKey(headers: headerObject, body: nil)) ?? Self.digestKey(body)
            return await deadLetter(body: body, headers: headerObject, key: fallbackKey, reason: reason, now: now)
        }
        do {
            key = try idempotencyKey(headers: headerObject, body: json)
        } catch {
            return reject(400, "\(error)")
        }

        let envelope = Envelope(
            source: source, headers: headerObject, body: body, receivedAt: now, idempotencyKey: key,
            traceContext: headerObject["traceparent"].flatMap { TraceContext(traceparent: $0, tracestate: headerObject["tracestate"]) })
        do {
            let receipt = try await inbox.accept(envelope, bodyIsJSON: true)
            return Self.accepted(receipt)
        } catch {
            logger.error("could not store webhook", metadata: ["error": "\(error)"])
            return reject(503, "the message could not be stored; retry later", headers: [("Retry-After", "5")])
        }
    }

    struct MissingKey: Error, CustomStringConvertible {
        let description: String
    }

    /// The partner's id for this message, as configured; without configuration, the SHA-256 of
    /// the body (so an identical redelivery is recognised).
    func idempotencyKey(headers: [String: String], body: JSONValue?) throws -> String {
        switch configuration.effectiveIdempotencyKey {
        case .header(let name)?:
            guard let value = headers[name.asciiLowercased()], !value.isEmpty else {
                throw MissingKey(description: "idempotency key header '\(name)' is missing")
            }
            return value
        case .expression?:
            guard let expression = keyExpression, let body else { throw MissingKey(description: "idempotency key expression needs a JSON body") }
            var headerObject = JSONValue.object([:])
            if case .object(var o) = headerObject {
                for (k, v) in headers.sorted(by: { $0.key < $1.key }) { o[k] = .string(v) }
                headerObject = .object(o)
            }
            let input: JSONValue = ["headers": headerObject, "body": body]
            let value: JSONValue?
            do {
                value = try expression.evaluate(input)
            } catch {
                throw MissingKey(description: "idempotency key expression failed: \(error)")
            }
            switch value {
            case .string(let s)? where !s.isEmpty: return s
            case .number(let n)?: return JSONValue.number(n).jsonString
            default: throw MissingKey(description: "idempotency key expression gave no string or number")
            }
        case nil:
            return Self.digestKey(body == nil ? [] : body!.serialized())
        }
    }

    static func digestKey(_ bytes: [UInt8]) -> String {
        "sha256:" + Hex.encode(Digest.hash(bytes, .sha256))
    }

    private func deadLetter(body: [UInt8], headers: [String: String], key: String, reason: String, now: Date) async -> Reply {
        let envelope = Envelope(source: source, headers: headers, body: body, receivedAt: now, idempotencyKey: key)
        do {
            let receipt = try await inbox.reject(envelope, reason: reason)
            logger.warning("unprocessable webhook kept in dead letters", metadata: ["reason": "\(reason)", "position": "\(receipt.position)"])
            return reject(400, reason + " (kept as dead letter at position \(receipt.position))")
        } catch {
            logger.error("could not keep an unprocessable webhook", metadata: ["error": "\(error)"])
            return reject(503, "the message could not be stored; retry later", headers: [("Retry-After", "5")])
        }
    }

    private func reject(_ status: Int, _ message: String, headers: [(String, String)] = []) -> Reply {
        Counter(label: "paklog_webhook_rejected_total", dimensions: [("source", source), ("status", String(status))]).increment()
        logger.info("webhook rejected", metadata: ["status": "\(status)", "reason": "\(message)"])
        let body: JSONValue = ["error": .string(message), "status": .number(Double(status))]
        return Reply(status: status, headers: headers, body: body.serialized())
    }

    static func accepted(_ receipt: Receipt) -> Reply {
        var body = JSONTextWriter(capacity: 128)
        body.raw("{\"receipt\":")
        body.string(receipt.messageId.uuidString.lowercased())
        body.raw(",\"stream\":")
        body.string(receipt.stream.rawValue)
        body.raw(",\"position\":")
        body.integer(receipt.position)
        body.raw(receipt.duplicate ? ",\"duplicate\":true}" : ",\"duplicate\":false}")
        return Reply(status: 202, headers: [], body: body.bytes)
    }
}
