import EventStore
import Foundation
import HTTPClient
import JSON
import Mapping
import StoreTestSupport
import Testing
@testable import Messaging

@Suite("MessagingEngine end to end over a real store", .serialized)
struct MessagingEngineTests {
    func envelope(_ source: String, key: String, _ body: String) -> Envelope {
        Envelope(source: source, headers: ["Content-Type": "application/json"], body: Array(body.utf8), idempotencyKey: key)
    }

    let orders = Topic(category: "order")!

    func events(_ store: some EventStore, _ stream: StreamName) async throws -> [RecordedEvent] {
        try await store.readStream(stream, from: 0, direction: .forward, maxCount: 10_000)
    }

    /// Runs the engine until `condition` holds, then stops it gracefully.
    func run(_ engine: MessagingEngine, until condition: () async throws -> Bool) async throws -> Bool {
        let task = Task { try await engine.run() }
        let reached = try await eventually(timeout: .seconds(30), condition)
        task.cancel()
        try await task.value
        return reached
    }

    @Test("inbox -> route (when, transform) -> endpoint and topic; a replay from checkpoint 0 writes nothing")
    func endToEndAndReplayIsNoOp() async throws {
        let server = try await FaultServer()
        let client = HTTPClient()
        let testStore = try TestStore()
        let store = try testStore.open()
        let erp = EndpointDefinition(name: "erp", endpoint: HTTPEndpoint(configuration: HTTPEndpointConfiguration(url: server.url("/switch")), client: client))
        let route = RouteDefinition(name: "shopify-orders", from: .adapter("shopify"), when: try RouteExpression("body.total > 0"), steps: [
            .transform(try JSONataTransform(name: "shopify-order", version: "7", #"{"orderNo": name, "amount": total}"#)),
            .to([.endpoint("erp"), .topic(orders, eventType: "OrderReceived")]),
        ])
        let engine = try MessagingEngine(store: store, routes: [route], endpoints: [erp], pollInterval: .milliseconds(10))
        _ = try await engine.inbox.accept(envelope("shopify", key: "o-1", ##"{"name":"#1001","total":25.5}"##))
        _ = try await engine.inbox.accept(envelope("shopify", key: "o-2", ##"{"name":"#1002","total":0}"##))
        let done = try await run(engine) {
            try await server.requests().count == 1 && engine.dispatcherStatus(endpoint: "erp")?.pending == 0
        }
        #expect(done)
        let topic = try await events(store, "order-route.shopify-orders")
        #expect(topic.map(\.type) == ["OrderReceived"])
        #expect(try topic.first.map { try JSONValue(parsing: $0.data) } == ["orderNo": "#1001", "amount": 25.5])
        #expect(topic.first?.metadata.extra["mappingVersion"] == "7")
        #expect(try await server.requests().map(\.body) == [##"{"orderNo":"#1001","amount":25.5}"##])

        // Replay: reset the route's checkpoint and run again. Every effect already exists.
        let head = try await store.headPosition()
        let checkpoint = try #require(try await store.loadCheckpoint(route.checkpointName))
        try await store.saveCheckpoint(Checkpoint(name: route.checkpointName, position: 0))
        let replayed = try await run(try MessagingEngine(store: store, routes: [route], endpoints: [erp], pollInterval: .milliseconds(10))) {
            try await store.loadCheckpoint(route.checkpointName) ?? 0 >= checkpoint
        }
        #expect(replayed)
        #expect(try await store.headPosition() == head)
        #expect(try await server.requests().count == 1)
        await store.close()
        await client.shutdown()
        await server.stop()
    }

    @Test("a replay whose batch mixes already-routed and new events routes the new ones once and repeats nothing")
    func replayWithDifferentBatches() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let route = RouteDefinition(name: "lines", from: .adapter("erp"), steps: [
            .split(try RouteExpression("body.lines")), .to([.topic(Topic(category: "line")!, eventType: "Line")]),
        ])
        let engine = try MessagingEngine(store: store, routes: [route], endpoints: [], pollInterval: .milliseconds(10))
        // Routed one at a time: each message its own transaction.
        for n in 1...3 {
            _ = try await engine.inbox.accept(envelope("erp", key: "m\(n)", #"{"lines":[1,2]}"#))
            #expect(try await run(engine) { try await events(store, "line-route.lines").count == 2 * n })
        }
        // Reset the checkpoint and add a fourth: the replay sees all four in one page.
        try await store.saveCheckpoint(Checkpoint(name: route.checkpointName, position: 0))
        _ = try await engine.inbox.accept(envelope("erp", key: "m4", #"{"lines":[3]}"#))
        let head = try await store.headPosition()
        let done = try await run(engine) { try await store.loadCheckpoint(route.checkpointName) ?? 0 >= head }
        #expect(done)
        let lines = try await events(store, "line-route.lines")
        #expect(lines.count == 7)
        #expect(Set(lines.map(\.id)).count == 7)
        #expect(try await store.headPosition() == head + 1)
        #expect(try await events(store, RouteConsumer.failureStream(forRoute: "lines")).isEmpty)
        await store.close()
    }

    @Test("an aggregate with completionSize 3 and a completionTimeout survives a restart between its parts")
    func aggregateSurvivesRestart() async throws {
        let testStore = try TestStore()
        let route = RouteDefinition(name: "reads", from: .adapter("rfid"), steps: [
            // Long enough that A's third part, sent after the restart, comes before A's timeout on
            // a loaded machine (CI once took more than 1.5 s from the first part to the third);
            // B, alone, completes by it.
            .aggregate(AggregationDefinition(correlation: try RouteExpression("body.order"), completionSize: 3, completionTimeout: .seconds(6))),
            .to([.topic(orders, eventType: "OrderReadsCollected")]),
        ])
        var store = try testStore.open()
        var engine = try MessagingEngine(store: store, routes: [route], endpoints: [], pollInterval: .milliseconds(10))
        _ = try await engine.inbox.accept(envelope("rfid", key: "r1", #"{"order":"A","tag":1}"#))
        _ = try await engine.inbox.accept(envelope("rfid", key: "r2", #"{"order":"A","tag":2}"#))
        _ = try await engine.inbox.accept(envelope("rfid", key: "r3", #"{"order":"B","tag":9}"#))
        let collected = try await run(engine) { [store] in
            try await events(store, AggregatorState.stream(forRoute: "reads")).count == 3
        }
        #expect(collected)
        #expect(try await events(store, "order-route.reads").isEmpty)
        await store.close()

        // Restart: the same file, a new store handle and a new engine.
        store = try testStore.open()
        engine = try MessagingEngine(store: store, routes: [route], endpoints: [], pollInterval: .milliseconds(10))
        _ = try await engine.inbox.accept(envelope("rfid", key: "r4", #"{"order":"A","tag":3}"#))
        let completed = try await run(engine) { [store] in
            try await events(store, "order-route.reads").count == 2
        }
        #expect(completed)
        let results = try await events(store, "order-route.reads").map { try JSONValue(parsing: $0.data) }
        #expect(results.contains([["order": "A", "tag": 1], ["order": "A", "tag": 2], ["order": "A", "tag": 3]]))
        #expect(results.contains([["order": "B", "tag": 9]]))
        let completions = try await events(store, AggregatorState.stream(forRoute: "reads")).filter { $0.type == AggregatorState.completedType }
        let how = try completions.map { try JSONValue(parsing: $0.data)["completedBy"]?.stringValue }
        #expect(Set(how) == ["size", "timeout"])
        await store.close()
    }

    @Test("a message the route cannot handle goes to dlq-route-<name> and does not block the next one")
    func routeFailureDoesNotBlock() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let route = RouteDefinition(name: "strict", from: .adapter("edi"), steps: [
            .transform(try JSONataTransform(name: "strict", version: "1", #"{"qty": $number(qty)}"#)),
            .to([.topic(orders, eventType: "Qty")]),
        ])
        let engine = try MessagingEngine(store: store, routes: [route], endpoints: [], pollInterval: .milliseconds(10))
        _ = try await engine.inbox.accept(envelope("edi", key: "1", #"{"qty":"lots"}"#))
        _ = try await engine.inbox.accept(envelope("edi", key: "2", #"{"qty":"4"}"#))
        let done = try await run(engine) { try await events(store, "order-route.strict").count == 1 }
        #expect(done)
        let failures = try await events(store, RouteConsumer.failureStream(forRoute: "strict"))
        #expect(failures.map(\.type) == ["RouteFailed"])
        #expect(failures.first.map { String(decoding: $0.data, as: UTF8.self).contains("transform strict 1") } == true)
        await store.close()
    }

    @Test("reload swaps the route table atomically and refuses a broken one whole")
    func reload() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let first = RouteDefinition(name: "one", from: .adapter("a"), steps: [.to([.topic(Topic(category: "x")!, eventType: "One")])])
        let engine = try MessagingEngine(store: store, routes: [first], endpoints: [], pollInterval: .milliseconds(10))
        let task = Task { try await engine.run() }
        let broken = RouteDefinition(name: "two", from: .adapter("a"), steps: [.to([.endpoint("missing")])])
        #expect(throws: MessagingConfigurationError.self) { try engine.reload(routes: [first, broken]) }
        #expect(engine.routeNames == ["one"])
        let second = RouteDefinition(name: "two", from: .adapter("a"), steps: [.to([.topic(Topic(category: "x")!, eventType: "Two")])])
        try engine.reload(routes: [second])
        _ = try await engine.inbox.accept(envelope("a", key: "k", #"{"v":1}"#))
        let routed = try await eventually { try await store.readAll(after: 0, filter: .category("x"), maxCount: 100).events.map(\.type) == ["Two"] }
        task.cancel()
        try await task.value
        #expect(routed)
        await store.close()
    }
}
