import AdapterKit
import Foundation
import HTTPClient
import Messaging

/// The `http` endpoint kind: each message's body sent to a URL (POST unless `method` says
/// otherwise; a non-JSON body with its own media type), optionally signed the Standard Webhooks way (the outbound side of webhooks, which is why it lives with the webhook source:
/// one implementation of the scheme both ways).
///
/// ```yaml
/// endpoints:
///   receiver:
///     type: http
///     url: ${env:RECEIVER_URL?}         # unset optional variable: the endpoint is disabled
///     method: PUT                        # default POST; GET, HEAD and DELETE send no body
///     headers: {X-Api-Key: "${env:RECEIVER_KEY}"}
///   shop:
///     type: http
///     url: "https://shop.example/orders/{body.orderId}/fulfillments"   # holes: JSONata over {headers, body}
///     query: {notify: "true", location: "{headers.location}"}
///     signing: {scheme: standard-webhooks, secret: "${env:RECEIVER_SECRET}"}
///     timeout: 10s
///     connectTimeout: 2s
/// ```
public struct HTTPEndpointKind: EndpointKind {
    public init() {}

    public let type = "http"
    public let keys = ["url", "method", "headers", "query", "signing", "timeout", "connectTimeout"]

    public func configuration(_ section: ConfigurationSection) -> (any EndpointConfiguration)? {
        let m = section.mapping
        var settings = HTTPEndpointSettings()
        if let u = m.required("url") {
            settings.url = section.secret(u)?.reveal()
            if let url = settings.url {
                let lower = url.lowercased()
                if !(lower.hasPrefix("http://") || lower.hasPrefix("https://")) {
                    u.report("'\(url)' is not an http or https URL")
                } else {
                    do { _ = try URLTemplate(url) } catch { u.report("\(error)") }
                }
            }
        }
        if let v = m.optional("method")?.oneOf(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]) { settings.method = v }
        if let q = m.optional("query")?.mapping() {
            for entry in q.entries {
                guard let value = entry.value.string() else { continue }
                do { _ = try URLTemplate(value) } catch { entry.value.report("\(error)") }
                settings.query.append((entry.key, value))
            }
        }
        if let h = m.optional("headers")?.mapping() {
            settings.headers = h.entries.compactMap { entry in section.secret(entry.value).map { (entry.key, $0) } }
        }
        if let s = m.optional("signing")?.mapping(keys: ["scheme", "secret"]) {
            _ = s.required("scheme")?.oneOf(["standard-webhooks"])
            if let secretNode = s.required("secret") { settings.signingSecret = section.secret(secretNode) }
        }
        if let v = m.optional("timeout")?.duration() { settings.timeout = v }
        if let v = m.optional("connectTimeout")?.duration() { settings.connectTimeout = v }
        return settings
    }
}

/// An `http` endpoint's section, as read from the configuration.
public struct HTTPEndpointSettings: EndpointConfiguration, Equatable {
    /// Nil when the URL came from an optional reference that is unset: the endpoint is disabled.
    public var url: String?
    /// Sent with every request; values may be secret references.
    public var headers: [(String, Secret)] = []
    public var method = "POST"
    /// Query parameters; values are templates.
    public var query: [(String, String)] = []
    public var signingSecret: Secret?
    /// The whole request's time, connection set-up included.
    public var timeout: Duration = .seconds(10)
    /// The time to establish a connection, TLS handshake included.
    public var connectTimeout: Duration = .seconds(3)

    public init() {}

    public var disabledReason: String? { url == nil ? "its URL comes from an unset variable" : nil }

    public func makeEndpoint(_ context: EndpointContext) throws -> any Endpoint {
        guard let url else { throw HTTPEndpointSettingsError.noURL }
        let signer = try signingSecret.map { try WebhookSigner(secret: WebhookSecret(standardWebhooks: $0.reveal())) }
        let configuration = try HTTPEndpointConfiguration(
            urlTemplate: url, query: query, method: HTTPMethod(rawValue: method),
            headers: Dictionary(headers.map { ($0.0, $0.1.reveal()) }, uniquingKeysWith: { $1 }),
            timeout: timeout, connectTimeout: connectTimeout, signer: signer)
        return HTTPEndpoint(configuration: configuration, client: context.httpClient)
    }

    public static func == (a: HTTPEndpointSettings, b: HTTPEndpointSettings) -> Bool {
        a.url == b.url && a.method == b.method && a.query.elementsEqual(b.query) { $0 == $1 } && a.signingSecret == b.signingSecret && a.timeout == b.timeout && a.connectTimeout == b.connectTimeout
            && a.headers.elementsEqual(b.headers) { $0 == $1 }
    }
}

enum HTTPEndpointSettingsError: Error, CustomStringConvertible {
    case noURL
    var description: String { "the endpoint has no URL (its variable is unset): it is disabled" }
}
