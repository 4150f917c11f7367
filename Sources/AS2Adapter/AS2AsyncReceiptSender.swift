import EventStore
import Foundation
import HTTPClient
import JSON
import Logging
import Messaging

/// POSTs an asynchronous MDN to the sender's Receipt-Delivery-Option URL (RFC 4130 §7.3),
/// retrying with backoff. The MDN is in the log with its message before this starts; what
/// became of it is recorded there too (`MDNDelivered`, or `MDNUndelivered` after the last
/// attempt, also raised on `error-events` as `AS2ReceiptUndelivered`), so an MDN that a crash
/// or a stop interrupted is sent when the source starts again (`resendUnsent`), and a
/// redelivery of the message sends it again at any time.
struct AS2AsyncReceiptSender: Sendable {
    let client: HTTPClient
    let store: any EventStore
    let source: String
    let logger: Logger
    var attempts = 6

    func send(_ mdn: AS2ReceiptLog.Rendered, to url: String, originalMessageID: String, partner: String) {
        Task { [self] in await deliver(mdn, to: url, originalMessageID: originalMessageID, partner: partner) }
    }

    /// Sends what the log holds as issued but neither delivered nor given up.
    func resendUnsent() async throws {
        let unsent = try await AS2ReceiptLog.unsent(source: source, store: store)
        if !unsent.isEmpty { logger.info("sending asynchronous MDNs a restart interrupted", metadata: ["count": "\(unsent.count)"]) }
        for (id, partner, mdn) in unsent {
            guard let url = mdn.url else { continue }
            send(mdn, to: url, originalMessageID: id, partner: partner)
        }
    }

    private func deliver(_ mdn: AS2ReceiptLog.Rendered, to url: String, originalMessageID: String, partner: String) async {
        let request = HTTPRequest(method: .post, url: url, headers: HTTPHeaders(mdn.headers), body: mdn.body, timeout: .seconds(30))
        var delay = Duration.seconds(1)
        var last = ""
        for attempt in 1...attempts {
            do {
                let response = try await client.execute(request)
                if (200..<300).contains(response.status) {
                    logger.info("asynchronous MDN delivered", metadata: ["url": "\(url)", "status": "\(response.status)"])
                    await record(AS2ReceiptLog.outcome(AS2ReceiptLog.deliveredType, source: source, originalMessageID: originalMessageID))
                    return
                }
                last = "HTTP \(response.status)"
                logger.warning("asynchronous MDN refused", metadata: ["url": "\(url)", "status": "\(response.status)", "attempt": "\(attempt)"])
            } catch let error as HTTPClientError where error.kind == .shutdown {
                return  // stopping: the next start sends it
            } catch {
                last = "\(error)"
                logger.warning("asynchronous MDN not delivered", metadata: ["url": "\(url)", "error": "\(error)", "attempt": "\(attempt)"])
            }
            do { try await Task.sleep(for: delay) } catch { return }
            delay *= 2
        }
        logger.error("asynchronous MDN given up after \(attempts) attempts; a redelivery of the message sends it again", metadata: ["url": "\(url)"])
        let raised: JSONValue = ["source": .string(source), "partner": .string(partner), "originalMessageId": .string(originalMessageID),
                                 "url": .string(url), "reason": .string(last)]
        await record(AS2ReceiptLog.outcome(AS2ReceiptLog.undeliveredType, source: source, originalMessageID: originalMessageID, detail: last),
                     StreamAppend(stream: StreamName(category: DeliveryFailure.topic.category, id: "source.\(source)"),
                                  events: [NewEvent(type: "AS2ReceiptUndelivered", data: raised.serialized(), metadata: EventMetadata(source: source))]))
    }

    private func record(_ appends: StreamAppend...) async {
        do {
            _ = try await store.append(AppendTransaction(appends: appends))
        } catch {
            // Not recorded: the next start sends the MDN once more, which the partner tolerates.
            logger.error("could not record an asynchronous MDN's outcome", metadata: ["error": "\(error)"])
        }
    }
}
