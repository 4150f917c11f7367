import Codecs
import Foundation

/// The AS2 fields of a received request (RFC 4130 §6): who sends to whom, the message's id,
/// its outermost Content-Type, and what receipt it asks for.
public struct AS2Request: Sendable {
    public var as2From: String
    public var as2To: String
    /// Without angle brackets.
    public var messageID: String
    public var contentType: String
    /// The MIME fields of the outermost entity, which travel as HTTP fields: Content-Type,
    /// Content-Transfer-Encoding, Content-Disposition.
    public var entityFields: [(String, String)]
    /// Set when the sender wants an MDN (`Disposition-Notification-To`).
    public var wantsReceipt: Bool
    public var receiptOptions: AS2ReceiptOptions
    /// `Receipt-Delivery-Option`: where an asynchronous MDN goes (nil: synchronous).
    public var receiptURL: String?

    public struct Missing: Error, Equatable, CustomStringConvertible {
        public var field: String
        public var description: String { "the request has no \(field) header" }
    }

    /// Reads the fields; `headers` by lowercased name.
    public init(headers: [String: String]) throws(Missing) {
        func field(_ name: String) throws(Missing) -> String {
            guard let v = headers[name.lowercased()]?.trimmingOptionalWhitespace(), !v.isEmpty else { throw Missing(field: name) }
            return v
        }
        as2From = AS2Identifiers.unquoted(try field("AS2-From"))
        as2To = AS2Identifiers.unquoted(try field("AS2-To"))
        messageID = AS2Identifiers.unbracketed(try field("Message-ID"))
        contentType = try field("Content-Type")
        entityFields = [("Content-Type", contentType)]
        for name in ["Content-Transfer-Encoding", "Content-Disposition"] {
            if let v = headers[name.lowercased()] { entityFields.append((name, v)) }
        }
        wantsReceipt = headers["disposition-notification-to"].map { !$0.isEmpty } ?? false
        receiptOptions = AS2ReceiptOptions(field: headers["disposition-notification-options"])
        receiptURL = headers["receipt-delivery-option"].flatMap { $0.trimmingOptionalWhitespace().isEmpty ? nil : $0.trimmingOptionalWhitespace() }
    }

    /// The receipt for this request: positive with the MIC, or the error's disposition.
    public func receipt(for outcome: Result<AS2UnwrappedMessage, AS2ProcessingError>, messageID mdnID: String) -> AS2MDN {
        switch outcome {
        case .success(let message):
            return AS2MDN(messageID: mdnID, originalMessageID: messageID, as2From: as2To, as2To: as2From, disposition: .processed,
                          mic: message.mic, text: "The AS2 message \(messageID) has been received and stored.")
        case .failure(let error):
            return AS2MDN(messageID: mdnID, originalMessageID: messageID, as2From: as2To, as2To: as2From, disposition: .error(error.modifier),
                          mic: nil, text: "The AS2 message \(messageID) could not be processed: \(error.modifier.text).")
        }
    }

    /// The digest a signed receipt is signed with: the first of the sender's list we know
    /// (nil when no signed receipt was asked, or none of its digests is known).
    public var receiptDigest: AS2DigestName? {
        receiptOptions.signed ? receiptOptions.micAlgorithms.first : nil
    }
}
