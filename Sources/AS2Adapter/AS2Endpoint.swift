import Codecs
import AS2
import Foundation
import HTTPClient
import Logging
import Messaging
import X12
import X12Exchange

/// Delivers outbox messages to one AS2 partner (RFC 4130 §7): builds the message, POSTs it, and
/// judges the synchronous MDN; an asynchronous one settles the delivery later through the `as2`
/// source (acknowledgment key `as2:<Message-ID>`).
struct AS2Endpoint: Endpoint {
    let name: String
    let configuration: AS2EndpointConfiguration
    let client: HTTPClient
    let logger: Logger

    init(name: String, configuration: AS2EndpointConfiguration, client: HTTPClient, logger: Logger) throws {
        self.name = name
        self.configuration = configuration
        self.client = client
        self.logger = logger
    }

    /// The Message-ID of every attempt of `message`: its outbox id, and the endpoint that sent
    /// it, so an asynchronous MDN finds its way back (`<id>@<endpoint>.paklog`).
    static func messageID(of message: OutboxMessage, endpoint: String) -> String {
        "\(message.id.uuidString.lowercased())@\(endpoint).paklog"
    }

    /// The endpoint that sent the message `messageID` names, if we sent it.
    static func endpoint(ofMessageID messageID: String) -> String? {
        guard let at = messageID.lastIndex(of: "@") else { return nil }
        let domain = messageID[messageID.index(after: at)...]
        guard domain.hasSuffix(".paklog"), UUID(uuidString: String(messageID[..<at])) != nil else { return nil }
        let endpoint = String(domain.dropLast(".paklog".count))
        return endpoint.isEmpty ? nil : endpoint
    }

    static func acknowledgmentKey(messageID: String) -> String { "as2:\(messageID)" }

    /// The AS2 message `message` is sent as (the same on every attempt, and when an
    /// asynchronous MDN's MIC is checked against it).
    static func build(_ message: OutboxMessage, endpoint: String, options: AS2SendOptions) throws -> AS2OutboundMessage {
        let content = message.raw?.bytes ?? message.body.serialized()
        let mediaType = message.raw?.mediaType ?? "application/json"
        let filename = message.headers["filename"].map { String($0.filter { $0 != "\"" && $0 != "\\" && !$0.isNewline }) }
        return try AS2OutboundMessage.build(content: content, mediaType: mediaType, filename: filename,
                                            messageID: messageID(of: message, endpoint: endpoint), options: options)
    }

    func deliver(_ message: OutboxMessage) async throws -> DeliveryOutcome {
        guard let url = configuration.partner.settings.url else { return .permanent(reason: "partner has no as2.url", statusCode: nil) }
        let messageID = Self.messageID(of: message, endpoint: name)
        let content = message.raw?.bytes ?? message.body.serialized()
        let options = configuration.partner.sendOptions(receiptURL: configuration.receiptURL)
        let built: AS2OutboundMessage
        do {
            built = try Self.build(message, endpoint: name, options: options)
        } catch {
            return .permanent(reason: "cannot build the AS2 message: \(error)", statusCode: nil)
        }
        let request = HTTPRequest(method: .post, url: url, headers: HTTPHeaders(built.headers), body: built.body, timeout: configuration.timeout)
        let response: HTTPResponse
        do {
            response = try await client.execute(request)
        } catch let error as HTTPClientError {
            if error.kind == .shutdown { throw CancellationError() }
            return error.isTransient ? .retryable(reason: error.description, statusCode: nil, retryAfter: nil) : .permanent(reason: error.description, statusCode: nil)
        }
        let fields = response.headers.combinedByLowercasedName
        guard (200..<300).contains(response.status) else {
            return DeliveryOutcome.classify(httpStatus: response.status, retryAfter: nil, body: response.body)
        }
        // X12 to a partner that trades it waits for the 997 (a 997 or TA1 of ours for nothing
        // more); anything else for the asynchronous MDN, when one was asked for.
        let expectation = configuration.partner.profile.x12 != nil ? X12AcknowledgmentKey.expectation(ofSent: content) : .notX12
        var key = Self.acknowledgmentKey(messageID: messageID)
        if case .acknowledgment(let x12) = expectation { key = x12 }
        let reply = EndpointReply(statusCode: response.status, headers: fields, body: response.body, mediaType: fields["content-type"], acknowledgmentKey: key,
                                  awaitsAcknowledgment: expectation != .nothing)
        guard case .synchronous? = options.receipt else {
            // No MDN asked for, or one that comes later: the HTTP answer is all there is now.
            return .delivered(statusCode: response.status, reply: reply)
        }
        let mdn: AS2ReceivedMDN
        do {
            mdn = try AS2ReceivedMDN.parse(headers: fields, body: response.body, partnerCertificates: configuration.partner.keys.partnerSigning,
                                           requireSignature: configuration.partner.mdnSigning != nil)
        } catch {
            // The partner took the message but its receipt is unusable: send again (it
            // recognises the Message-ID) until the redelivery policy gives up.
            return .retryable(reason: "MDN unusable: \(error)", statusCode: response.status, retryAfter: nil)
        }
        guard mdn.mdn.originalMessageID == messageID else {
            return .retryable(reason: "the MDN answers Message-ID \(mdn.mdn.originalMessageID), not \(messageID)", statusCode: response.status, retryAfter: nil)
        }
        guard mdn.mdn.disposition.isPositive else {
            return .permanent(reason: "MDN \(mdn.mdn.disposition.field)", statusCode: response.status)
        }
        if let mic = mdn.mdn.mic {
            guard mic.matches(built.mic) else {
                return .permanent(reason: "MDN Received-Content-MIC \(mic) is not the MIC of what we sent (\(built.mic)): the partner got other bytes", statusCode: response.status)
            }
        } else if options.signing != nil {
            return .permanent(reason: "positive MDN without Received-Content-MIC for a signed message", statusCode: response.status)
        }
        logger.info("AS2 message delivered", metadata: ["messageId": "\(messageID)", "mdn": "\(mdn.mdn.disposition)", "signedMDN": "\(mdn.signed)"])
        return .delivered(statusCode: response.status, reply: reply)
    }
}
