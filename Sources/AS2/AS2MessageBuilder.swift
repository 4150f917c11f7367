import Codecs
import Foundation

/// How we send to one partner (its profile's outbound settings).
public struct AS2SendOptions: Sendable {
    public var as2From: String
    public var as2To: String
    /// Sign with our certificate and key (nil: unsigned).
    public var signing: (certificate: X509Certificate, key: PrivateKey, digest: AS2DigestName)?
    /// Encrypt to the partner's certificate (nil: unencrypted).
    public var encryption: (certificate: X509Certificate, cipher: AS2Cipher)?
    /// Compress (RFC 5402), before signing.
    public var compress: Bool
    /// Ask for an MDN: nil none; `.synchronous`; `.asynchronous(url)`.
    public var receipt: AS2ReceiptRequest?
    public var subject: String

    public init(as2From: String, as2To: String, signing: (certificate: X509Certificate, key: PrivateKey, digest: AS2DigestName)? = nil,
                encryption: (certificate: X509Certificate, cipher: AS2Cipher)? = nil, compress: Bool = false,
                receipt: AS2ReceiptRequest? = .synchronous(signedWith: nil), subject: String = "AS2 message") {
        self.as2From = as2From
        self.as2To = as2To
        self.signing = signing
        self.encryption = encryption
        self.compress = compress
        self.receipt = receipt
        self.subject = subject
    }
}

/// The receipt a sender asks for.
public enum AS2ReceiptRequest: Sendable, Equatable {
    /// In the HTTP response; signed with the digest when given.
    case synchronous(signedWith: AS2DigestName?)
    /// POSTed later to `url` (`Receipt-Delivery-Option`).
    case asynchronous(url: String, signedWith: AS2DigestName?)

    var signedWith: AS2DigestName? {
        switch self {
        case .synchronous(let d), .asynchronous(_, let d): d
        }
    }
}

/// A message ready to POST: its header fields, body, and the MIC the receipt must return.
public struct AS2OutboundMessage: Sendable {
    public var messageID: String
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// What a positive MDN's Received-Content-MIC must equal (RFC 4130 §7.3.1).
    public var mic: AS2MIC

    /// Builds the message: the payload entity, compressed, then signed, then encrypted, as
    /// `options` ask.
    public static func build(content: [UInt8], mediaType: String, filename: String?, messageID: String, options: AS2SendOptions,
                             date: Date = Date()) throws(CMS.Failure) -> AS2OutboundMessage {
        var fields: [(String, String)] = [("Content-Type", mediaType), ("Content-Transfer-Encoding", "binary")]
        if let filename { fields.append(("Content-Disposition", "attachment; filename=\"\(filename)\"")) }
        var entity = MIMEEntity(headers: fields, body: content)
        let micDigest = options.signing?.digest ?? options.receipt?.signedWith ?? AS2DigestName(.sha256)
        var mic = AS2MIC(of: content, digest: micDigest)

        if options.compress {
            entity = MIMEEntity(headers: [("Content-Type", "application/pkcs7-mime; smime-type=compressed-data; name=smime.p7z"),
                                          ("Content-Transfer-Encoding", "binary"),
                                          ("Content-Disposition", "attachment; filename=smime.p7z")],
                                body: CompressedData.compress(entity.raw))
        }
        if let signing = options.signing {
            mic = AS2MIC(of: entity.raw, digest: signing.digest)
            let signed = try AS2Signing.multipartSigned(entity, certificate: signing.certificate, key: signing.key, digest: signing.digest)
            entity = MIMEEntity(headers: [("Content-Type", signed.contentType)], body: signed.body)
        }
        if let encryption = options.encryption {
            if options.signing == nil { mic = AS2MIC(of: entity.raw, digest: micDigest) }
            let enveloped = try CMS.encrypt(entity.raw, for: encryption.certificate, cipher: encryption.cipher)
            entity = MIMEEntity(headers: [("Content-Type", "application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m"),
                                          ("Content-Transfer-Encoding", "binary"),
                                          ("Content-Disposition", "attachment; filename=smime.p7m")],
                                body: enveloped)
        }

        var headers: [(String, String)] = [
            ("AS2-Version", "1.2"), ("AS2-From", AS2Identifiers.quoted(options.as2From)), ("AS2-To", AS2Identifiers.quoted(options.as2To)),
            ("Message-ID", "<\(messageID)>"), ("Date", AS2Identifiers.date(date)), ("Subject", options.subject),
            ("MIME-Version", "1.0"), ("EDIINT-Features", "CMS"),
        ]
        // The outermost entity's fields travel as the request's.
        headers += entity.headers.map { ($0.name, $0.value) }
        if let receipt = options.receipt {
            headers.append(("Disposition-Notification-To", options.as2From))
            if let field = AS2ReceiptOptions.field(signedWith: receipt.signedWith) { headers.append(("Disposition-Notification-Options", field)) }
            if case .asynchronous(let url, _) = receipt { headers.append(("Receipt-Delivery-Option", url)) }
        }
        return AS2OutboundMessage(messageID: messageID, headers: headers, body: entity.body, mic: mic)
    }
}
