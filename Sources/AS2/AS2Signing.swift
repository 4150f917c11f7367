import Codecs

/// multipart/signed with a detached CMS signature (RFC 5751 §3.5, RFC 1847), as AS2 messages and
/// signed MDNs carry it.
public enum AS2Signing {
    /// `entity` signed: the multipart body and its Content-Type (with `micalg` in the spelling of
    /// `digest`). The signature covers `entity.raw`, its headers included.
    public static func multipartSigned(_ entity: MIMEEntity, certificate: X509Certificate, key: PrivateKey, digest: AS2DigestName) throws(CMS.Failure) -> (contentType: String, body: [UInt8]) {
        let signature = try CMS.signDetached(entity.raw, certificate: certificate, key: key, digest: digest.algorithm)
        let boundary = AS2Identifiers.boundary()
        var body: [UInt8] = Array("--\(boundary)\r\n".utf8)
        body += entity.raw
        body += Array("\r\n--\(boundary)\r\n".utf8)
        body += MIMEEntity(headers: [("Content-Type", "application/pkcs7-signature; name=smime.p7s; smime-type=signed-data"),
                                     ("Content-Transfer-Encoding", "base64"),
                                     ("Content-Disposition", "attachment; filename=smime.p7s")],
                           body: Base64.mimeLines(signature)).raw
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        return ("multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=\(digest.spelling); boundary=\"\(boundary)\"", body)
    }
}
