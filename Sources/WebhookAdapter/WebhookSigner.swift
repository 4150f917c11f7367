import Codecs

/// The three Standard Webhooks headers for one delivery.
public struct StandardWebhooksHeaders: Sendable, Equatable {
    /// `webhook-id`
    public let id: String
    /// `webhook-timestamp`, seconds since the Unix epoch.
    public let timestamp: Int64
    /// `webhook-signature`: space-separated `v1,<base64>` entries, one per signing secret.
    public let signature: String

    /// As header fields, in the specification's order and spelling.
    public var fields: [(name: String, value: String)] {
        [
            (StandardWebhooksScheme.idHeader, id),
            (StandardWebhooksScheme.timestampHeader, String(timestamp)),
            (StandardWebhooksScheme.signatureHeader, signature),
        ]
    }
}

/// Why a delivery could not be signed.
public enum WebhookSigningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The specification asks that the id "not be allowed to include any `.`" (it is a field
    /// separator of the signed content); it must also be a non-empty, single-line header value.
    case invalidID(reason: String)
    /// Timestamps before the epoch cannot be written as the unsigned integer receivers expect.
    case negativeTimestamp(Int64)

    public var description: String {
        switch self {
        case .invalidID(let reason): "invalid webhook-id: \(reason)"
        case .negativeTimestamp(let value): "webhook-timestamp \(value) is negative"
        }
    }
}

/// Signs outbound deliveries the Standard Webhooks way (`v1`, HMAC-SHA256). Used by the outbound
/// dispatcher and by `paklog webhook sign`.
///
/// With several secrets (a rotation in progress) every delivery carries one signature per
/// secret, so receivers holding either the old or the new secret accept it.
public struct WebhookSigner: Sendable {
    public let secrets: [WebhookSecret]

    public init(secrets: [WebhookSecret]) throws(WebhookConfigurationError) {
        guard !secrets.isEmpty else { throw .noSecrets(scheme: "standard-webhooks") }
        guard secrets.allSatisfy({ !$0.keyBytes.isEmpty }) else { throw .emptySecret }
        self.secrets = secrets
        // Prepared now, while the configuration is read, not by the first deliveries at once.
        for secret in secrets { _ = secret.macKey(.sha256) }
    }

    public init(secret: WebhookSecret) throws(WebhookConfigurationError) {
        try self.init(secrets: [secret])
    }

    /// The headers for delivering `body` as message `id` at `timestamp` (seconds since epoch).
    public func sign<Body: Collection>(
        id: String, timestamp: Int64, body: Body
    ) throws(WebhookSigningError) -> StandardWebhooksHeaders where Body.Element == UInt8 {
        try Self.validate(id: id)
        guard timestamp >= 0 else { throw .negativeTimestamp(timestamp) }
        let prefix = Array("\(id).\(timestamp).".utf8)
        let signatures = secrets.map { secret in
            var mac = HMAC(key: secret.macKey(.sha256))
            mac.update(prefix)
            mac.update(body)
            return StandardWebhooksScheme.symmetricVersion + "," + Base64.encode(mac.finalize())
        }
        return StandardWebhooksHeaders(id: id, timestamp: timestamp, signature: signatures.joined(separator: " "))
    }

    private static func validate(id: String) throws(WebhookSigningError) {
        guard !id.isEmpty else { throw .invalidID(reason: "empty") }
        for (offset, byte) in id.utf8.enumerated() {
            if byte == UInt8(ascii: ".") {
                throw .invalidID(reason: "'.' at byte offset \(offset) (it separates the signed fields)")
            }
            // Visible ASCII only: a header value must not carry control bytes, and receivers'
            // libraries differ on whitespace and non-ASCII.
            guard (0x21...0x7E).contains(byte) else {
                throw .invalidID(reason: "byte offset \(offset) is not visible ASCII")
            }
        }
    }
}
