import COpenSSL

/// The SHA hash functions of FIPS 180-4 that partners use: in HMACs (webhooks), MICs (AS2, RFC
/// 4130 §7.3.1), name-based ids and content keys.
///
/// SHA-1 is here only because partners still send it (GitHub's legacy `X-Hub-Signature`, older
/// AS2 stations); HMAC-SHA1 remains unbroken as a MAC (RFC 6151 §3 discusses HMAC-MD5, the
/// argument carries over), but new integrations should use SHA-256.
public enum DigestAlgorithm: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case sha1
    case sha256
    case sha384
    case sha512

    /// Length in bytes of the digest.
    public var digestLength: Int {
        switch self {
        case .sha1: 20
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// Name OpenSSL's providers know the digest by.
    public var openSSLName: String {
        switch self {
        case .sha1: "SHA1"
        case .sha256: "SHA256"
        case .sha384: "SHA384"
        case .sha512: "SHA512"
        }
    }

    /// The digest as OpenSSL's `EVP_MD`, fetched once for the process: `EVP_sha256()` and its
    /// kin would make every `EVP_Digest` fetch the implementation again (an implicit fetch),
    /// the per-operation fetch OpenSSL advises against and that races in 3.0 (see `HMACKey`).
    public var fetched: OpaquePointer {
        switch self {
        case .sha1: FetchedDigest.sha1.pointer
        case .sha256: FetchedDigest.sha256.pointer
        case .sha384: FetchedDigest.sha384.pointer
        case .sha512: FetchedDigest.sha512.pointer
        }
    }

    /// "SHA-256", as FIPS 180-4 writes the names.
    public var description: String {
        switch self {
        case .sha1: "SHA-1"
        case .sha256: "SHA-256"
        case .sha384: "SHA-384"
        case .sha512: "SHA-512"
        }
    }
}

/// One-shot digests through OpenSSL (`EVP_Digest`).
///
/// ```swift
/// let key = "sha256:" + Hex.encode(Digest.hash(body, .sha256))
/// ```
public enum Digest {
    /// The digest of `bytes` (`algorithm.digestLength` bytes).
    public static func hash<Bytes: Collection>(_ bytes: Bytes, _ algorithm: DigestAlgorithm) -> [UInt8] where Bytes.Element == UInt8 {
        let digest = { (input: UnsafeRawBufferPointer) -> [UInt8] in
            [UInt8](unsafeUninitializedCapacity: Int(EVP_MAX_MD_SIZE)) { output, initialized in
                var length: UInt32 = 0
                let ok = EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, algorithm.fetched, nil)
                // EVP_Digest fails only when libcrypto itself is unusable (no memory, a broken
                // provider): nothing sensible can go on without its hashes.
                precondition(ok == 1, "EVP_Digest(\(algorithm)) failed: \(OpenSSLError.last())")
                initialized = Int(length)
            }
        }
        if let result = bytes.withContiguousStorageIfAvailable({ digest(UnsafeRawBufferPointer($0)) }) { return result }
        return Array(bytes).withUnsafeBytes(digest)
    }
}

/// OpenSSL's digests, each fetched once for the process.
private struct FetchedDigest: @unchecked Sendable {
    // @unchecked: an `EVP_MD *` fetched once; OpenSSL lets a fetched method be shared between
    // threads (each operation has its own context).
    let pointer: OpaquePointer

    static let sha1 = FetchedDigest("SHA1")
    static let sha256 = FetchedDigest("SHA256")
    static let sha384 = FetchedDigest("SHA384")
    static let sha512 = FetchedDigest("SHA512")

    private init(_ name: String) {
        guard let md = EVP_MD_fetch(nil, name, nil) else {
            preconditionFailure("OpenSSL has no \(name) implementation: \(OpenSSLError.last())")
        }
        pointer = md
    }
}
