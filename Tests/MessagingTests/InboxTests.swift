import EventStore
import Foundation
import JSON
import StoreTestSupport
import Testing
@testable import Messaging

@Suite("Inbox and Envelope", .serialized)
struct InboxTests {
    func envelope(key: String, body: String = #"{"order":1}"#) -> Envelope {
        Envelope(source: "shopify", partner: "acme", headers: ["X-Shopify-Topic": "orders/create"], body: Array(body.utf8),
                 receivedAt: Date(timeIntervalSince1970: 1_700_000_000.123), idempotencyKey: key,
                 traceContext: TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
    }

    @Test("an accepted envelope is durable in inbox-<source> as MessageReceived")
    func acceptAppends() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let receipt = try await Inbox(store: store).accept(envelope(key: "w-1"))
        #expect(!receipt.duplicate)
        #expect(receipt.stream == "inbox-shopify")
        await store.close()
        let reopened = try testStore.open()
        let events = try await reopened.readStream("inbox-shopify", from: 0, direction: .forward, maxCount: 10)
        #expect(events.map(\.type) == ["MessageReceived"])
        #expect(events.first?.position == receipt.position)
        await reopened.close()
    }

    @Test("a redelivery returns the first receipt and writes nothing")
    func duplicateReturnsFirstReceipt() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let inbox = Inbox(store: store)
        let first = try await inbox.accept(envelope(key: "w-2"))
        let head = try await store.headPosition()
        let again = try await inbox.accept(envelope(key: "w-2"))  // a new envelope id, same partner key
        #expect(again.duplicate)
        #expect(again.messageId == first.messageId)
        #expect(again.position == first.position)
        #expect(try await store.headPosition() == head)
        await store.close()
    }

    @Test("a body wrongly declared as checked JSON is refused by the store, and nothing is written")
    func falseJSONClaimIsRefused() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let inbox = Inbox(store: store)
        await #expect(throws: EventStoreError.self) {
            try await inbox.accept(envelope(key: "x-1", body: "<order id=\"1\"/>"), bodyIsJSON: true)
        }
        #expect(try await store.headPosition() == 0)
        // Without the claim the same body is kept, as base64.
        let receipt = try await inbox.accept(envelope(key: "x-1", body: "<order id=\"1\"/>"))
        let event = try #require(try await store.readStream("inbox-shopify", from: 0, direction: .forward, maxCount: 1).first)
        #expect(event.position == receipt.position)
        #expect(try EnvelopeEvent.decode(event).body == Array("<order id=\"1\"/>".utf8))
        await store.close()
    }

    @Test("the same partner key from another source is a different message")
    func keyIsScopedBySource() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let inbox = Inbox(store: store)
        _ = try await inbox.accept(envelope(key: "42"))
        var other = envelope(key: "42")
        other.source = "magento"
        #expect(try await inbox.accept(other).duplicate == false)
        await store.close()
    }

    @Test("a canonical JSON body is embedded as JSON and comes back byte for byte")
    func jsonBodyEmbedded() throws {
        let e = envelope(key: "k", body: #"{"order":1,"lines":[{"sku":"A"}]}"#)
        let event = EnvelopeEvent.encode(e)
        #expect(String(decoding: event.data, as: UTF8.self).contains(#""body":{"order":1,"lines":[{"sku":"A"}]}"#))
        let recorded = RecordedEvent(id: event.id, stream: "inbox-shopify", streamVersion: 0, position: 1, type: event.type, data: event.data, metadata: event.metadata, recordedAt: Date())
        #expect(try EnvelopeEvent.decode(recorded) == EventTime.normalised(e))
    }

    @Test("a JSON body with whitespace and escapes is embedded as it came and comes back byte for byte")
    func prettyJSONBodyEmbedded() throws {
        let body = "{\n  \"order\": 1,\n  \"note\": \"a\\u00e9 \\\"quoted\\\"\",\n  \"body\": {\"n\": 1.50}\n}\n"
        let e = envelope(key: "k", body: body)
        let event = EnvelopeEvent.encode(e)
        let data = String(decoding: event.data, as: UTF8.self)
        #expect(data.hasSuffix(",\"body\":" + body + "}"), "\(data)")
        #expect(!data.contains("bodyBase64"))
        let recorded = RecordedEvent(id: event.id, stream: "inbox-shopify", streamVersion: 0, position: 1, type: event.type, data: event.data, metadata: event.metadata, recordedAt: Date())
        #expect(try EnvelopeEvent.decode(recorded).body == e.body)
    }

    @Test("any other body (XML, X12, binary, JSON with malformed UTF-8) is stored as base64 and comes back byte for byte")
    func otherBodiesBase64() throws {
        for body in ["<Order id=\"1\"/>", "ISA*00*~\u{0}\u{FF}"] {
            let e = envelope(key: "k", body: body)
            let event = EnvelopeEvent.encode(e)
            #expect(String(decoding: event.data, as: UTF8.self).contains("bodyBase64"))
            let recorded = RecordedEvent(id: event.id, stream: "inbox-shopify", streamVersion: 0, position: 1, type: event.type, data: event.data, metadata: event.metadata, recordedAt: Date())
            #expect(try EnvelopeEvent.decode(recorded).body == e.body)
        }
        var e = envelope(key: "k", body: "")
        e.body = [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D]   // {"a":"<0xFF>"}
        let event = EnvelopeEvent.encode(e)
        #expect(String(decoding: event.data, as: UTF8.self).contains("bodyBase64"))
        let recorded = RecordedEvent(id: event.id, stream: "inbox-shopify", streamVersion: 0, position: 1, type: event.type, data: event.data, metadata: event.metadata, recordedAt: Date())
        #expect(try EnvelopeEvent.decode(recorded).body == e.body)
    }

    @Test("a malformed traceparent is not a trace context")
    func traceparentValidation() {
        #expect(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")?.traceId == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(TraceContext(traceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01") == nil)
        #expect(TraceContext(traceparent: "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01") == nil)
        #expect(TraceContext(traceparent: "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") == nil)
    }
}

extension EventTime {
    /// `envelope` with its time cut to what an event keeps.
    static func normalised(_ envelope: Envelope) -> Envelope {
        var e = envelope
        e.receivedAt = truncated(e.receivedAt)
        return e
    }
}
