import Codecs
import Foundation
import StrictYAML

/// Reads the `partners` section. Certificates are read from their files at once (a missing or
/// unreadable one is a configuration error with its place); private keys only by reference.
///
/// ```yaml
/// partners:
///   acme-3pl:
///     as2: {name: ACME3PL, ourName: PAKLOG, url: "https://as2.acme.example/as2", signing: sha256,
///           encryption: aes256, compress: true, mdn: sync, mdnSigning: sha256}
///     x12: {qualifier: ZZ, id: ACME3PL, ours: {qualifier: ZZ, id: PAKLOG}, acknowledgmentTimeout: 24h,
///           acknowledgeBy: acme-sftp}   # our 997s/TA1s to the partner leave by this endpoint
///     sftp: {host: sftp.acme.example, username: paklog, privateKey: /etc/paklog/acme_ed25519,
///            hostKey: "SHA256:…", inbound: [/out], archive: /out/archive, outbound: /in}
///     certificates: {signing: [Certificates/acme.pem]}
///     ours: {certificate: Certificates/paklog.pem, key: "file:/etc/paklog/paklog.key"}
/// ```
public struct PartnerProfileReader {
    public let secrets: SecretResolver

    public init(secrets: SecretResolver) { self.secrets = secrets }

    public static let keys = ["as2", "x12", "sftp", "certificates", "ours"]

    /// The profiles of a `partners:` mapping; problems are reported on the nodes.
    public func profiles(_ node: YAMLNode) -> [PartnerProfile] {
        guard let m = node.mapping() else { return [] }
        return m.entries.compactMap { profile(name: $0.key, $0.value) }
    }

    func profile(name: String, _ node: YAMLNode) -> PartnerProfile? {
        guard let m = node.mapping(keys: Self.keys) else { return nil }
        var p = PartnerProfile(name: name, location: ConfigLocation(node))
        if let n = m.optional("certificates") { p.certificates = certificates(n) }
        if let n = m.optional("ours") { p.ours = ours(n) }
        if let n = m.optional("as2") { p.as2 = as2(n) }
        if let n = m.optional("x12") { p.x12 = x12(n) }
        if let n = m.optional("sftp") { p.sftp = sftp(n) }
        if p.as2 != nil, p.ours == nil { node.report("partner '\(name)' exchanges AS2 but has no 'ours' (our certificate and key)") }
        if let a = p.as2, p.certificates.signing.isEmpty, a.requireSignature || a.mdnSigning != nil {
            node.report("partner '\(name)' has no certificates.signing to verify its signatures with")
        }
        return p
    }

    /// A path relative to the configuration's folder.
    func path(_ text: String) -> String { text.hasPrefix("/") ? text : secrets.baseDirectory + "/" + text }

    func certificate(_ node: YAMLNode) -> CertificateFile? {
        guard let text = node.string() else { return nil }
        do {
            return CertificateFile(path: text, certificate: try X509Certificate(file: path(text)))
        } catch {
            node.report("\(error)")
            return nil
        }
    }

    func certificates(_ node: YAMLNode) -> PartnerCertificates {
        guard let m = node.mapping(keys: ["signing", "encryption", "ca", "tls"]) else { return PartnerCertificates() }
        // Lists always (two signing certificates while the partner rolls over to a new one).
        func list(_ n: YAMLNode?) -> [CertificateFile] { (n?.sequence() ?? []).compactMap(certificate) }
        return PartnerCertificates(signing: list(m.optional("signing")), encryption: m.optional("encryption").flatMap(certificate), ca: list(m.optional("ca")),
                                   tls: list(m.optional("tls")))
    }

    func ours(_ node: YAMLNode) -> OurIdentity? {
        guard let m = node.mapping(keys: ["certificate", "key", "passphrase"]) else { return nil }
        guard let c = m.required("certificate").flatMap(certificate), let keyNode = m.required("key"), let secret = secrets.resolve(keyNode) else { return nil }
        if secret.origin == "inline" {
            keyNode.report("a private key is given only by reference (file:PATH or ${env:NAME}), never inline")
            return nil
        }
        let passphrase = m.optional("passphrase").flatMap(secrets.resolve)
        do {
            let key = try PrivateKey(pem: Array(secret.reveal().utf8), passphrase: passphrase?.reveal(), origin: secret.origin)
            guard key.matches(c.certificate) else {
                keyNode.report("the key from \(secret.origin) is not the key of \(c.path)")
                return nil
            }
            return OurIdentity(certificate: c, key: key, keyOrigin: secret.origin)
        } catch {
            keyNode.report("cannot read the private key from \(secret.origin)")
            return nil
        }
    }

    func as2(_ node: YAMLNode) -> AS2PartnerSettings? {
        let keys = ["name", "ourName", "url", "signing", "encryption", "compress", "mdn", "mdnSigning", "mdnTimeout",
                    "requireSignature", "requireEncryption", "acceptCiphers", "acceptDigests"]
        guard let m = node.mapping(keys: keys) else { return nil }
        guard let name = m.required("name")?.string(), let ourName = m.required("ourName")?.string() else { return nil }
        var s = AS2PartnerSettings(name: name, ourName: ourName)
        for (key, value) in [("name", name), ("ourName", ourName)] where value.isEmpty || value.count > 128 || value.contains(where: { $0.asciiValue.map { $0 < 32 || $0 > 126 } ?? true }) {
            m.optional(key)?.report("an AS2 name is 1 to 128 printable ASCII characters (RFC 4130 §6.2)")
        }
        if let n = m.optional("url") {
            s.url = n.string()
            if let u = s.url, URL(string: u)?.scheme.map({ ["http", "https"].contains($0) }) != true { n.report("'\(u)' is not an http or https URL") }
        }
        func optionalName(_ key: String, default value: String?) -> String? {
            guard let n = m.optional(key) else { return value }
            guard let text = n.string() else { return value }
            return text == "none" ? nil : text
        }
        s.signing = optionalName("signing", default: s.signing)
        s.encryption = optionalName("encryption", default: s.encryption)
        s.mdnSigning = optionalName("mdnSigning", default: s.mdnSigning)
        if let v = m.optional("compress")?.bool() { s.compress = v }
        if let v = m.optional("mdn")?.oneOf(AS2PartnerSettings.MDNMode.allCases.map(\.rawValue)) { s.mdn = .init(rawValue: v)! }
        if let v = m.optional("mdnTimeout")?.duration() { s.mdnTimeout = v }
        if let v = m.optional("requireSignature")?.bool() { s.requireSignature = v }
        if let v = m.optional("requireEncryption")?.bool() { s.requireEncryption = v }
        if let v = m.optional("acceptCiphers")?.sequence() { s.acceptCiphers = v.compactMap { $0.string() } }
        if let v = m.optional("acceptDigests")?.sequence() { s.acceptDigests = v.compactMap { $0.string() } }
        return s
    }

    func x12(_ node: YAMLNode) -> X12PartnerSettings? {
        let keys = ["qualifier", "id", "applicationId", "acknowledgmentTimeout", "ours", "usage", "acknowledgeBy"]
        guard let m = node.mapping(keys: keys) else { return nil }
        guard let q = m.required("qualifier")?.string(), let id = m.required("id")?.string() else { return nil }
        func check(_ m: YAMLMapping, _ q: String, _ id: String) {
            if q.count != 2 { m.optional("qualifier")?.report("an ISA qualifier has 2 characters (ISA05/ISA07)") }
            if id.isEmpty || id.count > 15 { m.optional("id")?.report("an ISA id has 1 to 15 characters (ISA06/ISA08)") }
        }
        check(m, q, id)
        var s = X12PartnerSettings(qualifier: q, id: id, applicationId: m.optional("applicationId")?.string())
        if let v = m.optional("acknowledgmentTimeout")?.duration() { s.acknowledgmentTimeout = v }
        if let o = m.optional("ours")?.mapping(keys: ["qualifier", "id", "applicationId"]) {
            if let oq = o.required("qualifier")?.string(), let oid = o.required("id")?.string() {
                check(o, oq, oid)
                s.ourQualifier = oq
                s.ourId = oid
            }
            s.ourApplicationId = o.optional("applicationId")?.string()
        }
        if let u = m.optional("usage") {
            if let v = u.string(), v == "P" || v == "T" { s.usage = v } else { u.report("usage is P (production) or T (test): ISA15") }
        }
        s.acknowledgeBy = m.optional("acknowledgeBy")?.string()
        return s
    }

    func sftp(_ node: YAMLNode) -> SFTPPartnerSettings? {
        let keys = ["host", "port", "username", "password", "privateKey", "passphrase", "hostKey", "inbound", "archive", "outbound", "every"]
        guard let m = node.mapping(keys: keys) else { return nil }
        guard let host = m.required("host")?.string(), let user = m.required("username")?.string(), let hostKey = m.required("hostKey")?.string() else { return nil }
        if !hostKey.hasPrefix("SHA256:") { m.optional("hostKey")?.report("hostKey is the server key's fingerprint as OpenSSH prints it: SHA256:<base64>") }
        var s = SFTPPartnerSettings(host: host, username: user, hostKey: hostKey)
        if let v = m.optional("port")?.int(in: 1...65_535) { s.port = v }
        s.password = m.optional("password").flatMap(secrets.resolve)
        if let v = m.optional("privateKey")?.string() { s.privateKeyPath = path(v) }
        s.passphrase = m.optional("passphrase").flatMap(secrets.resolve)
        if s.password == nil, s.privateKeyPath == nil { m.node.report("sftp needs a password or a privateKey") }
        if let v = m.optional("inbound")?.sequence() { s.inbound = v.compactMap { $0.string() } }
        if let v = m.optional("archive")?.string() { s.archive = v == "delete" ? nil : v }
        s.outbound = m.optional("outbound")?.string()
        if let v = m.optional("every")?.duration() { s.every = v }
        return s
    }
}
