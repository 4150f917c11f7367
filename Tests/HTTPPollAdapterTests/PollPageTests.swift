import EventStore
import Foundation
import JSON
import Mapping
import Messaging
import Testing
@testable import HTTPPollAdapter

/// A page's items, keys, dead letters and next cursor, from the response bytes alone.
@Suite("Poll page")
struct PollPageTests {
    func page(_ body: String, items: String = "body.orders", itemKey: String = "id", nextPage: String? = "body.next") throws -> PollPage {
        try PollPage(source: "erp", items: try JSONataExpression(items), itemKey: try JSONataExpression(itemKey),
                     nextPage: try nextPage.map { try JSONataExpression($0) }, headers: ["content-type": "application/json"],
                     body: Array(body.utf8), receivedAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test("each item becomes one inbox append with its own key <source>:<itemKey>; the next cursor is read")
    func itemsAndCursor() throws {
        let p = try page(#"{"orders":[{"id":"a","n":1},{"id":7,"n":2}],"next":"p2"}"#)
        #expect(p.appends.map(\.idempotencyKey) == ["erp:a", "erp:7"])
        #expect(p.appends.allSatisfy { $0.stream == "inbox-erp" && $0.events.first?.type == EnvelopeEvent.type })
        #expect(p.next == "p2")
        let envelope = try EnvelopeEvent.decode(RecordedEvent(
            id: p.appends[0].events[0].id, stream: "inbox-erp", streamVersion: 0, position: 1, type: EnvelopeEvent.type,
            data: p.appends[0].events[0].data, metadata: p.appends[0].events[0].metadata, recordedAt: Date()))
        #expect(try JSONValue(parsing: envelope.body) == ["id": "a", "n": 1])
    }

    @Test("no next cursor, a null one, or an empty page: caught up")
    func caughtUp() throws {
        #expect(try page(#"{"orders":[{"id":"a"}]}"#).next == nil)
        #expect(try page(#"{"orders":[{"id":"a"}],"next":null}"#).next == nil)
        #expect(try page(#"{"orders":[{"id":"a"}],"next":""}"#).next == nil)
        #expect(try page(#"{"orders":[],"next":"p9"}"#).next == nil)
        #expect(try page(#"{"orders":[{"id":"a"}],"next":"p2"}"#, nextPage: nil).next == nil)
    }

    @Test("an item without a key is kept as a dead letter of the source, keyed by its content")
    func unkeyedItem() throws {
        let p = try page(#"{"orders":[{"id":"a"},{"n":2}]}"#)
        #expect(p.rejectedCount == 1)
        #expect(p.appends[1].stream == "dlq-source-erp")
        #expect(p.appends[1].events.first?.type == SourceDeadLetters.type)
        #expect(p.appends[1].idempotencyKey?.hasPrefix("rejected:erp:sha256:") == true)
        #expect(try page(#"{"orders":[{"id":"a"},{"n":2}]}"#).appends[1].idempotencyKey == p.appends[1].idempotencyKey)
    }

    @Test("a single object is one item (JSONata unwraps one-element results); a scalar is an error, as is a body that is not JSON")
    func shapes() throws {
        #expect(try page(#"{"orders":[{"id":"only"}]}"#).appends.count == 1)
        #expect(try page(#"{"orders":{"id":"only"}}"#).appends.count == 1)
        #expect(try page(#"{"other":1}"#).appends.isEmpty)
        #expect(throws: PollError.itemsNotAList("a string")) { try page(#"{"orders":"nope"}"#) }
        #expect(throws: PollError.self) { try page("<orders/>") }
    }
}
