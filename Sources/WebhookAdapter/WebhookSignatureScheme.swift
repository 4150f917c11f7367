import Codecs

/// How a webhook source proves that a request comes from the partner. Chosen per source in
/// configuration; there is no code per platform.
public enum WebhookSignatureScheme: Sendable, Equatable {
    /// The Standard Webhooks specification (https://www.standardwebhooks.com,
    /// github.com/standard-webhooks/standard-webhooks, `spec/standard-webhooks.md`, version 1.0.0):
    /// headers `webhook-id`, `webhook-timestamp`, `webhook-signature`; symmetric signatures `v1`.
    case standardWebhooks(StandardWebhooksScheme)
    /// One header carrying an HMAC of the raw body (Shopify, GitHub and many others).
    case hmac(HMACHeaderScheme)
    /// No verification. Only ever chosen explicitly in configuration (`signature: none`); the
    /// configuration layer must never fall back to it when the signature section is missing.
    case none
}

/// Standard Webhooks `v1` (HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`, base64).
public struct StandardWebhooksScheme: Sendable, Equatable {
    /// Every secret currently accepted. More than one during a rotation: a request verifies when
    /// any of its signatures matches any of these secrets.
    public var secrets: [WebhookSecret]
    /// Largest accepted distance between `webhook-timestamp` and the receiver's clock, in both
    /// directions (replay protection). The boundary itself is accepted.
    public var timestampTolerance: Duration

    /// The reference libraries' default tolerance: five minutes.
    public static let defaultTimestampTolerance: Duration = .seconds(300)

    public init(secrets: [WebhookSecret], timestampTolerance: Duration = Self.defaultTimestampTolerance) {
        self.secrets = secrets
        self.timestampTolerance = timestampTolerance
    }

    /// Header names of the specification (HTTP field names are case-insensitive, RFC 9110 §5.1).
    public static let idHeader = "webhook-id"
    public static let timestampHeader = "webhook-timestamp"
    public static let signatureHeader = "webhook-signature"
    /// The signature identifier of symmetric (HMAC-SHA256) signatures.
    public static let symmetricVersion = "v1"
}

/// A single header holding `prefix + encode(HMAC(secret, raw body))`.
public struct HMACHeaderScheme: Sendable, Equatable {
    /// How the MAC bytes are written in the header.
    public enum Encoding: String, Sendable, Equatable, CaseIterable {
        case hex
        case base64
    }

    /// Name of the header carrying the signature (matched case-insensitively).
    public var header: String
    public var algorithm: DigestAlgorithm
    public var encoding: Encoding
    /// Text before the encoded MAC, such as GitHub's `sha256=`; matched ASCII case-insensitively.
    public var prefix: String?
    /// Every secret currently accepted (several during a rotation).
    public var secrets: [WebhookSecret]

    public init(
        header: String, algorithm: DigestAlgorithm, encoding: Encoding, prefix: String? = nil,
        secrets: [WebhookSecret]
    ) {
        self.header = header
        self.algorithm = algorithm
        self.encoding = encoding
        self.prefix = prefix
        self.secrets = secrets
    }

    /// Shopify webhooks: `X-Shopify-Hmac-Sha256` = base64(HMAC-SHA256(client secret, raw body)).
    public static func shopify(secrets: [WebhookSecret]) -> HMACHeaderScheme {
        HMACHeaderScheme(header: "X-Shopify-Hmac-Sha256", algorithm: .sha256, encoding: .base64, secrets: secrets)
    }

    /// GitHub webhooks: `X-Hub-Signature-256` = `sha256=` + hex(HMAC-SHA256(secret, raw body)).
    public static func gitHub(secrets: [WebhookSecret]) -> HMACHeaderScheme {
        HMACHeaderScheme(
            header: "X-Hub-Signature-256", algorithm: .sha256, encoding: .hex, prefix: "sha256=", secrets: secrets)
    }

    /// GitHub's legacy header: `X-Hub-Signature` = `sha1=` + hex(HMAC-SHA1(secret, raw body)).
    public static func gitHubLegacySHA1(secrets: [WebhookSecret]) -> HMACHeaderScheme {
        HMACHeaderScheme(header: "X-Hub-Signature", algorithm: .sha1, encoding: .hex, prefix: "sha1=", secrets: secrets)
    }
}

extension WebhookSignatureScheme {
    /// Refuses schemes that could never verify anything, or would verify everything.
    func validate() throws(WebhookConfigurationError) {
        switch self {
        case .none:
            return
        case .standardWebhooks(let configuration):
            guard !configuration.secrets.isEmpty else { throw .noSecrets(scheme: "standard-webhooks") }
            guard configuration.secrets.allSatisfy({ !$0.keyBytes.isEmpty }) else { throw .emptySecret }
            guard configuration.timestampTolerance.components.seconds >= 1 else { throw .invalidTimestampTolerance }
        case .hmac(let configuration):
            guard HTTPToken.isValid(configuration.header) else { throw .invalidHeaderName(configuration.header) }
            guard !configuration.secrets.isEmpty else { throw .noSecrets(scheme: "hmac") }
            guard configuration.secrets.allSatisfy({ !$0.keyBytes.isEmpty }) else { throw .emptySecret }
        }
    }
}
