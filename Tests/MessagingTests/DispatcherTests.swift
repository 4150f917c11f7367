import WebhookAdapter
import EventStore
import Foundation
import HTTPClient
import JSON
import Mapping
import StoreTestSupport
import Testing
@testable import Messaging

@Suite("Dispatcher against a real HTTP peer with fault injection", .serialized)
struct DispatcherTests {
    func message(_ n: Int, endpoint: String, body: JSONValue? = nil) -> OutboxMessage {
        OutboxMessage(id: DeterministicEventID.make(cause: DeterministicEventID.namespace, step: "test-\(endpoint)-\(n)"),
                      endpoint: endpoint, route: "test-route", headers: [:], body: body ?? ["n": .number(Double(n))],
                      mappingName: "order", mappingVersion: "v1", enqueuedAt: Date())
    }

    func endpoint(_ name: String, server: FaultServer, client: HTTPClient, path: String, timeout: Duration = .milliseconds(300),
                  retry: RetryPolicy, breaker: CircuitBreakerConfiguration? = nil, concurrency: Int = 16) throws -> EndpointDefinition {
        EndpointDefinition(name: name,
                           endpoint: HTTPEndpoint(configuration: HTTPEndpointConfiguration(url: server.url(path), timeout: timeout,
                                                                                               signer: try WebhookSigner(secret: WebhookSecret(standardWebhooks: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))),
                                                      client: client),
                           retryPolicy: retry, circuitBreaker: breaker, maximumConcurrentDeliveries: concurrency)
    }

    func deadLetters(_ store: some EventStore, endpoint: String) async throws -> [DeadLetter] {
        try await store.readStream(DeadLetter.stream(forEndpoint: endpoint), from: 0, direction: .forward, maxCount: 10_000)
            .filter { $0.type == DeadLetter.type }.map(DeadLetter.init(event:))
    }

    @Test("with 30% failures and 10% timeouts, each of 1,000 messages is delivered once or dead-lettered with its errors")
    func thousandMessagesNoneLostOrDoubled() async throws {
        let server = try await FaultServer(arguments: ["--fail-rate", "0.3", "--timeout-rate", "0.1", "--stall", "1.0", "--seed", "7"])
        let client = HTTPClient()
        let testStore = try TestStore()
        let store = try testStore.open()
        let policy = RetryPolicy(maximumRedeliveries: 4, redeliveryDelay: .milliseconds(5), backOffMultiplier: 2,
                                 maximumRedeliveryDelay: .milliseconds(40), collisionAvoidanceFactor: 0.15)
        let definition = try endpoint("flaky", server: server, client: client, path: "/flaky", timeout: .milliseconds(400), retry: policy, concurrency: 32)
        let messages = (0..<1000).map { message($0, endpoint: "flaky") }
        for chunk in stride(from: 0, to: messages.count, by: 100) {
            try await Outbox(store: store).enqueue(Array(messages[chunk..<chunk + 100]))
        }
        let dispatcher = Dispatcher(definition: definition, store: store, pollInterval: .milliseconds(5))
        let running = Task { try await dispatcher.run() }
        let started = ContinuousClock.now
        defer { print("1,000 messages settled after \(started.duration(to: .now))") }
        let settled = try await eventually(timeout: .seconds(120)) {
            let s = dispatcher.status
            return s.loaded && s.pending == 0
        }
        running.cancel()
        try await running.value
        #expect(settled)

        var ledger = OutboxLedger()
        try await Dispatcher.catchUp(&ledger, stream: OutboxEvent.stream(forEndpoint: "flaky"), store: store)
        let letters = try await deadLetters(store, endpoint: "flaky")
        let requests = try await server.requests()
        var okByWebhookId: [String: Int] = [:]
        for r in requests where r.outcome == "ok" { okByWebhookId[r.webhookId ?? "", default: 0] += 1 }
        let deadIds = Set(letters.map { HTTPEndpoint.webhookID(of: $0.message) })
        // Per message, what the outbox stream recorded: deliveries and the errors of failed attempts.
        var deliveredRecords: [UUID: Int] = [:]
        var attemptErrors: [UUID: [String]] = [:]
        for event in try await store.readStream(OutboxEvent.stream(forEndpoint: "flaky"), from: 0, direction: .forward, maxCount: 100_000) {
            switch try OutboxEvent.decode(event) {
            case .delivered(let id, _, _, _, _)?: deliveredRecords[id, default: 0] += 1
            case .attemptFailed(let a)?: attemptErrors[a.messageId, default: []].append(a.error)
            default: break
            }
        }
        var repeatsAfterTimeout = 0

        #expect(ledger.deliveredCount + ledger.deadLetteredCount == 1000)
        #expect(letters.count == ledger.deadLetteredCount)
        for m in messages {
            let id = HTTPEndpoint.webhookID(of: m)
            if deadIds.contains(id) {
                // A dead-lettered message may still have reached the partner only through an
                // attempt whose answer the client never saw (a timeout): the outcome of such an
                // attempt is unknown, which is what the dead letter's errors say.
                let accepted = okByWebhookId[id] ?? 0
                let timeouts = (attemptErrors[m.id] ?? []).filter { $0.contains("timeout") }.count
                #expect(accepted <= timeouts, "a dead-lettered message was accepted \(accepted) times after \(timeouts) timeouts: \(id)")
            } else {
                #expect(deliveredRecords[m.id] == 1, "message \(id) recorded as delivered \(deliveredRecords[m.id] ?? 0) times")
                let accepted = okByWebhookId[id] ?? 0
                #expect(accepted >= 1, "message \(id) recorded as delivered but never accepted")
                if accepted > 1 {
                    // At-least-once over HTTP: only an attempt the client saw time out (while the
                    // server went on to accept it) may be repeated; the receiver deduplicates on
                    // the stable webhook-id.
                    let timeouts = (attemptErrors[m.id] ?? []).filter { $0.contains("timeout") }.count
                    #expect(accepted - 1 <= timeouts, "message \(id) accepted \(accepted) times after \(timeouts) timeouts")
                    repeatsAfterTimeout += accepted - 1
                }
            }
        }
        for letter in letters {
            #expect(letter.attempts.count == 5)
            #expect(letter.attempts.allSatisfy { !$0.error.isEmpty })
            #expect(letter.message.route == "test-route" && letter.message.mappingVersion == "v1")
        }
        print("1,000 messages: \(ledger.deliveredCount) delivered, \(letters.count) dead-lettered, \(requests.count) requests, \(repeatsAfterTimeout) repeats after a client timeout")
        await store.close()
        await client.shutdown()
        await server.stop()
    }

    @Test("every redelivery of a message carries the same webhook-id and a valid Standard-Webhooks signature")
    func stableWebhookId() async throws {
        let server = try await FaultServer(arguments: ["--retry-after", "0"])
        let client = HTTPClient()
        let testStore = try TestStore()
        let store = try testStore.open()
        let definition = try endpoint("throttled", server: server, client: client, path: "/retry-after",
                                      retry: RetryPolicy(maximumRedeliveries: 3, redeliveryDelay: .milliseconds(5), collisionAvoidanceFactor: 0))
        let m = message(1, endpoint: "throttled")
        try await Outbox(store: store).enqueue([m])
        let running = Task { try await Dispatcher(definition: definition, store: store, pollInterval: .milliseconds(5)).run() }
        let settled = try await eventually { try await Dispatcher.pendingDeliveries(endpoint: "throttled", store: store).isEmpty }
        running.cancel()
        try await running.value
        #expect(settled)
        let requests = try await server.requests()
        #expect(requests.map(\.outcome) == ["throttled", "ok"])
        #expect(Set(requests.map(\.webhookId)) == [HTTPEndpoint.webhookID(of: m)])
        let signer = try WebhookSigner(secret: WebhookSecret(standardWebhooks: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        for r in requests {
            let expected = try signer.sign(id: r.webhookId!, timestamp: Int64(r.webhookTimestamp!)!, body: Array(r.body.utf8)).signature
            #expect(r.webhookSignature == expected)
        }
        await store.close()
        await client.shutdown()
        await server.stop()
    }

    @Test("only configured and explicitly forwarded headers reach the partner, never the inbound ones")
    func headersNotLeaked() async throws {
        let server = try await FaultServer()
        let client = HTTPClient()
        let testStore = try TestStore()
        let store = try testStore.open()
        let definition = EndpointDefinition(name: "hdr", endpoint: HTTPEndpoint(configuration: HTTPEndpointConfiguration(
            url: server.url("/switch"), headers: ["X-Api-Key": "k1"], forwardedHeaders: ["x-order-id"]), client: client))
        var m = message(1, endpoint: "hdr")
        m.headers = ["X-Shopify-Hmac-Sha256": "secret", "Content-Length": "999", "X-Order-Id": "4711"]
        try await Outbox(store: store).enqueue([m])
        let running = Task { try await Dispatcher(definition: definition, store: store, pollInterval: .milliseconds(5)).run() }
        let delivered = try await eventually { try await server.requests().count == 1 }
        running.cancel()
        try await running.value
        #expect(delivered)
        let headers = try #require(try await server.requests().first?.headers)
        #expect(headers["x-api-key"] == "k1")
        #expect(headers["x-order-id"] == "4711")
        #expect(headers["x-shopify-hmac-sha256"] == nil)
        #expect(headers["content-length"] == String(m.body.serialized().count))
        await store.close()
        await client.shutdown()
        await server.stop()
    }

    @Test("a 4xx other than 408/429 dead-letters at once, without redelivery")
    func permanentFailure() async throws {
        let server = try await FaultServer()
        let client = HTTPClient()
        let testStore = try TestStore()
        let store = try testStore.open()
        let definition = try endpoint("rejecting", server: server, client: client, path: "/reject",
                                      retry: RetryPolicy(maximumRedeliveries: 5, redeliveryDelay: .milliseconds(5)))
        try await Outbox(store: store).enqueue([message(1, endpoint: "rejecting")])
        let running = Task { try await Dispatcher(definition: definition, store: store, pollInterval: .milliseconds(5)).run() }
        let settled = try await eventually { try await Dispatcher.pendingDeliveries(endpoint: "rejecting", store: store).isEmpty }
        running.cancel()
        try await running.value
        #expect(settled)
        let letters = try await deadLetters(store, endpoint: "rejecting")
        #expect(letters.count == 1)
        #expect(letters.first?.attempts.count == 1)
        #expect(letters.first?.attempts.first?.statusCode == 422)
        #expect(letters.first?.attempts.first?.error.contains("missing field sku") == true)
        #expect(try await server.requests().count == 1)
        await store.close()
        await client.shutdown()
        await server.stop()
    }

    @Test("a poison message does not block the messages behind it")
    func poisonDoesNotBlock() async throws {
        let server = try await FaultServer()
        let client = HTTPClient()
        let testStore = try TestStore()
        let store = try testStore.open()
        // One delivery at a time, and the poison message first in the queue with a long back-off.
        let definition = try endpoint("poisoned", server: server, client: client, path: "/poison",
                                      retry: RetryPolicy(maximumRedeliveries: 1000, redeliveryDelay: .seconds(30), collisionAvoidanceFactor: 0),
                                      concurrency: 1)
        let poison = message(0, endpoint: "poisoned", body: ["poison": true])
        let others = (1...20).map { message($0, endpoint: "poisoned") }
        try await Outbox(store: store).enqueue([poison] + others)
        let running = Task { try await Dispatcher(definition: definition, store: store, pollInterval: .milliseconds(5)).run() }
        let othersDelivered = try await eventually {
            let pending = try await Dispatcher.pendingDeliveries(endpoint: "poisoned", store: store)
            return pending.map(\.message.id) == [poison.id]
        }
        running.cancel()
        try await running.value
        #expect(othersDelivered)
        let pending = try await Dispatcher.pendingDeliveries(endpoint: "poisoned", store: store)
        #expect(pending.first?.attemptCount == 1)
        await store.close()
        await client.shutdown()
        await server.stop()
    }
}
