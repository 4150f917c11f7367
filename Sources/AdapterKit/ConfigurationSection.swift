import Gateway
import StrictYAML

/// One entry of the `sources` or `endpoints` section, as handed to its kind: the YAML mapping
/// (its keys already checked against the kind's), the entry's name, and what reading it needs
/// (secret references, the configuration's folder). Problems are reported on the nodes with
/// `node.report(_:)`, so each names its file, line, column and key path.
public struct ConfigurationSection {
    /// The entry's name (the key under `sources:` or `endpoints:`).
    public let name: String
    public let mapping: YAMLMapping
    /// Relative paths in the section are taken from here (the configuration file's folder).
    public let baseDirectory: String
    /// The `partners` section, for kinds whose entries name a partner.
    public let partners: PartnerDirectory
    private let secrets: SecretResolver

    public init(name: String, mapping: YAMLMapping, secrets: SecretResolver, partners: PartnerDirectory = PartnerDirectory()) {
        self.name = name
        self.mapping = mapping
        self.secrets = secrets
        self.baseDirectory = secrets.baseDirectory
        self.partners = partners
    }

    /// The partner a `partner:` node names; nil (reported) when there is no such profile.
    public func partner(_ node: YAMLNode?) -> PartnerProfile? {
        guard let node, let name = node.string() else { return nil }
        guard let profile = partners[name] else {
            node.report("'\(name)' is not a configured partner (partners: \(partners.profiles.keys.sorted().joined(separator: ", ")))")
            return nil
        }
        return profile
    }

    /// Where the entry itself is.
    public var location: ConfigLocation { ConfigLocation(mapping.node) }

    /// A secret reference (`${env:NAME}`, `${env:NAME?}`, `file:PATH` or a literal); nil when it
    /// is optional and unset, or wrong (which is reported).
    public func secret(_ node: YAMLNode) -> Secret? { secrets.resolve(node) }

    /// An expression setting (the node's string with its place).
    public func expression(_ node: YAMLNode?) -> ExpressionSetting? { node.flatMap(ExpressionSetting.init) }
}

extension ConfigurationSection {
    /// A partner route's `clientCertificate: required` (or `none`, the default): the requirement
    /// built from `partners`' `certificates.tls`, each partner without one reported on the node.
    public func clientCertificateRequirement(_ node: YAMLNode?, partners: [PartnerProfile]) -> ClientCertificateRequirement? {
        guard let node, node.oneOf(["required", "none"]) == "required" else { return nil }
        if partners.isEmpty { node.report("clientCertificate is required, but no partners are named whose certificates it could be") }
        var fingerprints: [String: String] = [:]
        for partner in partners {
            if partner.certificates.tls.isEmpty {
                node.report("clientCertificate is required, but partner '\(partner.name)' has no certificates.tls to recognise it by")
            }
            for file in partner.certificates.tls { fingerprints[file.certificate.sha256Fingerprint] = partner.name }
        }
        return ClientCertificateRequirement(partners: fingerprints)
    }
}
