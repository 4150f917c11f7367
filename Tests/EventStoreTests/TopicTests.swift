import Foundation
import Testing
@testable import EventStore

/// Topics are categories: `order-events` is every stream `order-…`, and no stream may be named
/// like a topic.
@Suite("Topics")
struct TopicTests {
    @Test("a topic is named <category>-events and is that category")
    func names() throws {
        let topic = try Topic(named: "order-events")
        #expect(topic.category == "order")
        #expect(topic.filter == .category("order"))
        #expect(topic.writerStream(route: "shopify-orders") == "order-route.shopify-orders")
        #expect(topic.writerStream(route: "shopify-orders").category == "order")
        #expect(throws: TopicNameError.self) { try Topic(named: "order") }
        #expect(throws: TopicNameError.self) { try Topic(named: "-events") }
        #expect(throws: TopicNameError.self) { try Topic(named: "order-line-events") }
    }

    @Test("the store refuses to write a stream that carries a topic's name, and writes the others")
    func noStreamNamedLikeATopic() async throws {
        try await withTemporaryStore { (store, _) async throws in
            do {
                try await store.append(to: "order-events", [event()])
                Issue.record("a stream named like a topic was written")
            } catch EventStoreError.invalidStreamName(let stream, let reason) {
                #expect(stream == "order-events")
                #expect(reason.contains("'<category>-events' names a topic"), "\(reason)")
            }
            try await store.append(to: "order-4711", [event()])
            try await store.append(to: "order-route.shopify", [event()])
            try await store.append(to: "events", [event()])  // a category of its own, not a topic
            let topic = try await store.readAll(after: 0, filter: try Topic(named: "order-events").filter, maxCount: 10)
            #expect(topic.events.map(\.stream) == ["order-4711", "order-route.shopify"])
        }
    }
}
