import AdapterKit
import Codecs
import Foundation
import Gateway
import Mapping
import Messaging

/// A `webhook` source's section, as read from the configuration (secrets still references).
public struct WebhookSourceSettings: SourceConfiguration, Equatable {
    public var path: String
    public var maxBodyBytes = WebhookSourceConfiguration.defaultMaxBodyBytes
    public var contentTypes = WebhookSourceConfiguration.defaultContentTypes
    public var signature: Signature
    public var idempotencyKey: IdempotencyKey?
    /// The path's token bucket, all senders together; nil: none.
    public var rateLimit: RateLimiter.Limit?

    public init(path: String, signature: Signature) {
        self.path = path
        self.signature = signature
    }

    public enum Signature: Sendable, Equatable {
        case none
        /// Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`.
        case standardWebhooks(secrets: [Secret], tolerance: Duration)
        /// A single HMAC header (Shopify, GitHub …).
        case hmac(header: String, algorithm: DigestAlgorithm, encoding: HMACHeaderScheme.Encoding, prefix: String, secrets: [Secret])
    }

    public enum IdempotencyKey: Sendable, Equatable {
        case header(String)
        /// A JSONata expression over `{headers, body}`.
        case expression(ExpressionSetting)
    }

    /// The receiver's configuration, secrets revealed and checked (`whsec_` format, base64).
    public func sourceConfiguration() throws -> WebhookSourceConfiguration {
        let scheme: WebhookSignatureScheme
        switch signature {
        case .none:
            scheme = .none
        case let .standardWebhooks(secrets, tolerance):
            scheme = .standardWebhooks(StandardWebhooksScheme(
                secrets: try secrets.map { try WebhookSecret(standardWebhooks: $0.reveal()) }, timestampTolerance: tolerance))
        case let .hmac(header, algorithm, encoding, prefix, secrets):
            scheme = .hmac(HMACHeaderScheme(
                header: header, algorithm: algorithm, encoding: encoding, prefix: prefix.isEmpty ? nil : prefix,
                secrets: secrets.map { WebhookSecret(utf8: $0.reveal()) }))
        }
        let key: WebhookIdempotencyKey? = switch idempotencyKey {
        case .header(let h)?: .header(h)
        case .expression(let e)?: .expression(e.source)
        case nil: nil
        }
        var configuration = WebhookSourceConfiguration(path: path, maxBodyBytes: maxBodyBytes, contentTypes: contentTypes, signature: scheme, idempotencyKey: key)
        configuration.rateLimit = rateLimit
        return configuration
    }

    public func makeSource(_ context: SourceContext) throws -> any Source {
        let receiver = try WebhookReceiver(source: context.name, configuration: try sourceConfiguration(), inbox: context.inbox, logger: context.logger)
        return WebhookSource(receiver: receiver)
    }
}

/// A running `webhook` source: one receiver on the gateway's listener.
struct WebhookSource: Source {
    let receiver: WebhookReceiver
    var httpIngress: [any HTTPIngressReceiver] { [receiver] }
}
