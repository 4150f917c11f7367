import Codecs

/// Our side of an exchange with one partner: our certificate and key (decrypting what the
/// partner sends, signing MDNs and messages) and the partner's certificates (verifying its
/// signatures, encrypting to it).
public struct AS2Keys: Sendable {
    public var ourCertificate: X509Certificate
    public var ourKey: PrivateKey
    /// Signatures are accepted only from these (the partner's signing certificate; two while
    /// it rolls over to a new one).
    public var partnerSigning: [X509Certificate]
    public var partnerEncryption: X509Certificate?

    public init(ourCertificate: X509Certificate, ourKey: PrivateKey, partnerSigning: [X509Certificate], partnerEncryption: X509Certificate? = nil) {
        self.ourCertificate = ourCertificate
        self.ourKey = ourKey
        self.partnerSigning = partnerSigning
        self.partnerEncryption = partnerEncryption ?? partnerSigning.first
    }
}

/// What a partner's profile demands of its messages.
public struct AS2SecurityPolicy: Sendable, Equatable {
    public var requireSignature: Bool
    public var requireEncryption: Bool
    /// Content-encryption algorithms accepted (empty: any of `AS2Cipher`).
    public var ciphers: [AS2Cipher]
    /// Signature digests accepted (empty: any SHA-1/SHA-2).
    public var digests: [DigestAlgorithm]

    public init(requireSignature: Bool = true, requireEncryption: Bool = true, ciphers: [AS2Cipher] = [], digests: [DigestAlgorithm] = []) {
        self.requireSignature = requireSignature
        self.requireEncryption = requireEncryption
        self.ciphers = ciphers
        self.digests = digests
    }
}

/// An AS2 message after decryption, decompression and signature verification.
public struct AS2UnwrappedMessage: Sendable {
    /// The innermost entity (e.g. `application/edi-x12`).
    public var payload: MIMEEntity
    /// Its decoded body: the business document.
    public var content: [UInt8]
    public var filename: String?
    public var signed: Bool
    public var encrypted: Bool
    public var compressed: Bool
    public var cipher: AS2Cipher?
    public var signatureDigest: DigestAlgorithm?
    /// The MIC for the receipt (RFC 4130 §7.3.1).
    public var mic: AS2MIC
}

/// Why a message was refused, with the disposition modifier its MDN reports.
public struct AS2ProcessingError: Error, Equatable, CustomStringConvertible {
    public var modifier: AS2ErrorModifier
    public var detail: String

    public init(_ modifier: AS2ErrorModifier, _ detail: String) {
        self.modifier = modifier
        self.detail = detail
    }

    public var description: String { "\(modifier.text): \(detail)" }
}

/// Takes a received AS2 message apart, layer by layer: enveloped data is decrypted, compressed
/// data inflated, a multipart/signed verified against the partner's pinned certificates, in
/// whatever order the partner nested them (RFC 5402 allows compression before or after signing).
public enum AS2Unwrapper {
    /// The request's entity fields (Content-Type, Content-Transfer-Encoding, Content-Disposition)
    /// describe the body; the sender's `signed-receipt-micalg` list names the MIC's digest for an
    /// unsigned message.
    public static func unwrap(_ request: AS2Request, body: [UInt8], keys: AS2Keys, policy: AS2SecurityPolicy,
                              maxInflatedBytes: Int = 512 << 20) throws(AS2ProcessingError) -> AS2UnwrappedMessage {
        var entity = MIMEEntity(fields: request.entityFields, body: body)
        let micAlgorithms = request.receiptOptions.micAlgorithms
        var signed = false, encrypted = false, compressed = false
        var cipher: AS2Cipher?
        var signatureDigest: DigestAlgorithm?
        var mic: AS2MIC?
        var unsignedMICInput: [UInt8]?
        let unsignedDigest = micAlgorithms.first ?? AS2DigestName(.sha1, spelling: "sha1")

        for _ in 0..<6 {
            guard let type = entity.contentType else { throw AS2ProcessingError(.unexpectedProcessingError, "an entity has no Content-Type") }
            let content: [UInt8]
            do { content = try entity.decodedBody() } catch { throw AS2ProcessingError(.unexpectedProcessingError, error.description) }

            if type.isPKCS7MIME, type.smimeType == "enveloped-data" || (type.smimeType == nil && !CompressedData.isCompressedData(content)) {
                guard !encrypted else { throw AS2ProcessingError(.unexpectedProcessingError, "the message is encrypted twice") }
                let decrypted: (content: [UInt8], cipher: AS2Cipher?)
                do { decrypted = try CMS.decrypt(content, certificate: keys.ourCertificate, key: keys.ourKey) } catch {
                    throw AS2ProcessingError(.decryptionFailed, error.description)
                }
                encrypted = true
                cipher = decrypted.cipher
                if !policy.ciphers.isEmpty, !(cipher.map(policy.ciphers.contains) ?? false) {
                    throw AS2ProcessingError(.insufficientMessageSecurity, "encrypted with \(cipher?.rawValue ?? "an unknown algorithm"); the profile accepts \(policy.ciphers.map(\.rawValue).joined(separator: ", "))")
                }
                do { entity = try MIMEEntity(parsing: decrypted.content) } catch {
                    throw AS2ProcessingError(.unexpectedProcessingError, "the decrypted content is not a MIME entity: \(error)")
                }
                // Encrypted, unsigned: the MIC covers the decrypted entity, headers included
                // (computed at the end, once it is known that no signature lies inside).
                if !signed { unsignedMICInput = decrypted.content }
            } else if type.isPKCS7MIME, type.smimeType == "compressed-data" || type.smimeType == nil {
                guard !compressed else { throw AS2ProcessingError(.unexpectedProcessingError, "the message is compressed twice") }
                let inflated: [UInt8]
                do { inflated = try CompressedData.decompress(content, limit: maxInflatedBytes) } catch {
                    throw AS2ProcessingError(.decompressionFailed, error.description)
                }
                compressed = true
                do { entity = try MIMEEntity(parsing: inflated) } catch {
                    throw AS2ProcessingError(.decompressionFailed, "the decompressed content is not a MIME entity: \(error)")
                }
            } else if type.mediaType == "multipart/signed" {
                guard !signed else { throw AS2ProcessingError(.unexpectedProcessingError, "the message is signed twice") }
                let parts: [MIMEEntity]
                do { parts = try entity.parts() } catch { throw AS2ProcessingError(.unexpectedProcessingError, error.description) }
                guard parts.count == 2, parts[1].contentType?.isPKCS7Signature == true else {
                    throw AS2ProcessingError(.unexpectedProcessingError, "multipart/signed must hold the content and an application/pkcs7-signature, found \(parts.count) parts")
                }
                let signature: [UInt8]
                do { signature = try parts[1].decodedBody() } catch { throw AS2ProcessingError(.unexpectedProcessingError, error.description) }
                let digest = try verify(signature: signature, over: parts[0].raw, certificates: keys.partnerSigning)
                if !policy.digests.isEmpty, !policy.digests.contains(digest) {
                    throw AS2ProcessingError(.insufficientMessageSecurity, "signed with \(digest); the profile accepts \(policy.digests.map(\.description).joined(separator: ", "))")
                }
                signed = true
                signatureDigest = digest
                // Signed: the MIC covers the signed entity, headers included, with the signature's
                // digest, named as the partner's micalg names it.
                let spelling = type.parameters["micalg"].flatMap(AS2DigestName.init(parsing:)).flatMap { $0.algorithm == digest ? $0.spelling : nil }
                mic = AS2MIC(of: parts[0].raw, digest: AS2DigestName(digest, spelling: spelling))
                entity = parts[0]
            } else {
                if policy.requireEncryption, !encrypted {
                    throw AS2ProcessingError(.insufficientMessageSecurity, "the partner's messages must be encrypted; this one is not")
                }
                if policy.requireSignature, !signed {
                    throw AS2ProcessingError(.insufficientMessageSecurity, "the partner's messages must be signed; this one is not")
                }
                let filename = entity.header("Content-Disposition").map(MIMEContentType.init)?.parameters["filename"]
                // Neither signed nor encrypted: the MIC covers the content alone.
                return AS2UnwrappedMessage(payload: entity, content: content, filename: filename, signed: signed, encrypted: encrypted,
                                           compressed: compressed, cipher: cipher, signatureDigest: signatureDigest,
                                           mic: mic ?? AS2MIC(of: unsignedMICInput ?? content, digest: unsignedDigest))
            }
        }
        throw AS2ProcessingError(.unexpectedProcessingError, "too many nested S/MIME layers")
    }

    /// The signature's digest, verified against any of the partner's signing certificates. The
    /// bytes are tried as received, then with bare LFs made CRLF (RFC 5751 §3.1.1 canonical form).
    public static func verify(signature: [UInt8], over content: [UInt8], certificates: [X509Certificate]) throws(AS2ProcessingError) -> DigestAlgorithm {
        var last: CMS.Failure?
        for certificate in certificates {
            do { return try CMS.verifyDetached(signature: signature, content: content, certificate: certificate) } catch {
                last = error
                if case .integrity = error {
                    let canonical = canonicalLineEnds(content)
                    if canonical != content, let digest = try? CMS.verifyDetached(signature: signature, content: canonical, certificate: certificate) {
                        return digest
                    }
                }
            }
        }
        switch last {
        case .integrity(let s)?: throw AS2ProcessingError(.integrityCheckFailed, s)
        case .authentication(let s)?: throw AS2ProcessingError(.authenticationFailed, s)
        case .malformed(let s)?, .decryption(let s)?: throw AS2ProcessingError(.authenticationFailed, s)
        case nil: throw AS2ProcessingError(.authenticationFailed, "the partner's profile has no signing certificate")
        }
    }

    static func canonicalLineEnds(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(10) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 40)
        var previous: UInt8 = 0
        for b in bytes {
            if b == 10, previous != 13 { out.append(13) }
            out.append(b)
            previous = b
        }
        return out
    }
}
