import AS2
import AdapterKit
import Codecs

/// A partner profile as the AS2 layer needs it: keys, what we demand of its messages, how we
/// send to it. Built once per source or endpoint; every name in the profile is checked here.
struct AS2Partner: Sendable {
    let profile: PartnerProfile
    var settings: AS2PartnerSettings
    let ours: OurIdentity
    let keys: AS2Keys
    let policy: AS2SecurityPolicy
    let signing: AS2DigestName?
    let encryption: AS2Cipher?
    let mdnSigning: AS2DigestName?

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    init(_ profile: PartnerProfile) throws(Problem) {
        guard let settings = profile.as2 else { throw Problem(description: "partner '\(profile.name)' has no as2 settings") }
        guard let ours = profile.ours else { throw Problem(description: "partner '\(profile.name)' has no 'ours' certificate and key") }
        func digest(_ text: String?, _ key: String) throws(Problem) -> AS2DigestName? {
            guard let text else { return nil }
            guard let d = AS2DigestName(parsing: text) else { throw Problem(description: "partner '\(profile.name)': as2.\(key) '\(text)' is not sha1, sha256, sha384 or sha512") }
            return d
        }
        func cipher(_ text: String, _ key: String) throws(Problem) -> AS2Cipher {
            guard let c = AS2Cipher(name: text) else { throw Problem(description: "partner '\(profile.name)': as2.\(key) '\(text)' is not one of 3des, aes128, aes192, aes256") }
            return c
        }
        self.profile = profile
        self.settings = settings
        self.ours = ours
        signing = try digest(settings.signing, "signing")
        encryption = try settings.encryption.map { (t: String) throws(Problem) in try cipher(t, "encryption") }
        mdnSigning = try digest(settings.mdnSigning, "mdnSigning")
        var ciphers: [AS2Cipher] = []
        for c in settings.acceptCiphers { ciphers.append(try cipher(c, "acceptCiphers")) }
        var digests: [DigestAlgorithm] = []
        for d in settings.acceptDigests { digests.append(try digest(d, "acceptDigests")!.algorithm) }
        policy = AS2SecurityPolicy(requireSignature: settings.requireSignature, requireEncryption: settings.requireEncryption, ciphers: ciphers, digests: digests)
        keys = AS2Keys(ourCertificate: ours.certificate.certificate, ourKey: ours.key, partnerSigning: profile.certificates.signing.map(\.certificate),
                       partnerEncryption: profile.certificates.encryptionCertificate?.certificate)
        if encryption != nil, keys.partnerEncryption == nil {
            throw Problem(description: "partner '\(profile.name)' encrypts but has no certificate to encrypt to (certificates.encryption or .signing)")
        }
    }

    /// How we send to this partner; `receiptURL` for an asynchronous MDN.
    func sendOptions(receiptURL: String?) -> AS2SendOptions {
        let receipt: AS2ReceiptRequest? = switch settings.mdn {
        case .none: nil
        case .sync: .synchronous(signedWith: mdnSigning)
        case .async: receiptURL.map { .asynchronous(url: $0, signedWith: mdnSigning) } ?? .synchronous(signedWith: mdnSigning)
        }
        return AS2SendOptions(as2From: settings.ourName, as2To: settings.name,
                              signing: signing.map { (ours.certificate.certificate, ours.key, $0) },
                              encryption: encryption.flatMap { c in keys.partnerEncryption.map { ($0, c) } },
                              compress: settings.compress, receipt: receipt)
    }
}
