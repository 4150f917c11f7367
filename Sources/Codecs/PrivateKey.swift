import COpenSSL
import Foundation

/// A private key (RSA or EC) read from PEM (PKCS#8, traditional, or encrypted with a passphrase).
/// Immutable once read; its text is never kept.
public final class PrivateKey: @unchecked Sendable, CustomStringConvertible {
    // @unchecked: the `EVP_PKEY *` is not modified after it is read; OpenSSL 3 allows a key to be
    // used by several operations on different threads at once (each has its own context).
    public let pointer: OpaquePointer

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unreadable(String)

        public var description: String {
            switch self {
            case .unreadable(let detail): "cannot read the private key: \(detail)"
            }
        }
    }

    deinit { EVP_PKEY_free(pointer) }

    /// The key in PEM `bytes`; `passphrase` for an encrypted one. `origin` names it in errors.
    public init(pem bytes: [UInt8], passphrase: String? = nil, origin: String = "the data") throws(Failure) {
        let key: OpaquePointer? = MemoryBIO.reading(bytes) { bio in
            if let passphrase {
                return passphrase.withCString { PEM_read_bio_PrivateKey(bio, nil, nil, UnsafeMutableRawPointer(mutating: $0)) }
            }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key else { throw .unreadable("\(origin): \(OpenSSLError.drain())") }
        pointer = key
    }

    /// The key in the PEM file at `path`.
    public convenience init(file path: String, passphrase: String? = nil) throws(Failure) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable("cannot open \(path)") }
        try self.init(pem: [UInt8](data), passphrase: passphrase, origin: path)
    }

    /// Whether `certificate` carries this key's public half.
    public func matches(_ certificate: X509Certificate) -> Bool { X509_check_private_key(certificate.pointer, pointer) == 1 }

    public var description: String { "private key (\(EVP_PKEY_get_bits(pointer)) bits)" }
}
