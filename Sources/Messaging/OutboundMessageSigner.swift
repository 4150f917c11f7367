/// Signs an outbound delivery. The engine knows only this; the Standard Webhooks signer lives with
/// the webhook adapter (`WebhookAdapter/WebhookSigner`), which verifies the same scheme inbound,
/// so the scheme has one implementation.
public protocol OutboundMessageSigner: Sendable {
    /// The header fields for one delivery. `id` is the same for every redelivery of a message:
    /// receivers deduplicate on it.
    func signatureHeaders(id: String, timestamp: Int64, body: [UInt8]) throws -> [(String, String)]
}
