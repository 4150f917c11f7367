import Foundation
import Codecs

/// A digest as AS2 partners name it (RFC 4130 `signed-receipt-micalg`, RFC 5751 `micalg`),
/// keeping the spelling the partner used so that the answer repeats it: `sha1`, `sha-1`, `SHA1`,
/// `sha256`, `sha-256`, `sha2-256`, `SHA-384` … all name the same four algorithms.
public struct AS2DigestName: Sendable, Equatable, CustomStringConvertible {
    public var algorithm: DigestAlgorithm
    /// As the partner wrote it (or ours: `sha-256`, RFC 5751's spelling).
    public var spelling: String

    public init(_ algorithm: DigestAlgorithm, spelling: String? = nil) {
        self.algorithm = algorithm
        self.spelling = spelling ?? Self.rfc5751(algorithm)
    }

    /// nil for names that are not SHA-1 or SHA-2 (MD5 is refused).
    public init?(parsing text: String) {
        let compact = String(text.trimmingOptionalWhitespace().asciiLowercased().filter { $0 != "-" && $0 != "_" })
        let algorithm: DigestAlgorithm
        switch compact {
        case "sha1", "sha": algorithm = .sha1
        case "sha256", "sha2256": algorithm = .sha256
        case "sha384", "sha2384": algorithm = .sha384
        case "sha512", "sha2512": algorithm = .sha512
        default: return nil
        }
        self.init(algorithm, spelling: text.trimmingOptionalWhitespace())
    }

    /// RFC 5751 §3.4.3.2's `micalg` names.
    static func rfc5751(_ algorithm: DigestAlgorithm) -> String {
        switch algorithm {
        case .sha1: "sha-1"
        case .sha256: "sha-256"
        case .sha384: "sha-384"
        case .sha512: "sha-512"
        }
    }

    public var description: String { spelling }
}

/// The Message Integrity Check an MDN returns (RFC 4130 §7.3.1): base64 of the digest, and the
/// algorithm, written `Received-Content-MIC: <base64>, <algorithm>`.
public struct AS2MIC: Sendable, Equatable, CustomStringConvertible {
    public var value: String
    public var digest: AS2DigestName

    public init(of bytes: [UInt8], digest: AS2DigestName) {
        value = Base64.encode(Digest.hash(bytes, digest.algorithm))
        self.digest = digest
    }

    public init(value: String, digest: AS2DigestName) {
        self.value = value
        self.digest = digest
    }

    /// Parses a `Received-Content-MIC` field value.
    public init?(field: String) {
        let pieces = field.split(separator: ",", maxSplits: 1).map { $0.trimmingOptionalWhitespace() }
        guard pieces.count == 2, !pieces[0].isEmpty, let digest = AS2DigestName(parsing: pieces[1]) else { return nil }
        self.init(value: pieces[0], digest: digest)
    }

    /// Whether `other` is the same digest (algorithm and value, however the name is spelt),
    /// compared in constant time.
    public func matches(_ other: AS2MIC) -> Bool {
        digest.algorithm == other.digest.algorithm
            && ConstantTimeComparison.areEqual(Array(value.utf8), Array(other.value.utf8))
    }

    public var field: String { "\(value), \(digest.spelling)" }
    public var description: String { field }
}

/// What a sender asks of the receipt (RFC 4130 §7.3, `Disposition-Notification-Options`):
/// `signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, sha-256, sha1`.
public struct AS2ReceiptOptions: Sendable, Equatable {
    /// A signed receipt was asked for.
    public var signed: Bool
    /// The digests the sender takes for the receipt's signature and MIC, in its order of preference.
    public var micAlgorithms: [AS2DigestName]
    /// Names in `signed-receipt-micalg` we do not know (an MD5-only list, say).
    public var unknownAlgorithms: [String]

    public init(signed: Bool = false, micAlgorithms: [AS2DigestName] = [], unknownAlgorithms: [String] = []) {
        self.signed = signed
        self.micAlgorithms = micAlgorithms
        self.unknownAlgorithms = unknownAlgorithms
    }

    public init(field: String?) {
        self.init()
        guard let field else { return }
        for parameter in field.split(separator: ";") {
            guard let eq = parameter.firstIndex(of: "=") else { continue }
            let name = parameter[..<eq].trimmingOptionalWhitespace().lowercased()
            // `importance, value, value …`
            let values = parameter[parameter.index(after: eq)...].split(separator: ",").map { $0.trimmingOptionalWhitespace() }.dropFirst()
            switch name {
            case "signed-receipt-protocol":
                signed = values.contains { $0.lowercased() == "pkcs7-signature" }
            case "signed-receipt-micalg":
                for v in values {
                    if let d = AS2DigestName(parsing: v) { micAlgorithms.append(d) } else { unknownAlgorithms.append(v) }
                }
            default: break
            }
        }
    }

    /// The field value asking for a receipt signed with `digest` (or an unsigned one).
    public static func field(signedWith digest: AS2DigestName?) -> String? {
        guard let digest else { return nil }
        return "signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, \(digest.spelling)"
    }
}
