import Foundation
import HTTPClient
import Logging

/// POSTs an asynchronous MDN to the sender's Receipt-Delivery-Option URL (RFC 4130 §7.3),
/// retrying with backoff. The MDN itself is in the log with its message, so a redelivery of the
/// message sends it again.
struct AS2AsyncReceiptSender: Sendable {
    let client: HTTPClient
    let logger: Logger
    var attempts = 6

    func send(_ mdn: AS2ReceiptLog.Rendered, to url: String) {
        let request = HTTPRequest(method: .post, url: url, headers: HTTPHeaders(mdn.headers), body: mdn.body, timeout: .seconds(30))
        Task { [client, logger, attempts] in
            var delay = Duration.seconds(1)
            for attempt in 1...attempts {
                do {
                    let response = try await client.execute(request)
                    if (200..<300).contains(response.status) {
                        logger.info("asynchronous MDN delivered", metadata: ["url": "\(url)", "status": "\(response.status)"])
                        return
                    }
                    logger.warning("asynchronous MDN refused", metadata: ["url": "\(url)", "status": "\(response.status)", "attempt": "\(attempt)"])
                } catch {
                    logger.warning("asynchronous MDN not delivered", metadata: ["url": "\(url)", "error": "\(error)", "attempt": "\(attempt)"])
                }
                try? await Task.sleep(for: delay)
                delay *= 2
            }
            logger.error("asynchronous MDN given up after \(attempts) attempts; a redelivery of the message sends it again", metadata: ["url": "\(url)"])
        }
    }
}
