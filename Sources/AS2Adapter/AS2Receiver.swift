import AS2
import Codecs
import EventStore
import Foundation
import Gateway
import HTTPClient
import JSON
import Logging
import Messaging
import Metrics

/// Answers AS2 requests on one path (RFC 4130 §7): a message from a known partner is taken
/// apart, stored durably with the MDN it is answered with (one transaction, keyed
/// `<source>:as2:<AS2-From>:<Message-ID>`), then answered: synchronously in the response, or
/// by POST to its Receipt-Delivery-Option. A redelivery of a stored Message-ID stores nothing
/// and gets the same MDN again. A message that cannot be processed goes to the source's dead
/// letters with its error and gets the matching negative MDN. An asynchronous MDN for one of
/// our own messages settles that delivery.
struct AS2Receiver: HTTPIngressReceiver {
    let source: String
    let configuration: AS2SourceConfiguration
    let inbox: Inbox
    let client: HTTPClient
    let logger: Logger
    private let byName: [String: AS2Partner]

    init(source: String, configuration: AS2SourceConfiguration, inbox: Inbox, client: HTTPClient, logger: Logger) {
        self.source = source
        self.configuration = configuration
        self.inbox = inbox
        self.client = client
        var logger = logger
        logger[metadataKey: "source"] = "\(source)"
        self.logger = logger
        byName = Dictionary(configuration.partners.map { ($0.settings.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    var path: String { configuration.path }
    var maxBodyBytes: Int { configuration.maxBodyBytes }
    var clientCertificate: ClientCertificateRequirement? { configuration.clientCertificate }

    func precheck(method: String, contentType: String?, contentLength: Int?) -> HTTPIngressReply? {
        guard method == "POST" else { return Self.plain(405, "AS2 messages are POSTed (RFC 4130 §5.1)", headers: [("Allow", "POST")]) }
        if let contentLength, contentLength > maxBodyBytes { return oversize(bytesRead: contentLength) }
        guard contentType != nil else { return Self.plain(415, "an AS2 message has a Content-Type") }
        return nil
    }

    func oversize(bytesRead: Int) -> HTTPIngressReply {
        Self.plain(413, "the message exceeds the limit of \(maxBodyBytes) bytes")
    }

    func receive(method: String, headers: [(String, String)], body: [UInt8], peer: HTTPIngressPeer) async -> HTTPIngressReply {
        let fields = HTTPIngressFields.map(headers)
        let request: AS2Request
        do { request = try AS2Request(headers: fields) } catch { return Self.plain(400, error.description) }
        // Unknown pairs are refused before anything is read or stored: without a profile there
        // is no key to decrypt with nor certificate to trust.
        guard let partner = byName[request.as2From] else {
            Counter(label: "paklog_as2_refused_total", dimensions: [("source", source), ("reason", "unknown-partner")]).increment()
            logger.warning("AS2 request from an unknown partner refused", metadata: ["as2From": "\(request.as2From)", "as2To": "\(request.as2To)"])
            return Self.plain(403, "AS2-From '\(request.as2From)' is not a partner of this receiver")
        }
        if let certified = peer.partner, certified != partner.profile.name {
            Counter(label: "paklog_as2_refused_total", dimensions: [("source", source), ("reason", "certificate-of-another-partner")]).increment()
            logger.warning("AS2 request under another partner's name refused", metadata: ["as2From": "\(request.as2From)", "certificatePartner": "\(certified)"])
            return Self.plain(403, "AS2-From '\(request.as2From)' is partner '\(partner.profile.name)', but the TLS client certificate is partner '\(certified)''s")
        }
        guard request.as2To == partner.settings.ourName else {
            logger.warning("AS2 request to another name refused", metadata: ["as2From": "\(request.as2From)", "as2To": "\(request.as2To)"])
            return Self.plain(403, "AS2-To '\(request.as2To)' is not our AS2 name for partner '\(partner.profile.name)' (\(partner.settings.ourName))")
        }
        if Self.isReceipt(request.contentType, body: body) {
            return await settle(receipt: fields, body: body, from: partner)
        }
        return await store(request, body: body, fields: fields, from: partner)
    }

    /// The message: stored with its MDN, or dead-lettered with a negative one.
    private func store(_ request: AS2Request, body: [UInt8], fields: [String: String], from partner: AS2Partner) async -> HTTPIngressReply {
        let key = "as2:\(request.as2From):\(request.messageID)"
        let envelopeKey = "\(source):\(key)"
        do {
            if let stored = try await AS2ReceiptLog.storedReceipt(key: envelopeKey, store: inbox.store) {
                Counter(label: "paklog_messages_duplicate_total", dimensions: [("source", source)]).increment()
                logger.info("duplicate AS2 message answered with its first MDN", metadata: ["messageId": "\(request.messageID)", "partner": "\(partner.profile.name)"])
                return answer(stored, request: request, partner: partner)
            }
        } catch {
            return Self.plain(503, "the message could not be checked against the log; retry later", headers: [("Retry-After", "5")])
        }

        let outcome: Result<AS2UnwrappedMessage, AS2ProcessingError>
        do {
            outcome = .success(try AS2Unwrapper.unwrap(request, body: body, keys: partner.keys, policy: partner.policy, maxInflatedBytes: 8 * maxBodyBytes))
        } catch {
            outcome = .failure(error)
        }
        let mdn = request.receipt(for: outcome, messageID: AS2Identifiers.messageID(domain: "\(source).paklog"))
        let rendered: AS2ReceiptLog.Rendered?
        if request.wantsReceipt {
            do {
                let signing = request.receiptDigest.map { (partner.ours.certificate.certificate, partner.ours.key, $0) }
                let r = try mdn.rendered(signing: signing)
                rendered = AS2ReceiptLog.Rendered(headers: r.headers, body: r.body, url: request.receiptURL)
            } catch {
                logger.error("cannot sign the MDN", metadata: ["error": "\(error)"])
                return Self.plain(500, "the receipt could not be signed")
            }
        } else {
            rendered = nil
        }

        var headers = [
            "as2-from": request.as2From, "as2-to": request.as2To, "message-id": request.messageID,
        ]
        let now = Date()
        switch outcome {
        case .success(let message):
            headers["content-type"] = message.payload.header("Content-Type") ?? RawBody.defaultMediaType
            if let f = message.filename { headers["filename"] = f }
            headers["as2-mic"] = message.mic.field
            headers["as2-security"] = [message.signed ? "signed" : nil, message.encrypted ? "encrypted" : nil, message.compressed ? "compressed" : nil]
                .compactMap { $0 }.joined(separator: ",")
            if let t = fields["traceparent"] { headers["traceparent"] = t }
            let envelope = Envelope(source: source, partner: partner.profile.name, headers: headers, body: message.content, receivedAt: now, idempotencyKey: key,
                                    traceContext: fields["traceparent"].flatMap { TraceContext(traceparent: $0, tracestate: fields["tracestate"]) })
            do {
                let receiptLog = rendered.map { AS2ReceiptLog.append($0, source: source, originalMessageID: request.messageID, partner: partner.profile.name) }
                let result: AppendResult
                if let x12 = partner.profile.x12, X12Receipt.applies(to: message.content) {
                    // Checked against the partner's earlier control numbers and answered with its
                    // 997 in the same transaction (the MDN says the file arrived; the 997 what it held).
                    let outcome = try await X12Receipt(partner: partner.profile.name, acknowledgeBy: x12.acknowledgeBy)
                        .commit(envelope, with: receiptLog.map { [StreamAppend(stream: $0.stream, events: $0.events)] } ?? [], idempotencyKey: envelopeKey,
                                store: inbox.store)
                    result = outcome.result
                    if let refused = outcome.refused {
                        logger.warning("X12 file repeats control numbers; kept as dead letter", metadata: ["partner": "\(partner.profile.name)", "reason": "\(refused)"])
                    }
                    if let gap = outcome.outOfSequence {
                        logger.warning("X12 interchange out of sequence", metadata: ["partner": "\(partner.profile.name)", "sequence": "\(gap)"])
                    }
                } else {
                    var appends = [Inbox.append(for: envelope)]
                    if let receiptLog { appends.append(receiptLog) }
                    result = try await inbox.store.append(AppendTransaction(appends: appends.map { StreamAppend(stream: $0.stream, events: $0.events) },
                                                                            idempotencyKey: envelopeKey))
                }
                if result.wasDuplicate, let stored = try await AS2ReceiptLog.storedReceipt(key: envelopeKey, store: inbox.store) {
                    // Another request with this Message-ID committed first.
                    return answer(stored, request: request, partner: partner)
                }
                Counter(label: "paklog_messages_received_total", dimensions: [("source", source)]).increment()
                logger.info("AS2 message stored", metadata: ["messageId": "\(request.messageID)", "partner": "\(partner.profile.name)", "bytes": "\(message.content.count)"])
            } catch {
                logger.error("could not store an AS2 message", metadata: ["error": "\(error)"])
                // No MDN: the partner sends again (RFC 4130 §7.5.1 leaves the retry to it).
                return Self.plain(503, "the message could not be stored; retry later", headers: [("Retry-After", "5")])
            }
        case .failure(let error):
            headers["content-type"] = request.contentType
            headers["as2-disposition"] = mdn.disposition.field
            let envelope = Envelope(source: source, partner: partner.profile.name, headers: headers, body: body, receivedAt: now, idempotencyKey: key)
            Counter(label: "paklog_as2_refused_total", dimensions: [("source", source), ("reason", error.modifier.text)]).increment()
            do {
                let receipt = try await inbox.reject(envelope, reason: error.description)
                logger.warning("AS2 message refused and kept as dead letter", metadata: ["messageId": "\(request.messageID)", "partner": "\(partner.profile.name)",
                                                                                        "reason": "\(error)", "position": "\(receipt.position)"])
            } catch {
                logger.error("could not keep a refused AS2 message", metadata: ["error": "\(error)"])
                return Self.plain(503, "the message could not be stored; retry later", headers: [("Retry-After", "5")])
            }
        }
        guard let rendered else { return HTTPIngressReply(status: 200, contentType: "text/plain", body: []) }
        return answer(rendered, request: request, partner: partner)
    }

    /// Sends asynchronous MDNs, recording what became of each.
    var receiptSender: AS2AsyncReceiptSender { AS2AsyncReceiptSender(client: client, store: inbox.store, source: source, logger: logger) }

    /// The MDN in the response, or (asynchronous) an empty 200 now and the MDN by POST.
    private func answer(_ mdn: AS2ReceiptLog.Rendered, request: AS2Request, partner: AS2Partner) -> HTTPIngressReply {
        guard !mdn.headers.isEmpty else { return HTTPIngressReply(status: 200, contentType: "text/plain", body: []) }
        let contentType = mdn.headers.first { $0.0.lowercased() == "content-type" }?.1 ?? "multipart/report"
        let others = mdn.headers.filter { $0.0.lowercased() != "content-type" }
        if let url = mdn.url {
            receiptSender.send(mdn, to: url, originalMessageID: request.messageID, partner: partner.profile.name)
            return HTTPIngressReply(status: 200, contentType: "text/plain", body: Array("Asynchronous MDN will be sent to the Receipt-Delivery-Option\r\n".utf8))
        }
        return HTTPIngressReply(status: 200, headers: others, contentType: contentType, body: mdn.body)
    }

    /// An asynchronous MDN for one of our messages: the acknowledgment of that delivery.
    private func settle(receipt fields: [String: String], body: [UInt8], from partner: AS2Partner) async -> HTTPIngressReply {
        let received: AS2ReceivedMDN
        do {
            received = try AS2ReceivedMDN.parse(headers: fields, body: body, partnerCertificates: partner.keys.partnerSigning,
                                                requireSignature: partner.mdnSigning != nil)
        } catch {
            logger.warning("refused an MDN", metadata: ["partner": "\(partner.profile.name)", "reason": "\(error)"])
            return Self.plain(400, "MDN refused: \(error)")
        }
        guard let endpoint = AS2Endpoint.endpoint(ofMessageID: received.mdn.originalMessageID) else {
            return Self.plain(400, "the MDN answers Message-ID \(received.mdn.originalMessageID), which this gateway did not send")
        }
        var accepted = received.mdn.disposition.isPositive
        var reason = accepted ? nil : "MDN \(received.mdn.disposition.field)"
        let sent = accepted ? await sentMessage(received.mdn.originalMessageID, endpoint: endpoint, partner: partner) : nil
        if let sent {
            // As for a synchronous MDN (RFC 4130 §7.3.1): the partner must have got our bytes.
            if let mic = received.mdn.mic {
                if !mic.matches(sent.mic) {
                    accepted = false
                    reason = "MDN Received-Content-MIC \(mic) is not the MIC of what we sent (\(sent.mic)): the partner got other bytes"
                }
            } else if sent.signed {
                accepted = false
                reason = "positive MDN without Received-Content-MIC for a signed message"
            }
        }
        let ack = Acknowledgment(key: AS2Endpoint.acknowledgmentKey(messageID: received.mdn.originalMessageID), accepted: accepted, reason: reason, at: Date())
        do {
            _ = try await inbox.store.append(AppendTransaction(
                appends: [StreamAppend(stream: OutboxEvent.stream(forEndpoint: endpoint), events: [OutboxEvent.acknowledged(ack).newEvent()])],
                idempotencyKey: "\(source):as2-mdn:\(received.mdn.originalMessageID)"))
        } catch {
            return Self.plain(503, "the MDN could not be stored; retry later", headers: [("Retry-After", "5")])
        }
        logger.info("asynchronous MDN recorded", metadata: ["originalMessageId": "\(received.mdn.originalMessageID)", "disposition": "\(received.mdn.disposition)",
                                                            "micChecked": "\(sent != nil)", "accepted": "\(accepted)"])
        return HTTPIngressReply(status: 200, contentType: "text/plain", body: [])
    }

    /// The MIC of the message we sent as `messageID` (rebuilt from its outbox entry, which
    /// gives the same MIC), and whether it was signed; nil when it is no longer among the
    /// endpoint's recent entries (the MDN then settles the delivery unchecked).
    private func sentMessage(_ messageID: String, endpoint: String, partner: AS2Partner) async -> (mic: AS2MIC, signed: Bool)? {
        guard let at = messageID.lastIndex(of: "@"), let id = UUID(uuidString: String(messageID[..<at])) else { return nil }
        let stream = OutboxEvent.stream(forEndpoint: endpoint)
        var before: Int64?
        for _ in 0..<20 {
            guard let page = try? await inbox.store.readStream(stream, from: before, direction: .backward, maxCount: 500), !page.isEmpty else { return nil }
            for event in page where event.id == id {
                guard case .queued(let message)? = try? OutboxEvent.decode(event) else { return nil }
                let options = partner.sendOptions(receiptURL: nil)
                guard let built = try? AS2Endpoint.build(message, endpoint: endpoint, options: options) else { return nil }
                return (built.mic, options.signing != nil)
            }
            guard let oldest = page.last?.streamVersion, oldest > 0 else { return nil }
            before = oldest - 1
        }
        logger.info("asynchronous MDN for a message older than the endpoint's last 10,000 entries; MIC not checked", metadata: ["originalMessageId": "\(messageID)"])
        return nil
    }

    /// An MDN rather than a message: `multipart/report`, or a signed one.
    static func isReceipt(_ contentType: String, body: [UInt8]) -> Bool {
        let type = MIMEContentType(contentType)
        if type.mediaType == "multipart/report" { return true }
        guard type.mediaType == "multipart/signed" else { return false }
        // The signed part's own Content-Type says: look at the start of the body only.
        return body.prefix(2048).firstRange(of: Array("multipart/report".utf8)) != nil
    }

    static func plain(_ status: Int, _ text: String, headers: [(String, String)] = []) -> HTTPIngressReply {
        HTTPIngressReply(status: status, headers: headers, contentType: "text/plain; charset=utf-8", body: Array((text + "\n").utf8))
    }
}
