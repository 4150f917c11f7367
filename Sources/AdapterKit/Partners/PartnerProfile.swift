import Codecs
import Foundation

/// One trading partner as the `partners` section describes it: who it is on each protocol, how
/// we exchange with it, and the certificates on both sides. Sources and endpoints name a partner
/// (`partner: acme-3pl`) instead of repeating its settings.
public struct PartnerProfile: Sendable {
    /// The key under `partners:`.
    public var name: String
    public var location: ConfigLocation
    public var as2: AS2PartnerSettings?
    public var x12: X12PartnerSettings?
    public var sftp: SFTPPartnerSettings?
    /// The partner's certificates: signing (one, or two while it rolls over), encryption, CA.
    public var certificates: PartnerCertificates
    /// Our certificate and private key toward this partner.
    public var ours: OurIdentity?

    public init(name: String, location: ConfigLocation, as2: AS2PartnerSettings? = nil, x12: X12PartnerSettings? = nil, sftp: SFTPPartnerSettings? = nil,
                certificates: PartnerCertificates = PartnerCertificates(), ours: OurIdentity? = nil) {
        self.name = name
        self.location = location
        self.as2 = as2
        self.x12 = x12
        self.sftp = sftp
        self.certificates = certificates
        self.ours = ours
    }

    /// Every certificate of the profile with its role, ours included.
    public var allCertificates: [(role: String, certificate: CertificateFile)] {
        certificates.signing.map { ("signing", $0) } + (certificates.encryption.map { [("encryption", $0)] } ?? [])
            + certificates.ca.map { ("ca", $0) } + certificates.tls.map { ("tls", $0) } + (ours.map { [("ours", $0.certificate)] } ?? [])
    }
}

/// A certificate read from a file of `Certificates/` (or any path the profile names).
public struct CertificateFile: Sendable, Equatable, CustomStringConvertible {
    /// As written in the configuration.
    public var path: String
    public var certificate: X509Certificate

    public init(path: String, certificate: X509Certificate) {
        self.path = path
        self.certificate = certificate
    }

    public static func == (a: CertificateFile, b: CertificateFile) -> Bool { a.path == b.path && a.certificate.isSame(as: b.certificate) }

    public var description: String { "\(path): \(certificate)" }
}

public struct PartnerCertificates: Sendable, Equatable {
    public var signing: [CertificateFile]
    /// nil: the first signing certificate encrypts too.
    public var encryption: CertificateFile?
    public var ca: [CertificateFile]
    /// The client certificates the partner presents to our TLS listener (mutual TLS on partner
    /// routes; two while it rolls over), matched exactly, after the handshake checked their chain
    /// against `http.tls.clientCA`.
    public var tls: [CertificateFile]

    public init(signing: [CertificateFile] = [], encryption: CertificateFile? = nil, ca: [CertificateFile] = [], tls: [CertificateFile] = []) {
        self.signing = signing
        self.encryption = encryption
        self.ca = ca
        self.tls = tls
    }

    /// The certificate messages to the partner are encrypted to.
    public var encryptionCertificate: CertificateFile? { encryption ?? signing.first }
}

/// Our side toward a partner: the certificate it knows us by, and its private key (by reference
/// only: `file:` or `${env:…}`; never in a log).
public struct OurIdentity: Sendable {
    public var certificate: CertificateFile
    public var key: PrivateKey
    /// Where the key came from, for messages (`file:/etc/paklog/as2.key`).
    public var keyOrigin: String

    public init(certificate: CertificateFile, key: PrivateKey, keyOrigin: String) {
        self.certificate = certificate
        self.key = key
        self.keyOrigin = keyOrigin
    }
}

/// How we exchange AS2 messages with the partner (RFC 4130).
public struct AS2PartnerSettings: Sendable, Equatable {
    /// The partner's AS2 name: AS2-From on what it sends, AS2-To on what we send.
    public var name: String
    /// Our AS2 name toward it.
    public var ourName: String
    /// Where we POST messages (nil: we only receive).
    public var url: String?
    /// Digest we sign with (`sha256`, `sha-256` …); nil: unsigned.
    public var signing: String?
    /// Cipher we encrypt with (`aes256`, `3des` …); nil: unencrypted.
    public var encryption: String?
    public var compress: Bool
    /// The receipt we ask for.
    public var mdn: MDNMode
    /// Digest the partner signs its MDN with (nil: an unsigned MDN is asked for).
    public var mdnSigning: String?
    /// Deadline for an asynchronous MDN.
    public var mdnTimeout: Duration
    /// What we demand of what the partner sends.
    public var requireSignature: Bool
    public var requireEncryption: Bool
    public var acceptCiphers: [String]
    public var acceptDigests: [String]

    public enum MDNMode: String, Sendable, Equatable, CaseIterable {
        case sync, async, none
    }

    public init(name: String, ourName: String, url: String? = nil, signing: String? = "sha256", encryption: String? = "aes256", compress: Bool = false,
                mdn: MDNMode = .sync, mdnSigning: String? = "sha256", mdnTimeout: Duration = .seconds(600), requireSignature: Bool = true,
                requireEncryption: Bool = true, acceptCiphers: [String] = [], acceptDigests: [String] = []) {
        self.name = name
        self.ourName = ourName
        self.url = url
        self.signing = signing
        self.encryption = encryption
        self.compress = compress
        self.mdn = mdn
        self.mdnSigning = mdnSigning
        self.mdnTimeout = mdnTimeout
        self.requireSignature = requireSignature
        self.requireEncryption = requireEncryption
        self.acceptCiphers = acceptCiphers
        self.acceptDigests = acceptDigests
    }
}

/// The partner's X12 envelope identifiers and its acknowledgment deadline, and ours towards it.
public struct X12PartnerSettings: Sendable, Equatable {
    /// ISA05/ISA07 qualifier and ISA06/ISA08 id.
    public var qualifier: String
    public var id: String
    /// GS02/GS03 application code.
    public var applicationId: String?
    /// How long a 997/999 may take.
    public var acknowledgmentTimeout: Duration
    /// Our ISA qualifier, id and GS application code towards this partner (warehouses often
    /// use one id per trading partner).
    public var ourQualifier: String
    public var ourId: String
    public var ourApplicationId: String?
    /// ISA15 of what we send: `P` production or `T` test.
    public var usage: String
    /// The endpoint (to this partner) by which a received interchange is answered with its
    /// 997/999, and a TA1 when asked for; nil: no answers are sent.
    public var acknowledgeBy: String?

    public init(qualifier: String, id: String, applicationId: String? = nil, acknowledgmentTimeout: Duration = .seconds(86_400),
                ourQualifier: String = "ZZ", ourId: String = "PAKLOG", ourApplicationId: String? = nil, usage: String = "P", acknowledgeBy: String? = nil) {
        self.qualifier = qualifier
        self.id = id
        self.applicationId = applicationId
        self.acknowledgmentTimeout = acknowledgmentTimeout
        self.ourQualifier = ourQualifier
        self.ourId = ourId
        self.ourApplicationId = ourApplicationId
        self.usage = usage
        self.acknowledgeBy = acknowledgeBy
    }
}

/// How we reach the partner's SFTP server.
public struct SFTPPartnerSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: Secret?
    /// A private key file (OpenSSH or PEM) and its passphrase.
    public var privateKeyPath: String?
    public var passphrase: Secret?
    /// The server's host key fingerprint as OpenSSH prints it (`SHA256:…`).
    public var hostKey: String
    /// Directories we poll for the partner's files.
    public var inbound: [String]
    /// Where taken files go on the server (nil: deleted).
    public var archive: String?
    /// Where we put files for the partner.
    public var outbound: String?
    public var every: Duration

    public init(host: String, port: Int = 22, username: String, password: Secret? = nil, privateKeyPath: String? = nil, passphrase: Secret? = nil,
                hostKey: String, inbound: [String] = [], archive: String? = nil, outbound: String? = nil, every: Duration = .seconds(30)) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.privateKeyPath = privateKeyPath
        self.passphrase = passphrase
        self.hostKey = hostKey
        self.inbound = inbound
        self.archive = archive
        self.outbound = outbound
        self.every = every
    }
}
