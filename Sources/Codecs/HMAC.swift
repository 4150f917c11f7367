import COpenSSL

/// HMAC (RFC 2104) computed by OpenSSL's `EVP_MAC` interface, fed incrementally.
///
/// Incremental feeding lets a verifier authenticate `id.timestamp.body` without first copying a
/// body of up to a megabyte into a new buffer. The type is non-copyable because it owns an
/// OpenSSL context: a copy would double-free it.
///
/// ```swift
/// let key = HMACKey(algorithm: .sha256, key: secret)   // once, when the configuration is read
/// var mac = HMAC(key: key)                              // per message
/// mac.update(Array("msg_1.1614265330.".utf8))
/// mac.update(body)
/// let code = mac.finalize()
/// ```
///
/// A failure inside OpenSSL here (unknown digest, allocation failure) means libcrypto itself is
/// unusable; it is treated as a programmer/environment error and stops the process, because
/// there is no meaningful way for a webhook endpoint to carry on without its MAC.
public struct HMAC: ~Copyable {
    /// `EVP_MAC_CTX *`, owned.
    private let context: OpaquePointer
    public let algorithm: DigestAlgorithm

    /// Starts an HMAC with a prepared key (the way to compute many MACs with one key).
    public init(key: HMACKey) {
        algorithm = key.algorithm
        context = key.newContext()
    }

    /// Starts an HMAC with `key`, prepared for this one MAC. An empty key is allowed by RFC 2104.
    public init(algorithm: DigestAlgorithm, key: [UInt8]) {
        self.init(key: HMACKey(algorithm: algorithm, key: key))
    }

    deinit {
        EVP_MAC_CTX_free(context)
    }

    /// Feeds raw bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        guard EVP_MAC_update(context, base.assumingMemoryBound(to: UInt8.self), bytes.count) == 1 else {
            preconditionFailure("EVP_MAC_update failed: \(OpenSSLError.last())")
        }
    }

    /// Feeds a byte collection (`[UInt8]`, `ArraySlice<UInt8>`, `String.UTF8View`, …).
    public mutating func update<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let fed: Bool? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
            return true
        }
        if fed == nil {
            Array(bytes).withUnsafeBytes { update($0) }
        }
    }

    /// Ends the computation and returns the authentication code (`algorithm.digestLength` bytes).
    public consuming func finalize() -> [UInt8] {
        let capacity = algorithm.digestLength
        var written = 0
        let code = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            guard EVP_MAC_final(context, buffer.baseAddress, &written, capacity) == 1 else {
                preconditionFailure("EVP_MAC_final failed: \(OpenSSLError.last())")
            }
            initialized = written
        }
        precondition(code.count == capacity, "\(algorithm) produced \(code.count) bytes, expected \(capacity)")
        return code
    }

    /// OpenSSL's HMAC implementation, fetched once for the process. Fetching looks the algorithm
    /// up in the provider store under its locks, which OpenSSL's documentation advises against
    /// repeating for every operation (crypto(7), "Performance"); a fetch per webhook also crashed
    /// once inside libcrypto with many threads fetching at the same time. A fetched `EVP_MAC` is
    /// reference-counted and may be shared between threads; every `HMAC` has its own context.
    static var fetchedMAC: OpaquePointer { FetchedMAC.hmac.pointer }

    private struct FetchedMAC: @unchecked Sendable {
        // @unchecked: an `EVP_MAC *` that is only passed to `EVP_MAC_CTX_new`, which OpenSSL
        // allows from any thread on a shared fetched method.
        let pointer: OpaquePointer

        static let hmac: FetchedMAC = {
            guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else {
                preconditionFailure("OpenSSL has no HMAC implementation: \(OpenSSLError.last())")
            }
            return FetchedMAC(pointer: mac)
        }()
    }

    /// One-shot HMAC over the concatenation of `parts`, without concatenating them in memory.
    public static func authenticationCode(
        algorithm: DigestAlgorithm, key: [UInt8], parts: [[UInt8]]
    ) -> [UInt8] {
        var mac = HMAC(algorithm: algorithm, key: key)
        for part in parts { mac.update(part) }
        return mac.finalize()
    }

    /// One-shot HMAC over `message` with a prepared key.
    public static func authenticationCode<Message: Collection>(key: HMACKey, message: Message) -> [UInt8] where Message.Element == UInt8 {
        var mac = HMAC(key: key)
        mac.update(message)
        return mac.finalize()
    }

    /// One-shot HMAC over `message`.
    public static func authenticationCode<Message: Collection>(
        algorithm: DigestAlgorithm, key: [UInt8], message: Message
    ) -> [UInt8] where Message.Element == UInt8 {
        var mac = HMAC(algorithm: algorithm, key: key)
        mac.update(message)
        return mac.finalize()
    }

    /// "HMAC-SHA256": the name of the MAC over `algorithm`, as RFC 4231 and partners write it.
    public static func name(_ algorithm: DigestAlgorithm) -> String {
        "HMAC-" + algorithm.openSSLName
    }
}
