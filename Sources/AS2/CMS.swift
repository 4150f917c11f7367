import COpenSSL
import Codecs

/// The S/MIME operations of AS2 (RFC 4130 §2.4, RFC 5652/5751) through OpenSSL's CMS: detached
/// signatures, enveloped data. Inputs and outputs are DER.
public enum CMS {
    /// Why a CMS operation failed; the AS2 receiver turns each into its MDN disposition.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The signer is not the partner's certificate, or the signature value does not verify.
        case authentication(String)
        /// The signed content's digest does not match the signature's messageDigest.
        case integrity(String)
        /// The message is not for our certificate, or its key or content could not be decrypted.
        case decryption(String)
        /// Not CMS, or an algorithm we do not take.
        case malformed(String)

        public var description: String {
            switch self {
            case .authentication(let s): "signature not from the partner: \(s)"
            case .integrity(let s): "signed content altered: \(s)"
            case .decryption(let s): "cannot decrypt: \(s)"
            case .malformed(let s): "malformed CMS: \(s)"
            }
        }
    }

    /// A detached SignedData over `content`, signed with `key` (certificate included), digest
    /// `digest` (signed attributes: content type, signing time, message digest).
    public static func signDetached(_ content: [UInt8], certificate: X509Certificate, key: PrivateKey, digest: DigestAlgorithm) throws(Failure) -> [UInt8] {
        let flags = UInt32(CMS_DETACHED | CMS_BINARY | CMS_PARTIAL)
        let result: [UInt8]? = MemoryBIO.reading(content) { data in
            guard let cms = CMS_sign(nil, nil, nil, nil, flags) else { return nil }
            defer { CMS_ContentInfo_free(cms) }
            guard CMS_add1_signer(cms, certificate.pointer, key.pointer, digest.fetched, UInt32(CMS_BINARY)) != nil,
                  CMS_final(cms, data, nil, flags) == 1 else { return nil }
            return der(cms)
        }
        guard let result else { throw .malformed("signing failed: \(OpenSSLError.drain())") }
        return result
    }

    /// Verifies a detached signature over `content` against the partner's `certificate` only
    /// (certificates inside the message are ignored: the partner's is pinned). Returns the digest
    /// algorithm the signer used, which the MIC must use too.
    public static func verifyDetached(signature: [UInt8], content: [UInt8], certificate: X509Certificate) throws(Failure) -> DigestAlgorithm {
        guard let cms = read(signature) else { throw .malformed("the signature is not CMS: \(OpenSSLError.drain())") }
        defer { CMS_ContentInfo_free(cms) }
        guard let infos = CMS_get0_SignerInfos(cms), OPENSSL_sk_num(infos) > 0 else { throw .malformed("the signature has no signer") }
        let signer = OpaquePointer(OPENSSL_sk_value(infos, 0))
        guard CMS_SignerInfo_cert_cmp(signer, certificate.pointer) == 0 else {
            throw .authentication("signed by another certificate than the partner's \(certificate.subject)")
        }
        var digestAlgorithmField: UnsafeMutablePointer<X509_ALGOR>?
        CMS_SignerInfo_get0_algs(signer, nil, nil, &digestAlgorithmField, nil)
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, digestAlgorithmField)
        guard let algorithm = Self.digestAlgorithm(nid: OBJ_obj2nid(object)) else {
            throw .malformed("the signer's digest algorithm is not SHA-1 or SHA-2 (\(OBJ_obj2nid(object)))")
        }
        let certificates = OPENSSL_sk_new_null()
        defer { OPENSSL_sk_free(certificates) }
        OPENSSL_sk_push(certificates, UnsafeRawPointer(certificate.pointer))
        let flags = UInt32(CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY | CMS_NOINTERN | CMS_DETACHED)
        ERR_clear_error()
        let ok = MemoryBIO.reading(content) { data in CMS_verify(cms, certificates, nil, data, nil, flags) }
        guard ok == 1 else {
            let reason = ERR_GET_REASON(ERR_peek_last_error())
            let text = OpenSSLError.drain()
            if reason == CMS_R_CONTENT_VERIFY_ERROR { throw .integrity("the content's digest does not match the signature (\(text))") }
            throw .authentication("the signature does not verify (\(text))")
        }
        return algorithm
    }

    /// EnvelopedData of `content` for the holder of `certificate` (RSA key transport).
    public static func encrypt(_ content: [UInt8], for certificate: X509Certificate, cipher: AS2Cipher) throws(Failure) -> [UInt8] {
        let certificates = OPENSSL_sk_new_null()
        defer { OPENSSL_sk_free(certificates) }
        OPENSSL_sk_push(certificates, UnsafeRawPointer(certificate.pointer))
        guard let evp = EVP_CIPHER_fetch(nil, cipher.openSSLName, nil) else { throw .malformed("OpenSSL has no \(cipher.openSSLName)") }
        defer { EVP_CIPHER_free(evp) }
        let result: [UInt8]? = MemoryBIO.reading(content) { data in
            guard let cms = CMS_encrypt(certificates, data, evp, UInt32(CMS_BINARY)) else { return nil }
            defer { CMS_ContentInfo_free(cms) }
            return der(cms)
        }
        guard let result else { throw .malformed("encryption failed: \(OpenSSLError.drain())") }
        return result
    }

    /// The content of EnvelopedData addressed to `certificate`, decrypted with `key`, and the
    /// content-encryption algorithm it used.
    public static func decrypt(_ enveloped: [UInt8], certificate: X509Certificate, key: PrivateKey) throws(Failure) -> (content: [UInt8], cipher: AS2Cipher?) {
        guard let cms = read(enveloped) else { throw .decryption("the content is not CMS: \(OpenSSLError.drain())") }
        defer { CMS_ContentInfo_free(cms) }
        let out = MemoryBIO.writable()
        defer { BIO_free(out) }
        guard CMS_decrypt(cms, key.pointer, certificate.pointer, nil, out, UInt32(CMS_BINARY)) == 1 else {
            throw .decryption("not encrypted for our certificate \(certificate.subject), or corrupt (\(OpenSSLError.drain()))")
        }
        return (MemoryBIO.contents(out), AS2Cipher(envelopedData: enveloped))
    }

    private static func read(_ der: [UInt8]) -> OpaquePointer? {
        MemoryBIO.reading(der) { bio in d2i_CMS_bio(bio, nil) }
    }

    private static func der(_ cms: OpaquePointer) -> [UInt8]? {
        let out = MemoryBIO.writable()
        defer { BIO_free(out) }
        guard i2d_CMS_bio(out, cms) == 1 else { return nil }
        return MemoryBIO.contents(out)
    }

    private static func digestAlgorithm(nid: Int32) -> DigestAlgorithm? {
        switch nid {
        case NID_sha1: .sha1
        case NID_sha256: .sha256
        case NID_sha384: .sha384
        case NID_sha512: .sha512
        default: nil
        }
    }
}
