import EventStore
import Foundation
import HTTPClient
import JSON
import StoreTestSupport
import Testing
@testable import Messaging

/// A source, an endpoint and a route may share a name: each gives up on messages into a
/// dead-letter stream of its own (`dlq-source-`, `dlq-endpoint-`, `dlq-route-`).
@Suite("Dead-letter streams per owner", .serialized)
struct DeadLetterStreamTests {
    @Test("a source, an endpoint and a route all named 'orders' keep their dead letters apart")
    func sameNameSeparateStreams() async throws {
        let server = try await FaultServer()
        let client = HTTPClient()
        let testStore = try TestStore()
        let store = try testStore.open()
        let endpoint = EndpointDefinition(name: "orders", endpoint: HTTPEndpoint(configuration: HTTPEndpointConfiguration(url: server.url("/reject")), client: client),
                                          retryPolicy: RetryPolicy(maximumRedeliveries: 0))
        let route = RouteDefinition(name: "orders", from: .adapter("orders"), steps: [
            .transform(try JSONataTransform(name: "guard", version: "1", #"fail ? $error("refused by the route") : $"#)),
            .to([.endpoint("orders")]),
        ])
        let engine = try MessagingEngine(store: store, routes: [route], endpoints: [endpoint], pollInterval: .milliseconds(10))
        _ = try await engine.inbox.accept(Envelope(source: "orders", body: Array(#"{"fail":false,"sku":"A1"}"#.utf8), idempotencyKey: "good"))
        _ = try await engine.inbox.accept(Envelope(source: "orders", body: Array(#"{"fail":true}"#.utf8), idempotencyKey: "bad"))
        _ = try await engine.inbox.reject(Envelope(source: "orders", body: Array("not json".utf8), idempotencyKey: "garbled"), reason: "body is not JSON")

        let running = Task { try await engine.run() }
        func count(_ stream: StreamName) async throws -> Int {
            try await store.readStream(stream, from: 0, direction: .forward, maxCount: 100).count
        }
        let settled = try await eventually {
            let endpointLetters = try await count("dlq-endpoint-orders")
            let routeLetters = try await count("dlq-route-orders")
            return endpointLetters == 1 && routeLetters == 1
        }
        running.cancel()
        try await running.value
        #expect(settled)

        let source = try await store.readStream("dlq-source-orders", from: 0, direction: .forward, maxCount: 10)
        let endpointLetters = try await store.readStream("dlq-endpoint-orders", from: 0, direction: .forward, maxCount: 10)
        let routeLetters = try await store.readStream("dlq-route-orders", from: 0, direction: .forward, maxCount: 10)
        #expect(source.map(\.type) == [SourceDeadLetters.type])
        #expect(endpointLetters.map(\.type) == [DeadLetter.type])
        #expect(routeLetters.map(\.type) == [RouteFailure.type])
        // The endpoint's console lists only its own.
        #expect(try await engine.deadLetters.list(endpoint: "orders").map(\.message.body) == [["fail": false, "sku": "A1"]])
        #expect(DeadLetterStream.owner(of: "dlq-source-orders")! == (.source, "orders"))
        #expect(DeadLetterStream.owner(of: "dlq-route-my-route")! == (.route, "my-route"))
        #expect(DeadLetterStream.owner(of: "dlq-orders") == nil)
        await store.close()
        await client.shutdown()
        await server.stop()
    }
}
