import COpenSSL
import Synchronization

/// An HMAC key made ready once: OpenSSL's MAC context with the digest chosen and the key set,
/// duplicated (`EVP_MAC_CTX_dup`) for every MAC computed with it.
///
/// Setting a key up fetches the digest from OpenSSL's provider store and hashes the key into the
/// inner and outer pads. Done for every webhook, that is work repeated per message and a fetch
/// per message from many threads at once, which OpenSSL 3.0 does not survive reliably (the
/// default library context's fetch races: openssl/openssl#13682, python/cpython#145933; a test
/// run here crashed in it). OpenSSL's maintainers advise exactly this: initialise the context
/// once, duplicate it per use (openssl/openssl#17064). Verifiers and signers keep one per secret.
public final class HMACKey: @unchecked Sendable {
    // @unchecked: `template` is set up in `init` and never changed afterwards; it is only read,
    // by `EVP_MAC_CTX_dup`, and those reads are serialized by `lock` because OpenSSL documents
    // no guarantee for concurrent reads of one context.
    public let algorithm: DigestAlgorithm
    private let template: OpaquePointer
    private let lock = Mutex(())

    /// Prepares `key` for `algorithm`. An empty key is allowed by RFC 2104 and handled correctly.
    public init(algorithm: DigestAlgorithm, key: [UInt8]) {
        self.algorithm = algorithm
        guard let context = EVP_MAC_CTX_new(HMAC.fetchedMAC) else {
            preconditionFailure("EVP_MAC_CTX_new failed: \(OpenSSLError.last())")
        }
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
            let reason = OpenSSLError.last()
            EVP_MAC_CTX_free(context)
            preconditionFailure("EVP_MAC_init(\(algorithm)) failed: \(reason)")
        }
        template = context
    }

    deinit {
        EVP_MAC_CTX_free(template)
    }

    /// A fresh context, ready for `EVP_MAC_update`; the caller owns it.
    func newContext() -> OpaquePointer {
        guard let context = lock.withLock({ _ in EVP_MAC_CTX_dup(template) }) else {
            preconditionFailure("EVP_MAC_CTX_dup failed: \(OpenSSLError.last())")
        }
        return context
    }
}
