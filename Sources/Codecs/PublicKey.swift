import COpenSSL
import Foundation

/// A public key (RSA or EC) from PEM: a `PUBLIC KEY` (SubjectPublicKeyInfo) or a certificate's.
/// Verifies signatures; immutable once read.
public final class PublicKey: @unchecked Sendable {
    // @unchecked: as for PrivateKey, the `EVP_PKEY *` is never modified after it is read.
    public let pointer: OpaquePointer

    deinit { EVP_PKEY_free(pointer) }

    /// The key in PEM `bytes` (a public key, or a certificate); `origin` names it in errors.
    public init(pem bytes: [UInt8], origin: String = "the data") throws(PrivateKey.Failure) {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.contains("-----BEGIN CERTIFICATE-----") {
            let certificate: X509Certificate
            do { certificate = try X509Certificate(bytes: bytes, origin: origin) } catch { throw .unreadable("\(error)") }
            guard let key = X509_get_pubkey(certificate.pointer) else { throw .unreadable("\(origin): \(OpenSSLError.drain())") }
            pointer = key
            return
        }
        guard let key = MemoryBIO.reading(bytes, { PEM_read_bio_PUBKEY($0, nil, nil, nil) }) else {
            throw .unreadable("\(origin): \(OpenSSLError.drain())")
        }
        pointer = key
    }

    /// Takes ownership of `key` (freed with this value).
    init(taking key: OpaquePointer) {
        pointer = key
    }

    public convenience init(file path: String) throws(PrivateKey.Failure) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable("cannot open \(path)") }
        try self.init(pem: [UInt8](data), origin: path)
    }

    /// Whether it is an RSA key (else EC).
    public var isRSA: Bool { EVP_PKEY_get_base_id(pointer) == EVP_PKEY_RSA }

    /// Whether `signature` (PKCS #1 v1.5 for RSA, DER ECDSA-Sig-Value for EC) signs `message`
    /// with `digest`.
    public func verifies(_ signature: [UInt8], of message: [UInt8], digest: DigestAlgorithm) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, digest.fetched, nil, pointer) == 1 else {
            _ = OpenSSLError.drain()
            return false
        }
        let ok = message.withUnsafeBufferPointer { m in
            signature.withUnsafeBufferPointer { s in EVP_DigestVerify(context, s.baseAddress, s.count, m.baseAddress, m.count) }
        }
        _ = OpenSSLError.drain()
        return ok == 1
    }

    /// A JOSE ECDSA signature (r ‖ s, RFC 7518 §3.4) as the DER ECDSA-Sig-Value OpenSSL verifies;
    /// nil when it is not two halves.
    public static func derECDSASignature(raw: [UInt8]) -> [UInt8]? {
        guard !raw.isEmpty, raw.count % 2 == 0, let sig = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(sig) }
        let half = raw.count / 2
        let r = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32(half), nil) }
        let s = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress! + half, Int32(half), nil) }
        guard let r, let s, ECDSA_SIG_set0(sig, r, s) == 1 else { BN_free(r); BN_free(s); return nil }
        var out: UnsafeMutablePointer<UInt8>?
        let length = i2d_ECDSA_SIG(sig, &out)
        guard length > 0, let out else { return nil }
        defer { CRYPTO_free(out, #file, #line) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }
}
