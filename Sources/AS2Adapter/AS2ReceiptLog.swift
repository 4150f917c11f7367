import Codecs
import EventStore
import Foundation
import JSON
import Messaging

/// The MDNs we answered with, each committed with the message it answers (stream
/// `as2receipt-<source>`), so that a redelivery gets the same MDN again.
enum AS2ReceiptLog {
    static let type = "MDNIssued"

    /// An MDN as sent: HTTP fields, body, and the URL of an asynchronous one.
    struct Rendered: Sendable {
        var headers: [(String, String)]
        var body: [UInt8]
        var url: String?
    }

    static func stream(source: String) -> StreamName { StreamName(category: "as2receipt", id: source) }

    static func append(_ mdn: Rendered, source: String, originalMessageID: String) -> StreamAppend {
        var o: JSONValue = [
            "originalMessageId": .string(originalMessageID),
            "headers": .array(mdn.headers.map { .array([.string($0.0), .string($0.1)]) }),
            "base64": .string(Base64.encode(mdn.body)),
        ]
        if let url = mdn.url, case .object(var fields) = o {
            fields["receiptDeliveryOption"] = .string(url)
            o = .object(fields)
        }
        return StreamAppend(stream: stream(source: source), events: [NewEvent(type: type, data: o.serialized())])
    }

    /// The MDN committed under the message's key, if the message was stored before.
    static func storedReceipt(key: String, store: any EventStore) async throws -> Rendered? {
        guard let first = try await store.lookupIdempotencyKey(key) else { return nil }
        for position in first.positions {
            let page = try await store.readAll(after: position - 1, filter: .all, maxCount: 1)
            guard let event = page.events.first, event.position == position, event.type == type else { continue }
            guard case .object(let o) = try JSONValue(parsing: event.data), case .array(let h)? = o["headers"], case .string(let b64)? = o["base64"] else { continue }
            let headers: [(String, String)] = h.compactMap {
                guard case .array(let pair) = $0, pair.count == 2, case .string(let n) = pair[0], case .string(let v) = pair[1] else { return nil }
                return (n, v)
            }
            var url: String?
            if case .string(let u)? = o["receiptDeliveryOption"] { url = u }
            return Rendered(headers: headers, body: (try? Base64.decode(b64)) ?? [], url: url)
        }
        // Stored before without an MDN (none was asked): an empty 200 answers it.
        return Rendered(headers: [], body: [], url: nil)
    }
}
