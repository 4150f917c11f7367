import AS2
import AdapterKit
import Foundation
import HTTPClient
import Logging
import Messaging

/// `paklog as2 send PARTNER FILE`: one AS2 message to a partner outside the daemon's outbox, with
/// the partner's profile (a manual resend after a partner lost a file). It is not recorded in
/// the log; the MDN is checked as the endpoint checks it.
public enum AS2ManualSend {
    /// What the partner said.
    public struct Result: Sendable {
        public var messageID: String
        public var outcome: DeliveryOutcome
    }

    public static func send(_ content: [UInt8], filename: String, mediaType: String, to profile: PartnerProfile, client: HTTPClient) async throws -> Result {
        let partner = try AS2Partner(profile)
        guard partner.settings.url != nil else { throw AS2Partner.Problem(description: "partner '\(profile.name)' has no as2.url") }
        // An asynchronous receipt has nowhere to go from a command: a synchronous one is asked for.
        let configuration = AS2EndpointConfiguration(name: "manual", partner: partner.withSynchronousReceipt(), receiptURL: nil)
        let message = OutboxMessage(id: UUID(), endpoint: "manual", headers: ["filename": filename], body: .null,
                                    raw: RawBody(bytes: content, mediaType: mediaType), enqueuedAt: Date())
        let endpoint = try AS2Endpoint(name: "manual", configuration: configuration, client: client, logger: Logger(label: "paklog.as2.send"))
        let outcome = try await endpoint.deliver(message)
        return Result(messageID: AS2Endpoint.messageID(of: message, endpoint: "manual"), outcome: outcome)
    }
}

extension AS2Partner {
    /// The same partner, asking for a synchronous MDN.
    func withSynchronousReceipt() -> AS2Partner {
        var copy = self
        copy.settings.mdn = settings.mdn == .none ? .none : .sync
        return copy
    }
}
