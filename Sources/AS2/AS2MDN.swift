import Codecs
import Foundation

/// A Message Disposition Notification (RFC 3798, as RFC 4130 §7 uses it): a
/// `multipart/report; report-type=disposition-notification` with a human-readable part and a
/// `message/disposition-notification` part, signed (multipart/signed) when the sender asked.
public struct AS2MDN: Sendable, Equatable {
    /// The MDN's own Message-ID (without angle brackets).
    public var messageID: String
    /// The Message-ID of the message it answers.
    public var originalMessageID: String
    /// Who sends the MDN (the original message's AS2-To).
    public var as2From: String
    public var as2To: String
    public var disposition: AS2Disposition
    public var mic: AS2MIC?
    /// The human-readable part.
    public var text: String

    public init(messageID: String, originalMessageID: String, as2From: String, as2To: String, disposition: AS2Disposition, mic: AS2MIC?, text: String) {
        self.messageID = messageID
        self.originalMessageID = originalMessageID
        self.as2From = as2From
        self.as2To = as2To
        self.disposition = disposition
        self.mic = mic
        self.text = text
    }

    /// The MDN as an HTTP message: header fields (AS2 and the entity's Content-Type) and body.
    /// `signing`: our certificate and key and the digest the sender asked for.
    public func rendered(signing: (certificate: X509Certificate, key: PrivateKey, digest: AS2DigestName)?, date: Date = Date()) throws(CMS.Failure) -> (headers: [(String, String)], body: [UInt8]) {
        var report = "Reporting-UA: PakLog Gateway\r\n"
        report += "Original-Recipient: rfc822; \(as2From)\r\n"
        report += "Final-Recipient: rfc822; \(as2From)\r\n"
        report += "Original-Message-ID: <\(originalMessageID)>\r\n"
        report += "Disposition: automatic-action/MDN-sent-automatically; \(disposition.field)\r\n"
        if let mic { report += "Received-Content-MIC: \(mic.field)\r\n" }
        let reportBoundary = AS2Identifiers.boundary()
        var reportBody: [UInt8] = []
        reportBody += Array("--\(reportBoundary)\r\n".utf8)
        reportBody += MIMEEntity(headers: [("Content-Type", "text/plain"), ("Content-Transfer-Encoding", "7bit")],
                                 body: Array((text + "\r\n").utf8)).raw
        reportBody += Array("\r\n--\(reportBoundary)\r\n".utf8)
        reportBody += MIMEEntity(headers: [("Content-Type", "message/disposition-notification"), ("Content-Transfer-Encoding", "7bit")],
                                 body: Array(report.utf8)).raw
        reportBody += Array("\r\n--\(reportBoundary)--\r\n".utf8)
        let reportType = "multipart/report; report-type=disposition-notification; boundary=\"\(reportBoundary)\""

        var headers: [(String, String)] = [
            ("AS2-Version", "1.2"), ("AS2-From", AS2Identifiers.quoted(as2From)), ("AS2-To", AS2Identifiers.quoted(as2To)),
            ("Message-ID", "<\(messageID)>"), ("Date", AS2Identifiers.date(date)), ("MIME-Version", "1.0"), ("EDIINT-Features", "CMS"),
        ]
        guard let signing else {
            headers.append(("Content-Type", reportType))
            return (headers, reportBody)
        }
        let signed = try AS2Signing.multipartSigned(MIMEEntity(headers: [("Content-Type", reportType)], body: reportBody),
                                                    certificate: signing.certificate, key: signing.key, digest: signing.digest)
        headers.append(("Content-Type", signed.contentType))
        return (headers, signed.body)
    }
}

/// An MDN as received: parsed and, when signed, verified.
public struct AS2ReceivedMDN: Sendable, Equatable {
    public var mdn: AS2MDN
    /// True when the MDN was signed and its signature verified against the partner's certificate.
    public var signed: Bool
    public var signatureDigest: DigestAlgorithm?

    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Parses an MDN from its header fields (names any case) and body. A signed MDN must verify
    /// against one of `partnerCertificates`; `requireSignature` refuses an unsigned one.
    public static func parse(headers: [String: String], body: [UInt8], partnerCertificates: [X509Certificate], requireSignature: Bool) throws(Failure) -> AS2ReceivedMDN {
        let fields = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        guard let contentType = fields["content-type"] else { throw Failure(description: "the MDN has no Content-Type") }
        var entity = MIMEEntity(fields: [("Content-Type", contentType)], body: body)
        var signed = false
        var digest: DigestAlgorithm?
        do {
            if entity.contentType?.mediaType == "multipart/signed" {
                let parts = try entity.parts()
                guard parts.count == 2, parts[1].contentType?.isPKCS7Signature == true else {
                    throw Failure(description: "a signed MDN must hold the report and an application/pkcs7-signature")
                }
                do {
                    digest = try AS2Unwrapper.verify(signature: try parts[1].decodedBody(), over: parts[0].raw, certificates: partnerCertificates)
                } catch {
                    throw Failure(description: "the MDN's signature does not verify: \(error)")
                }
                signed = true
                entity = parts[0]
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "\(error)")
        }
        if requireSignature, !signed { throw Failure(description: "a signed MDN was requested but the MDN is not signed") }
        guard entity.contentType?.mediaType == "multipart/report" else {
            throw Failure(description: "not an MDN: Content-Type is \(entity.contentType?.mediaType ?? "missing"), expected multipart/report")
        }
        let parts: [MIMEEntity]
        do { parts = try entity.parts() } catch { throw Failure(description: "\(error)") }
        guard let notification = parts.first(where: { $0.contentType?.mediaType == "message/disposition-notification" }) else {
            throw Failure(description: "the MDN has no message/disposition-notification part")
        }
        let report: MIMEEntity
        do { report = try MIMEEntity(parsing: (try notification.decodedBody()) + [13, 10, 13, 10]) } catch {
            throw Failure(description: "the disposition notification is not a field block: \(error)")
        }
        guard let original = report.header("Original-Message-ID") else { throw Failure(description: "the MDN names no Original-Message-ID") }
        guard let disposition = report.header("Disposition") else { throw Failure(description: "the MDN has no Disposition") }
        let text = parts.first { $0.contentType?.mediaType == "text/plain" }.flatMap { try? $0.decodedBody() }.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let mdn = AS2MDN(messageID: AS2Identifiers.unbracketed(fields["message-id"] ?? ""), originalMessageID: AS2Identifiers.unbracketed(original),
                         as2From: AS2Identifiers.unquoted(fields["as2-from"] ?? ""), as2To: AS2Identifiers.unquoted(fields["as2-to"] ?? ""),
                         disposition: AS2Disposition(field: disposition), mic: report.header("Received-Content-MIC").flatMap(AS2MIC.init(field:)),
                         text: text.trimmingASCIIWhitespace())
        return AS2ReceivedMDN(mdn: mdn, signed: signed, signatureDigest: digest)
    }
}
