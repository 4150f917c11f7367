import EventStore
import Foundation
import HTTPClient
import JSON
import Mapping
import StoreTestSupport
import Testing
@testable import Messaging

@Suite("DeadLetters: list, show, replay through the current mapping, discard", .serialized)
struct DeadLettersTests {
    @Test("a dead letter can be re-mapped (dry-run diff first), replayed, and the repeat discarded")
    func replayAndDiscard() async throws {
        let server = try await FaultServer()
        let client = HTTPClient()
        let testStore = try TestStore()
        let store = try testStore.open()
        let endpoint = EndpointDefinition(name: "carrier", endpoint: HTTPEndpoint(configuration: HTTPEndpointConfiguration(url: server.url("/reject")), client: client),
                                          retryPolicy: RetryPolicy(maximumRedeliveries: 2, redeliveryDelay: .milliseconds(5)))
        let v1 = try JSONataTransform(name: "label", version: "1", #"{"sku": sku}"#)
        let v2 = try JSONataTransform(name: "label", version: "2", #"{"sku": sku, "qty": qty}"#)
        let input: JSONValue = ["sku": "A1", "qty": 3]
        let original = OutboxMessage(id: DeterministicEventID.make(cause: DeterministicEventID.namespace, step: "dlq-test"), endpoint: "carrier",
                                     route: "labels", body: try #require(try v1.apply(input)), mappingName: "label", mappingVersion: "1",
                                     mappingInput: input, enqueuedAt: Date())
        try await Outbox(store: store).enqueue([original])
        let dispatcher = Dispatcher(definition: endpoint, store: store, pollInterval: .milliseconds(5))
        let running = Task { try await dispatcher.run() }
        let deadLetters = DeadLetters(store: store)
        #expect(try await eventually { try await deadLetters.list(endpoint: "carrier").count == 1 })

        let letter = try #require(try await deadLetters.show(endpoint: "carrier", messageId: original.id))
        #expect(letter.status == .open)
        #expect(letter.message.route == "labels" && letter.message.mappingVersion == "1")
        #expect(letter.attempts.map(\.statusCode) == [422])

        let plan = try await deadLetters.replayPlan(endpoint: "carrier", messageId: original.id, remap: v2)
        #expect(plan.message.body == ["sku": "A1", "qty": 3])
        #expect(plan.message.mappingVersion == "2")
        #expect(plan.differences == [JSONDifference(path: "$.qty", kind: .unexpected(got: 3))])
        #expect(try await deadLetters.list(endpoint: "carrier").count == 1)  // a plan writes nothing

        let queued = try await deadLetters.replay(plan)
        #expect(queued.id != original.id)
        // The endpoint still rejects it: the replayed message becomes a dead letter of its own.
        #expect(try await eventually { try await deadLetters.list(endpoint: "carrier").count == 2 })
        running.cancel()
        try await running.value
        let listed = try await deadLetters.list(endpoint: "carrier")
        guard case .replayed(let asMessage, _, let version) = listed[0].status else {
            Issue.record("the original should be marked replayed, is \(listed[0].status)"); return
        }
        #expect(asMessage == queued.id && version == "2")
        try await deadLetters.discard(endpoint: "carrier", messageId: queued.id, reason: "partner fixes its validation")
        guard case .discarded(_, let reason)? = try await deadLetters.show(endpoint: "carrier", messageId: queued.id)?.status else {
            Issue.record("the repeat should be discarded"); return
        }
        #expect(reason == "partner fixes its validation")
        #expect(try await server.requests().map(\.body) == [#"{"sku":"A1"}"#, #"{"sku":"A1","qty":3}"#])
        await store.close()
        await client.shutdown()
        await server.stop()
    }

    @Test("replaying an unknown dead letter names endpoint and id")
    func unknown() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let id = UUID()
        await #expect(throws: DeadLetterError.notFound(endpoint: "x", messageId: id)) {
            try await DeadLetters(store: store).replayPlan(endpoint: "x", messageId: id)
        }
        await store.close()
    }
}
