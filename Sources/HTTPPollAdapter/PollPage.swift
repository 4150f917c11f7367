import Codecs
import EventStore
import Foundation
import JSON
import Mapping
import Messaging

/// One page of a paging API turned into what the poller commits: an inbox append per item (with
/// the item's own idempotency key), a dead letter per item that cannot be keyed, and the next
/// page's cursor. Pure: no I/O, so each rule is tested on bytes.
struct PollPage {
    var appends: [StreamAppend] = []
    /// The next page's cursor; nil when caught up (no cursor, or no items).
    var next: String?
    var itemCount = 0
    var rejectedCount = 0

    /// - Throws: `PollError` when the body is not JSON, an expression fails, or `items` gives
    ///   something that is not a list of items. Nothing of such a page is stored.
    init(source: String, items: JSONataExpression, itemKey: JSONataExpression, nextPage: JSONataExpression?,
         headers: [String: String], body: [UInt8], receivedAt: Date) throws {
        let parsed: JSONValue
        do { parsed = try JSONValue(parsing: body) } catch { throw PollError.bodyNotJSON("\(error)") }
        let input: JSONValue = ["headers": .stringMap(headers), "body": parsed]
        let list: [JSONValue]
        switch try Self.evaluate(items, input, "items") {
        case .array(let a)?: list = a
        // JSONata gives a one-element result as the element itself, unless written `orders[]`.
        case .object(let o)?: list = [.object(o)]
        case nil, .null?: list = []
        case let other?: throw PollError.itemsNotAList(Self.kind(of: other))
        }
        itemCount = list.count
        for item in list {
            let bytes = item.serialized()
            let key: String?
            switch try? itemKey.evaluate(item) {
            case .string(let s)? where !s.isEmpty: key = s
            case .number(let n)?: key = JSONValue.number(n).jsonString
            default: key = nil
            }
            if let key {
                appends.append(Inbox.append(for: Envelope(source: source, body: bytes, receivedAt: receivedAt, idempotencyKey: key), bodyIsJSON: true))
            } else {
                // Keyed by its content, so that reading the same page again records it once.
                let envelope = Envelope(source: source, body: bytes, receivedAt: receivedAt,
                                        idempotencyKey: "sha256:" + Hex.encode(Digest.hash(bytes, .sha256)))
                appends.append(Inbox.rejectionAppend(for: envelope, reason: "itemKey gave no string or number for this item"))
                rejectedCount += 1
            }
        }
        guard !list.isEmpty, let nextPage else { return }
        switch try Self.evaluate(nextPage, input, "nextPage") {
        case .string(let s)? where !s.isEmpty: next = s
        case .number(let n)?: next = JSONValue.number(n).jsonString
        default: next = nil
        }
    }

    private static func evaluate(_ expression: JSONataExpression, _ input: JSONValue, _ name: String) throws -> JSONValue? {
        do { return try expression.evaluate(input) } catch { throw PollError.expressionFailed(name, "\(error)") }
    }

    private static func kind(of value: JSONValue) -> String {
        switch value {
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        default: "not a list"
        }
    }
}

/// Why a poll failed; the poll is tried again on the next firing, from the stored cursor.
enum PollError: Error, Equatable, CustomStringConvertible {
    case status(Int, url: String)
    case bodyNotJSON(String)
    case itemsNotAList(String)
    case expressionFailed(String, String)

    var description: String {
        switch self {
        case let .status(status, url): "GET \(url) answered \(status)"
        case .bodyNotJSON(let reason): "the response body is not JSON: \(reason)"
        case .itemsNotAList(let kind): "items gave \(kind), not a list of items"
        case let .expressionFailed(name, reason): "\(name) failed: \(reason)"
        }
    }
}
