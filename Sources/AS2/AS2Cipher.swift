/// Content-encryption algorithms of AS2 partners (RFC 4130 §5.2 via RFC 5751 §2.7: 3DES must be
/// supported, AES should be). RC2 and RC4 are refused: OpenSSL 3 keeps them in its legacy provider.
public enum AS2Cipher: String, Sendable, CaseIterable, Equatable {
    case tripleDES = "3des"
    case aes128 = "aes128"
    case aes192 = "aes192"
    case aes256 = "aes256"

    /// Accepts the spellings profiles and peers use: `aes256`, `aes-256-cbc`, `aes_256_cbc`,
    /// `3des`, `des-ede3-cbc`, `tripledes_192_cbc`.
    public init?(name: String) {
        let n = name.lowercased().filter { $0.isLetter || $0.isNumber }
        switch n {
        case "3des", "des3", "desede3cbc", "desede3", "tripledes", "tripledes192cbc", "tripledescbc": self = .tripleDES
        case "aes128", "aes128cbc": self = .aes128
        case "aes192", "aes192cbc": self = .aes192
        case "aes256", "aes256cbc": self = .aes256
        default: return nil
        }
    }

    var openSSLName: String {
        switch self {
        case .tripleDES: "DES-EDE3-CBC"
        case .aes128: "AES-128-CBC"
        case .aes192: "AES-192-CBC"
        case .aes256: "AES-256-CBC"
        }
    }

    /// DER contents of the algorithm's object identifier.
    var objectIdentifier: [UInt8] {
        switch self {
        case .tripleDES: [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x03, 0x07]  // 1.2.840.113549.3.7
        case .aes128: [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02]  // 2.16.840.1.101.3.4.1.2
        case .aes192: [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x16]  // 2.16.840.1.101.3.4.1.22
        case .aes256: [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A]  // 2.16.840.1.101.3.4.1.42
        }
    }

    /// The content-encryption algorithm of an EnvelopedData ContentInfo (RFC 5652 §6.1), nil when
    /// it is none of these.
    init?(envelopedData der: [UInt8]) {
        guard let outer = try? DERElement.read(der[...], at: 0).0, let parts = try? outer.children(), parts.count == 2,
              let enveloped = try? parts[1].children().first, let fields = try? enveloped.children(),
              // version, [0] originatorInfo OPTIONAL, recipientInfos SET, encryptedContentInfo SEQUENCE …
              let info = fields.first(where: { $0.tag == DERElement.sequence }),
              let infoFields = try? info.children(), infoFields.count >= 2,
              let oid = try? infoFields[1].children().first else { return nil }
        guard let match = Self.allCases.first(where: { $0.objectIdentifier == Array(oid.contents) }) else { return nil }
        self = match
    }
}
