import Codecs

/// A server's host key fingerprint in the form OpenSSH prints (`ssh-keygen -lf`, the first
/// connection's prompt): `SHA256:` and the unpadded base64 of the SHA-256 of the raw key blob.
///
/// Pinning it is what makes the connection authenticate the server: without the check, anyone
/// on the path could accept our password or the partner's files. An operator copies the value
/// from the partner or from `ssh-keyscan host | ssh-keygen -lf -`.
public struct SFTPHostKeyFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// Why a pinned value was refused.
    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        case missingSHA256Prefix
        case invalidBase64
        case wrongLength(bytes: Int)

        public var description: String {
            switch self {
            case .missingSHA256Prefix: "host key fingerprint must start with 'SHA256:' (as ssh-keygen -lf prints it)"
            case .invalidBase64: "host key fingerprint is not base64 after 'SHA256:'"
            case .wrongLength(let bytes): "host key fingerprint has \(bytes) bytes, a SHA-256 has 32"
            }
        }
    }

    /// The SHA-256 digest of the key blob.
    public let digest: [UInt8]

    /// Parses `SHA256:…`; trailing `=` padding is accepted (some tools print it).
    public init(_ text: String) throws(ParseError) {
        let prefix = "SHA256:"
        guard text.hasPrefix(prefix) else { throw .missingSHA256Prefix }
        let encoded = text.utf8.dropFirst(prefix.utf8.count)
        let bytes: [UInt8]
        do { bytes = try Base64.decode(encoded) } catch { throw .invalidBase64 }
        guard bytes.count == 32 else { throw .wrongLength(bytes: bytes.count) }
        digest = bytes
    }

    /// The fingerprint of a raw host key blob (as `libssh2_session_hostkey` returns it).
    public init(hostKeyBlob: [UInt8]) {
        digest = Digest.hash(hostKeyBlob, .sha256)
    }

    /// Compares digests in constant time: the pinned value is not secret, but the habit costs
    /// nothing and keeps this comparison out of any timing argument.
    public func matches(_ other: SFTPHostKeyFingerprint) -> Bool {
        ConstantTimeComparison.areEqual(digest, other.digest)
    }

    public var description: String { "SHA256:" + Base64.encode(digest, padding: false) }
}
