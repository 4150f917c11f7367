import Messaging

extension WebhookSigner: OutboundMessageSigner {
    /// `webhook-id`, `webhook-timestamp` and `webhook-signature` for an outbound delivery.
    public func signatureHeaders(id: String, timestamp: Int64, body: [UInt8]) throws -> [(String, String)] {
        try sign(id: id, timestamp: timestamp, body: body).fields.map { ($0.name, $0.value) }
    }
}
