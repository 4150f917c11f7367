import AdapterKit
import Gateway
import Messaging
import StrictYAML

/// The `webhook` source kind: signed (or, when written out, unsigned) JSON webhooks on a path of
/// the gateway's listener.
///
/// ```yaml
/// sources:
///   orders:
///     type: webhook
///     path: /webhooks/orders
///     maxBodyBytes: 1048576
///     contentTypes: [application/json]
///     signature:
///       scheme: standard-webhooks        # or: hmac (header, algorithm, encoding, prefix), none
///       secrets: ["${env:ORDERS_SECRET}"]
///       tolerance: 5m
///     idempotencyKey:
///       header: webhook-id              # or: expression: "body.id"
///     rateLimit: {requestsPerSecond: 500, burst: 1000}   # all senders together; 429 past it
/// ```
public struct WebhookSourceKind: SourceKind {
    public init() {}

    public let type = "webhook"
    public let keys = ["path", "maxBodyBytes", "contentTypes", "signature", "idempotencyKey", "rateLimit"]

    public func configuration(_ section: ConfigurationSection) -> (any SourceConfiguration)? {
        let m = section.mapping
        guard let pathNode = m.required("path"), let path = pathNode.string() else { return nil }
        if !path.hasPrefix("/") { pathNode.report("a webhook path starts with '/'") }
        var settings = WebhookSourceSettings(path: path, signature: .none)
        if let v = m.optional("maxBodyBytes")?.int(in: 1...(256 << 20)) { settings.maxBodyBytes = v }
        if let list = m.optional("contentTypes")?.sequence() { settings.contentTypes = list.compactMap { $0.string()?.lowercased() } }
        if let r = m.optional("rateLimit")?.mapping(keys: ["requestsPerSecond", "burst"]) {
            settings.rateLimit = r.rateLimit(base: .init(requestsPerSecond: 1000, burst: 2000))
        }
        if let sig = m.required("signature") { settings.signature = signature(sig, section) ?? .none }
        if let key = m.optional("idempotencyKey")?.mapping(keys: ["header", "expression"]) {
            if let h = key.optional("header")?.string() {
                settings.idempotencyKey = .header(h)
            } else if let e = section.expression(key.optional("expression")) {
                settings.idempotencyKey = .expression(e)
            } else {
                key.node.report("idempotencyKey needs 'header' or 'expression'")
            }
        }
        return settings
    }

    private func signature(_ node: YAMLNode, _ section: ConfigurationSection) -> WebhookSourceSettings.Signature? {
        guard let m = node.mapping(keys: ["scheme", "secrets", "tolerance", "header", "algorithm", "encoding", "prefix"]) else { return nil }
        guard let scheme = m.required("scheme")?.oneOf(["standard-webhooks", "hmac", "none"]) else { return nil }
        let secrets = m.optional("secrets")?.sequence()?.compactMap(section.secret) ?? []
        switch scheme {
        case "none":
            return WebhookSourceSettings.Signature.none
        case "standard-webhooks":
            if secrets.isEmpty { m.node.report("standard-webhooks needs at least one secret in 'secrets'") }
            for key in ["header", "algorithm", "encoding", "prefix"] where m.has(key) {
                m.optional(key)?.report("'\(key)' applies to scheme hmac only")
            }
            return .standardWebhooks(secrets: secrets, tolerance: m.optional("tolerance")?.duration() ?? .seconds(300))
        default:
            if secrets.isEmpty { m.node.report("hmac needs at least one secret in 'secrets'") }
            guard let header = m.required("header")?.string() else { return nil }
            let algorithm = m.optional("algorithm")?.oneOf(["sha256", "sha1"]) ?? "sha256"
            let encoding = m.optional("encoding")?.oneOf(["hex", "base64"]) ?? "hex"
            let prefix = m.optional("prefix")?.string() ?? ""
            return .hmac(header: header, algorithm: algorithm == "sha1" ? .sha1 : .sha256,
                         encoding: encoding == "base64" ? .base64 : .hex, prefix: prefix, secrets: secrets)
        }
    }
}
