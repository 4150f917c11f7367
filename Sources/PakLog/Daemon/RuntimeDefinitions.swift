import Adapters
import Foundation
import HTTPClient
import Logging
import Messaging

/// Turns configuration settings into the runtime types of the engine and the adapters. Problems
/// are collected with their configuration location, so a refused file names every one.
struct RuntimeDefinitions {
    var receivers: [WebhookReceiver] = []
    var endpoints: [EndpointDefinition] = []
    /// Endpoints configured but disabled (their URL came from an unset optional variable).
    var disabledEndpoints: Set<String> = []
    var problems: [String] = []

    init(configuration: PakLogConfiguration, inbox: Inbox, client: HTTPClient, logger: Logger) {
        for source in configuration.sources {
            switch source.kind {
            case .webhook(let w):
                do {
                    let config = WebhookSourceConfiguration(
                        path: w.path, maxBodyBytes: w.maxBodyBytes, contentTypes: w.contentTypes,
                        signature: try Self.scheme(w.signature), idempotencyKey: Self.key(w.idempotencyKey))
                    receivers.append(try WebhookReceiver(source: source.name, configuration: config, inbox: inbox, logger: logger))
                } catch {
                    problems.append("\(source.location): source '\(source.name)': \(error)")
                }
            }
        }
        for e in configuration.endpoints {
            guard let url = e.url else {
                disabledEndpoints.insert(e.name)
                continue
            }
            do {
                let signer = try e.signingSecret.map { try WebhookSigner(secret: WebhookSecret(standardWebhooks: $0.reveal())) }
                let http = HTTPEndpoint(
                    configuration: HTTPEndpointConfiguration(
                        url: url, headers: Dictionary(e.headers, uniquingKeysWith: { $1 }), timeout: e.timeout, signer: signer),
                    client: client)
                let r = e.redelivery
                let c = e.circuitBreaker
                let definition = EndpointDefinition(
                    name: e.name, endpoint: http,
                    retryPolicy: RetryPolicy(
                        maximumRedeliveries: r.maximumRedeliveries, redeliveryDelay: r.redeliveryDelay,
                        backOffMultiplier: r.backOffMultiplier, maximumRedeliveryDelay: r.maximumRedeliveryDelay,
                        collisionAvoidanceFactor: r.jitter),
                    circuitBreaker: CircuitBreakerConfiguration(
                        failureRateThreshold: c.failureRateThreshold, slowCallRateThreshold: c.slowCallRateThreshold,
                        slowCallDurationThreshold: c.slowCallDurationThreshold,
                        slidingWindowType: c.slidingWindowType == "TIME_BASED" ? .timeBased : .countBased,
                        slidingWindowSize: c.slidingWindowSize, minimumNumberOfCalls: c.minimumNumberOfCalls,
                        waitDurationInOpenState: c.waitDurationInOpenState,
                        permittedNumberOfCallsInHalfOpenState: c.permittedNumberOfCallsInHalfOpenState),
                    maximumConcurrentDeliveries: e.maximumConcurrentCalls)
                let errors = definition.validationErrors()
                if errors.isEmpty { endpoints.append(definition) } else { problems += errors.map { "\(e.location): \($0)" } }
            } catch {
                problems.append("\(e.location): endpoint '\(e.name)': \(error)")
            }
        }
    }

    static func scheme(_ s: WebhookSettings.SignatureSettings) throws -> WebhookSignatureScheme {
        switch s {
        case .none:
            return .none
        case let .standardWebhooks(secrets, tolerance):
            return .standardWebhooks(StandardWebhooksScheme(
                secrets: try secrets.map { try WebhookSecret(standardWebhooks: $0.reveal()) }, timestampTolerance: tolerance))
        case let .hmac(header, algorithm, encoding, prefix, secrets):
            return .hmac(HMACHeaderScheme(
                header: header, algorithm: algorithm == "sha1" ? .sha1 : .sha256,
                encoding: encoding == "base64" ? .base64 : .hex, prefix: prefix.isEmpty ? nil : prefix,
                secrets: secrets.map { WebhookSecret(utf8: $0.reveal()) }))
        }
    }

    static func key(_ k: WebhookSettings.IdempotencyKeySettings?) -> WebhookIdempotencyKey? {
        switch k {
        case .header(let h)?: .header(h)
        case .expression(let e, _)?: .expression(e)
        case nil: nil
        }
    }
}
