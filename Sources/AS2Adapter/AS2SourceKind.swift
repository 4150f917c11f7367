import AS2
import AdapterKit
import Foundation
import Gateway
import Messaging
import ServiceLifecycle
import StrictYAML

/// The `as2` source kind: an AS2 receiver (RFC 4130) on the gateway's listener for the partners
/// it names, answering each message with its MDN once the message is stored.
///
/// ```yaml
/// sources:
///   as2-in:
///     type: as2
///     path: /as2                    # one URL for all these partners (AS2-From tells them apart)
///     partners: [acme-3pl, globex]  # profiles in `partners:` with as2 settings
///     maxBodyBytes: 50MB
///     clientCertificate: required   # mutual TLS: the caller's certificate must be one of the
///                                   # partners' `certificates.tls`, and its AS2-From that partner's
/// ```
///
/// An asynchronous MDN from a partner for a message we sent arrives here too: it settles the
/// delivery of the `as2` endpoint that sent it.
public struct AS2SourceKind: SourceKind {
    public init() {}

    public let type = "as2"
    public let keys = ["path", "partners", "maxBodyBytes", "clientCertificate"]

    public func configuration(_ section: ConfigurationSection) -> (any SourceConfiguration)? {
        let m = section.mapping
        var c = AS2SourceConfiguration(path: "/as2", partners: [])
        if let p = m.optional("path")?.string() {
            if !p.hasPrefix("/") { m.optional("path")?.report("path must start with '/'") }
            c.path = p
        }
        if let n = m.optional("maxBodyBytes")?.int(in: 1024...(1 << 30)) { c.maxBodyBytes = n }
        guard let list = m.required("partners")?.sequence() else { return nil }
        for node in list {
            guard let profile = section.partner(node) else { continue }
            do { c.partners.append(try AS2Partner(profile)) } catch { node.report(error.description) }
        }
        if c.partners.isEmpty { return nil }
        if let node = m.optional("clientCertificate"), node.oneOf(["required", "none"]) == "required" {
            var fingerprints: [String: String] = [:]
            for partner in c.partners {
                if partner.profile.certificates.tls.isEmpty {
                    node.report("clientCertificate is required, but partner '\(partner.profile.name)' has no certificates.tls to recognise it by")
                }
                for file in partner.profile.certificates.tls { fingerprints[file.certificate.sha256Fingerprint] = partner.profile.name }
            }
            c.clientCertificate = ClientCertificateRequirement(partners: fingerprints)
        }
        return c
    }
}

/// An `as2` source's settings.
struct AS2SourceConfiguration: SourceConfiguration {
    var path: String
    var partners: [AS2Partner]
    var maxBodyBytes = 50 << 20
    /// Mutual TLS (`clientCertificate: required`): the partners' certificates.
    var clientCertificate: ClientCertificateRequirement?
    var requiresClientCertificate: Bool { clientCertificate != nil }

    var partnerNames: [String] { partners.map(\.profile.name) }

    func makeSource(_ context: SourceContext) throws -> any Source {
        AS2Source(receiver: AS2Receiver(source: context.name, configuration: self, inbox: context.inbox, client: context.httpClient, logger: context.logger))
    }

    /// Profiles hold keys, which are not comparable: a reload rebuilds the receiver (it keeps no state).
    func isSame(as other: any SourceConfiguration) -> Bool { false }
}

struct AS2Source: Source {
    let receiver: AS2Receiver
    var httpIngress: [any HTTPIngressReceiver] { [receiver] }
    var services: [any Service] { [AS2ReceiptRecovery(sender: receiver.receiptSender)] }
}

/// At start, sends the asynchronous MDNs that a crash or a stop kept from leaving.
struct AS2ReceiptRecovery: Service {
    let sender: AS2AsyncReceiptSender
    func run() async throws { try await sender.resendUnsent() }
}
