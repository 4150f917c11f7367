import AS2
import AdapterKit
import HTTPClient
import Messaging
import StrictYAML

/// The `as2` endpoint kind: sends each outbox message to a partner as an AS2 message, signed,
/// encrypted and compressed as its profile says, and checks the MDN.
///
/// ```yaml
/// endpoints:
///   acme-as2:
///     type: as2
///     partner: acme-3pl                        # its profile's as2 settings and certificates
///     receiptURL: https://gw.example/as2       # for an asynchronous MDN (the as2 source's URL)
///     acknowledgment: {timeout: 10m}           # with mdn: async, the delivery waits for the MDN
/// ```
///
/// A synchronous MDN settles the attempt: positive with a matching MIC is delivered; negative,
/// or a MIC that is not ours, is permanent. Every attempt of one message carries the same
/// Message-ID, so the partner recognises a redelivery.
public struct AS2EndpointKind: EndpointKind {
    public init() {}

    public let type = "as2"
    public let keys = ["partner", "receiptURL", "timeout"]

    public func configuration(_ section: ConfigurationSection) -> (any EndpointConfiguration)? {
        let m = section.mapping
        guard let node = m.required("partner"), let profile = section.partner(node) else { return nil }
        let partner: AS2Partner
        do { partner = try AS2Partner(profile) } catch {
            node.report(error.description)
            return nil
        }
        if partner.settings.url == nil { node.report("partner '\(profile.name)' has no as2.url to send to") }
        var c = AS2EndpointConfiguration(name: section.name, partner: partner)
        c.receiptURL = m.optional("receiptURL")?.string()
        if partner.settings.mdn == .async, c.receiptURL == nil {
            node.report("partner '\(profile.name)' asks for asynchronous MDNs: set receiptURL (where the as2 source listens)")
        }
        if let v = m.optional("timeout")?.duration() { c.timeout = v }
        return c
    }
}

struct AS2EndpointConfiguration: EndpointConfiguration {
    var name: String
    var partner: AS2Partner
    var receiptURL: String?
    var timeout: Duration = .seconds(120)

    var partnerNames: [String] { [partner.profile.name] }

    /// Without an `acknowledgment:` section: a partner with `x12` settings completes a delivery
    /// of X12 with its 997/999 (key `x12:<ISA08>:<GS01>:<GS06>`, within
    /// `x12.acknowledgmentTimeout`); else one asked for asynchronous MDNs with its MDN (within
    /// `as2.mdnTimeout`).
    var defaultAcknowledgment: AcknowledgmentPolicy? {
        if let x12 = partner.profile.x12 { return AcknowledgmentPolicy(timeout: x12.acknowledgmentTimeout) }
        if partner.settings.mdn == .async { return AcknowledgmentPolicy(timeout: partner.settings.mdnTimeout) }
        return nil
    }

    func makeEndpoint(_ context: EndpointContext) throws -> any Endpoint {
        try AS2Endpoint(name: context.name, configuration: self, client: context.httpClient, logger: context.logger)
    }

    func isSame(as other: any EndpointConfiguration) -> Bool { false }
}
