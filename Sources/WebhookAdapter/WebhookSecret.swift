import Codecs
import Synchronization

/// Key material for webhook HMACs. Never printed: `description`, `debugDescription` and
/// `Mirror` (so `dump`, string interpolation and `Logger` metadata) show only `<redacted>`.
public struct WebhookSecret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The HMAC key bytes.
    public let keyBytes: [UInt8]
    /// The key made ready for each digest it is used with (`HMACKey`), shared by the copies of
    /// this value.
    private let prepared = PreparedKeys()

    /// A key given as raw bytes.
    public init(keyBytes: [UInt8]) {
        self.keyBytes = keyBytes
    }

    /// A key that is the UTF-8 bytes of a text secret, as Shopify (the app's client secret) and
    /// GitHub (the webhook secret) use it.
    public init(utf8 text: String) {
        self.keyBytes = Array(text.utf8)
    }

    /// This key prepared for HMACs over `algorithm`, made on first use and kept.
    public func macKey(_ algorithm: DigestAlgorithm) -> HMACKey {
        prepared.keys.withLock { keys in
            if let key = keys[algorithm] { return key }
            let key = HMACKey(algorithm: algorithm, key: keyBytes)
            keys[algorithm] = key
            return key
        }
    }

    public static func == (a: WebhookSecret, b: WebhookSecret) -> Bool { a.keyBytes == b.keyBytes }

    /// The serialized form of the Standard Webhooks specification: `whsec_` followed by the
    /// base64 of the key bytes.
    ///
    /// The prefix is optional, as in the specification's reference libraries, which strip it
    /// when present. Asymmetric keys (`whsk_`/`whpk_`, signature version `v1a`) are refused
    /// with their own error: that scheme is not implemented.
    public init(standardWebhooks serialized: String) throws(WebhookConfigurationError) {
        var text = Substring(serialized.trimmingASCIIWhitespace())
        for asymmetricPrefix in ["whsk_", "whpk_"] where text.hasPrefix(asymmetricPrefix) {
            throw .asymmetricKeyNotSupported(prefix: asymmetricPrefix)
        }
        if text.hasPrefix(Self.standardWebhooksPrefix) {
            text = text.dropFirst(Self.standardWebhooksPrefix.count)
        }
        let bytes: [UInt8]
        do {
            bytes = try Base64.decode(text.utf8)
        } catch {
            throw .secretNotBase64(error)
        }
        guard !bytes.isEmpty else { throw .emptySecret }
        self.keyBytes = bytes
    }

    /// A new key of `byteCount` random bytes (`SecureRandom`), for
    /// `paklog webhook secret` and for tests. The Standard Webhooks specification asks for 24 to
    /// 64 bytes; 32 is the default.
    public static func random(byteCount: Int = 32) -> WebhookSecret {
        precondition((24...64).contains(byteCount), "Standard Webhooks secrets have 24 to 64 bytes")
        return WebhookSecret(keyBytes: SecureRandom.bytes(byteCount))
    }

    /// The Standard Webhooks serialization (`whsec_` + base64) of this key.
    public var standardWebhooksSerialization: String {
        Self.standardWebhooksPrefix + Base64.encode(keyBytes)
    }

    static let standardWebhooksPrefix = "whsec_"

    public var description: String { "<redacted>" }
    public var debugDescription: String { "WebhookSecret(<redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// The prepared forms of one secret, by digest.
private final class PreparedKeys: Sendable {
    let keys = Mutex<[DigestAlgorithm: HMACKey]>([:])
}
