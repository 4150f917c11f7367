import WebhookAdapter
import Messaging
import Testing

@Suite("WebhookSigner as the engine's outbound signer")
struct OutboundSignerTests {
    @Test("signs the Standard Webhooks specification's example exactly")
    func specificationExample() throws {
        // The example of github.com/standard-webhooks/standard-webhooks (spec and reference libraries).
        let signer: any OutboundMessageSigner = try WebhookSigner(secret: WebhookSecret(standardWebhooks: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let headers = try signer.signatureHeaders(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8))
        #expect(headers.first { $0.0 == "webhook-signature" }?.1 == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(headers.first { $0.0 == "webhook-id" }?.1 == "msg_p5jXN8AQM9LWM0D4loKWxJek")
        #expect(headers.first { $0.0 == "webhook-timestamp" }?.1 == "1614265330")
    }
}
