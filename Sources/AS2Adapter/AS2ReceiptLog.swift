import Codecs
import Collections
import EventStore
import Foundation
import JSON
import Messaging

/// The MDNs we answered with, each committed with the message it answers (stream
/// `as2receipt-<source>`), so that a redelivery gets the same MDN again.
enum AS2ReceiptLog {
    static let type = "MDNIssued"
    /// An asynchronous MDN the partner's Receipt-Delivery-Option took (2xx).
    static let deliveredType = "MDNDelivered"
    /// An asynchronous MDN given up on after every attempt (raised on `error-events` too).
    static let undeliveredType = "MDNUndelivered"

    /// An MDN as sent: HTTP fields, body, and the URL of an asynchronous one.
    struct Rendered: Sendable {
        var headers: [(String, String)]
        var body: [UInt8]
        var url: String?
    }

    static func stream(source: String) -> StreamName { StreamName(category: "as2receipt", id: source) }

    static func append(_ mdn: Rendered, source: String, originalMessageID: String, partner: String) -> StreamAppend {
        var o: JSONValue = [
            "originalMessageId": .string(originalMessageID),
            "partner": .string(partner),
            "headers": .array(mdn.headers.map { .array([.string($0.0), .string($0.1)]) }),
            "base64": .string(Base64.encode(mdn.body)),
        ]
        if let url = mdn.url, case .object(var fields) = o {
            fields["receiptDeliveryOption"] = .string(url)
            o = .object(fields)
        }
        return StreamAppend(stream: stream(source: source), events: [NewEvent(type: type, data: o.serialized())])
    }

    /// What became of an asynchronous MDN: `deliveredType` or `undeliveredType`.
    static func outcome(_ type: String, source: String, originalMessageID: String, detail: String? = nil) -> StreamAppend {
        var o: JSONValue = ["originalMessageId": .string(originalMessageID)]
        if let detail, case .object(var fields) = o {
            fields["detail"] = .string(detail)
            o = .object(fields)
        }
        return StreamAppend(stream: stream(source: source), events: [NewEvent(type: type, data: o.serialized())])
    }

    /// The asynchronous MDNs among the last `window` receipt events that were neither delivered
    /// nor given up: a crash (or a stop) came between committing them and their POST.
    static func unsent(source: String, store: any EventStore, window: Int = 10_000) async throws -> [(originalMessageID: String, partner: String, mdn: Rendered)] {
        let recent = try await store.readStream(stream(source: source), from: nil, direction: .backward, maxCount: window)
        var settled: Set<String> = []
        var unsent: [(String, String, Rendered)] = []
        for event in recent {
            guard case .object(let o)? = try? JSONValue(parsing: event.data), case .string(let id)? = o["originalMessageId"] else { continue }
            switch event.type {
            case deliveredType, undeliveredType: settled.insert(id)
            case type where !settled.contains(id):
                guard let mdn = rendered(o), mdn.url != nil else { continue }
                settled.insert(id)
                let partner: String = if case .string(let p)? = o["partner"] { p } else { "" }
                unsent.append((id, partner, mdn))
            default: continue
            }
        }
        return unsent.reversed()
    }

    private static func rendered(_ o: OrderedDictionary<String, JSONValue>) -> Rendered? {
        guard case .array(let h)? = o["headers"], case .string(let b64)? = o["base64"] else { return nil }
        let headers: [(String, String)] = h.compactMap {
            guard case .array(let pair) = $0, pair.count == 2, case .string(let n) = pair[0], case .string(let v) = pair[1] else { return nil }
            return (n, v)
        }
        var url: String?
        if case .string(let u)? = o["receiptDeliveryOption"] { url = u }
        return Rendered(headers: headers, body: (try? Base64.decode(b64)) ?? [], url: url)
    }

    /// The MDN committed under the message's key, if the message was stored before.
    static func storedReceipt(key: String, store: any EventStore) async throws -> Rendered? {
        guard let first = try await store.lookupIdempotencyKey(key) else { return nil }
        for position in first.positions {
            let page = try await store.readAll(after: position - 1, filter: .all, maxCount: 1)
            guard let event = page.events.first, event.position == position, event.type == type else { continue }
            guard case .object(let o) = try JSONValue(parsing: event.data), let mdn = rendered(o) else { continue }
            return mdn
        }
        // Stored before without an MDN (none was asked): an empty 200 answers it.
        return Rendered(headers: [], body: [], url: nil)
    }
}
