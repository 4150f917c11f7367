import COpenSSL

/// HMAC (RFC 2104) computed by OpenSSL's `EVP_MAC` interface, fed incrementally.
///
/// Incremental feeding lets a verifier authenticate `id.timestamp.body` without first copying a
/// body of up to a megabyte into a new buffer. The type is non-copyable because it owns an
/// OpenSSL context: a copy would double-free it.
///
/// ```swift
/// var mac = HMAC(algorithm: .sha256, key: key)
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

    /// Starts an HMAC with `key`. An empty key is allowed by RFC 2104 and handled correctly.
    public init(algorithm: DigestAlgorithm, key: [UInt8]) {
        self.algorithm = algorithm
        guard let context = EVP_MAC_CTX_new(FetchedMAC.hmac.pointer) else {
            preconditionFailure("EVP_MAC_CTX_new failed: \(OpenSSLError.last())")
        }
        self.context = context

        let initialised = algorithm.openSSLName.withCString { digestName -> Int32 in
            let parameters = [
                OSSL_PARAM_construct_utf8_string("digest", UnsafeMutablePointer(mutating: digestName), 0),
                OSSL_PARAM_construct_end(),
            ]
            return parameters.withUnsafeBufferPointer { parameterBuffer in
                // EVP_MAC_init treats a NULL key as "keep the previous key", so an empty key must
                // still be passed through a valid pointer with length 0.
                if key.isEmpty {
                    var placeholder: UInt8 = 0
                    return EVP_MAC_init(context, &placeholder, 0, parameterBuffer.baseAddress)
                }
                return key.withUnsafeBufferPointer { keyBuffer in
                    EVP_MAC_init(context, keyBuffer.baseAddress, keyBuffer.count, parameterBuffer.baseAddress)
                }
            }
        }
        guard initialised == 1 else {
            EVP_MAC_CTX_free(context)
            preconditionFailure("EVP_MAC_init(\(algorithm)) failed: \(OpenSSLError.last())")
        }
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
    private struct FetchedMAC: @unchecked Sendable {
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
