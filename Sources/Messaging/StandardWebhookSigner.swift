import COpenSSL
import Foundation

/// Signs outgoing webhooks as the Standard Webhooks specification says
/// (github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md, "Signature scheme"):
/// `webhook-signature: v1,<base64 HMAC-SHA256(secret, "<webhook-id>.<webhook-timestamp>.<body>")>`,
/// where the secret is given as `whsec_<base64 key>` and the timestamp is Unix seconds.
public struct StandardWebhookSigner: Sendable, Equatable {
    private let key: [UInt8]

    /// - Throws: `StandardWebhookSignerError` when the secret is not `whsec_` + base64 of 24–64 bytes
    ///   (the spec recommends keys between 24 and 64 bytes).
    public init(secret: String) throws {
        let prefix = "whsec_"
        guard secret.hasPrefix(prefix) else { throw StandardWebhookSignerError.missingPrefix }
        guard let data = Data(base64Encoded: String(secret.dropFirst(prefix.count))) else { throw StandardWebhookSignerError.notBase64 }
        guard (24...64).contains(data.count) else { throw StandardWebhookSignerError.badKeyLength(data.count) }
        key = Array(data)
    }

    /// The three header fields for one delivery. `id` must be the same for every redelivery of a
    /// message: receivers deduplicate on it.
    public func headers(id: String, timestamp: Int64, body: [UInt8]) -> [(String, String)] {
        [("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", "v1," + signature(id: id, timestamp: timestamp, body: body))]
    }

    /// The base64 HMAC-SHA256 of `id.timestamp.body`.
    public func signature(id: String, timestamp: Int64, body: [UInt8]) -> String {
        var content = Array(id.utf8)
        content.append(UInt8(ascii: "."))
        content.append(contentsOf: String(timestamp).utf8)
        content.append(UInt8(ascii: "."))
        content.append(contentsOf: body)
        var mac = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { k in
            content.withUnsafeBytes { c in
                HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), c.baseAddress?.assumingMemoryBound(to: UInt8.self), c.count, &mac, &length)
            }
        }
        precondition(result != nil && length == 32, "OpenSSL HMAC-SHA256 failed")
        return Data(mac.prefix(Int(length))).base64EncodedString()
    }
}

public enum StandardWebhookSignerError: Error, Equatable, CustomStringConvertible {
    case missingPrefix
    case notBase64
    case badKeyLength(Int)

    public var description: String {
        switch self {
        case .missingPrefix: "webhook signing secret must start with 'whsec_'"
        case .notBase64: "webhook signing secret after 'whsec_' is not base64"
        case .badKeyLength(let n): "webhook signing secret decodes to \(n) bytes; 24 to 64 are required"
        }
    }
}
