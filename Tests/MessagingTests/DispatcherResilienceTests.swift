import EventStore
import Foundation
import HTTPClient
import Mapping
import StoreTestSupport
import Testing
@testable import Messaging

@Suite("Dispatcher: circuit breaker and durable retry schedule, against a real HTTP peer", .serialized)
struct DispatcherResilienceTests {
    func message(_ n: Int, endpoint: String) -> OutboxMessage {
        OutboxMessage(id: DeterministicEventID.make(cause: DeterministicEventID.namespace, step: "resilience-\(endpoint)-\(n)"),
                      endpoint: endpoint, route: "test-route", body: ["n": .number(Double(n))], enqueuedAt: Date())
    }

    func transitions(_ store: some EventStore, endpoint: String) async throws -> [CircuitBreakerTransition] {
        try await store.readStream(CircuitBreakerEvent.stream(forEndpoint: endpoint), from: 0, direction: .forward, maxCount: 1000)
            .map(CircuitBreakerEvent.decode)
    }

    @Test("the breaker opens at the failure rate, sheds calls while open, half-opens after the wait and closes on success")
    func breakerLifecycle() async throws {
        let server = try await FaultServer()
        try await server.setMode("fail")
        let client = HTTPClient()
        let testStore = try TestStore()
        let store = try testStore.open()
        let breaker = CircuitBreakerConfiguration(failureRateThreshold: 50, slidingWindowType: .countBased, slidingWindowSize: 4,
                                                  minimumNumberOfCalls: 4, waitDurationInOpenState: .milliseconds(400),
                                                  permittedNumberOfCallsInHalfOpenState: 2)
        let definition = EndpointDefinition(
            name: "partner", endpoint: HTTPEndpoint(configuration: HTTPEndpointConfiguration(url: server.url("/switch")), client: client),
            retryPolicy: RetryPolicy(maximumRedeliveries: 1000, redeliveryDelay: .milliseconds(10), maximumRedeliveryDelay: .milliseconds(20)),
            circuitBreaker: breaker, maximumConcurrentDeliveries: 1)
        let messages = (0..<10).map { message($0, endpoint: "partner") }
        try await Outbox(store: store).enqueue(messages)
        let dispatcher = Dispatcher(definition: definition, store: store, pollInterval: .milliseconds(5))
        let running = Task { try await dispatcher.run() }

        let opened = try await eventually { try await transitions(store, endpoint: "partner").contains { $0.to == .open } }
        #expect(opened)
        try await server.setMode("ok")
        let settled = try await eventually {
            let s = dispatcher.status
            return s.loaded && s.pending == 0
        }
        running.cancel()
        try await running.value
        #expect(settled)

        let recorded = try await transitions(store, endpoint: "partner")
        #expect(recorded.map(\.to) == [.open, .halfOpen, .closed])
        guard recorded.count == 3 else { return }
        let open = recorded[0], halfOpen = recorded[1]
        #expect(open.reason == .failureRateExceeded && open.failureRate == 100 && open.calls == 4)
        // Stored times are whole milliseconds (EventTime), each rounded: allow one.
        #expect(halfOpen.at.timeIntervalSince(open.at) >= 0.4 - 0.0011)
        #expect(recorded[2].reason == .trialCallsSucceeded)
        // Shed: the partner saw no request between the opening and the half-opening.
        let requests = try await server.requests()
        #expect(!requests.contains { $0.at > open.at.addingTimeInterval(0.002) && $0.at < halfOpen.at.addingTimeInterval(-0.002) })
        #expect(requests.filter { $0.outcome == "failed" }.count == 4)
        #expect(Set(requests.filter { $0.outcome == "ok" }.map(\.body)).count == 10)
        await store.close()
        await client.shutdown()
        await server.stop()
    }

    @Test("a graceful stop waits for the delivery in flight and records it before returning")
    func gracefulStopFinishesInFlight() async throws {
        let server = try await FaultServer()
        let client = HTTPClient()
        let testStore = try TestStore()
        let store = try testStore.open()
        let definition = EndpointDefinition(
            name: "slowpoke", endpoint: HTTPEndpoint(configuration: HTTPEndpointConfiguration(url: server.url("/slow")), client: client),
            circuitBreaker: nil)
        try await Outbox(store: store).enqueue([message(1, endpoint: "slowpoke")])
        let running = Task { try await Dispatcher(definition: definition, store: store, pollInterval: .milliseconds(5)).run() }
        let started = try await eventually { try await server.requests().contains { $0.outcome == "started" } }
        #expect(started)
        running.cancel()
        try await running.value
        // run() has returned: the delivery that was in flight when it was stopped is recorded.
        #expect(try await Dispatcher.pendingDeliveries(endpoint: "slowpoke", store: store).isEmpty)
        let events = try await store.readStream(OutboxEvent.stream(forEndpoint: "slowpoke"), from: 0, direction: .forward, maxCount: 10)
        #expect(events.map(\.type) == [OutboxEvent.queuedType, OutboxEvent.deliveredType])
        await store.close()
        await client.shutdown()
        await server.stop()
    }

    @Test("a restarted dispatcher skips the settled part of its outbox stream and still finds every pending message")
    func restartSkipsSettledPrefix() async throws {
        let server = try await FaultServer()
        let client = HTTPClient()
        let testStore = try TestStore()
        let store = try testStore.open()
        let definition = EndpointDefinition(
            name: "prefix", endpoint: HTTPEndpoint(configuration: HTTPEndpointConfiguration(url: server.url("/poison")), client: client),
            retryPolicy: RetryPolicy(maximumRedeliveries: 100, redeliveryDelay: .seconds(60), collisionAvoidanceFactor: 0), circuitBreaker: nil)
        var messages = (0..<5).map { message($0, endpoint: "prefix") }
        messages.insert(OutboxMessage(id: UUID(), endpoint: "prefix", body: ["poison": true], enqueuedAt: Date()), at: 3)
        try await Outbox(store: store).enqueue(Array(messages[0..<3]))
        try await Outbox(store: store).enqueue(Array(messages[3...]))
        let dispatcher = Dispatcher(definition: definition, store: store, pollInterval: .milliseconds(5))
        let running = Task { try await dispatcher.run() }
        let settled = try await eventually { dispatcher.status.delivered == 5 && dispatcher.status.pending == 1 }
        running.cancel()
        try await running.value
        #expect(settled)
        // Three messages were queued before the poison one: their events are the skippable prefix.
        let saved = try #require(try await store.loadCheckpoint(Dispatcher.settledCheckpointName("prefix")))
        #expect(saved == 2)
        let pending = try await Dispatcher.pendingDeliveries(endpoint: "prefix", store: store)
        #expect(pending.map(\.message.id) == [messages[3].id])
        #expect(pending.first?.attemptCount == 1)
        await store.close()
        await client.shutdown()
        await server.stop()
    }

    @Test("after a restart the retry schedule resumes: attempt count and next attempt time are preserved")
    func durableScheduleResumes() async throws {
        let server = try await FaultServer()
        try await server.setMode("fail")
        let client = HTTPClient()
        let testStore = try TestStore()
        let policy = RetryPolicy(maximumRedeliveries: 5, redeliveryDelay: .milliseconds(1500), collisionAvoidanceFactor: 0)
        let definition = EndpointDefinition(
            name: "slow", endpoint: HTTPEndpoint(configuration: HTTPEndpointConfiguration(url: server.url("/switch")), client: client),
            retryPolicy: policy, circuitBreaker: nil)
        let m = message(1, endpoint: "slow")

        var store = try testStore.open()
        try await Outbox(store: store).enqueue([m])
        var running = Task { [store] in try await Dispatcher(definition: definition, store: store, pollInterval: .milliseconds(5)).run() }
        let failedOnce = try await eventually { [store] in
            try await Dispatcher.pendingDeliveries(endpoint: "slow", store: store).first?.attemptCount == 1
        }
        running.cancel()
        try await running.value
        #expect(failedOnce)
        let before = try await Dispatcher.pendingDeliveries(endpoint: "slow", store: store)
        await store.close()

        // Restart: a new store handle on the same file, a new dispatcher.
        store = try testStore.open()
        let after = try await Dispatcher.pendingDeliveries(endpoint: "slow", store: store)
        #expect(after == before)
        #expect(after.first?.attemptCount == 1)
        let due = try #require(after.first?.nextAttemptAt)
        #expect(abs(due.timeIntervalSince(before[0].attempts[0].at) - 1.5) < 0.002)

        try await server.setMode("ok")
        running = Task { [store] in try await Dispatcher(definition: definition, store: store, pollInterval: .milliseconds(5)).run() }
        let delivered = try await eventually { [store] in try await Dispatcher.pendingDeliveries(endpoint: "slow", store: store).isEmpty }
        running.cancel()
        try await running.value
        #expect(delivered)
        let requests = try await server.requests()
        #expect(requests.map(\.outcome) == ["failed", "ok"])
        // The second attempt waited for the recorded due time (not a fresh schedule from the restart).
        #expect(requests.count == 2 && requests[1].at >= due.addingTimeInterval(-0.001))
        let events = try await store.readStream(OutboxEvent.stream(forEndpoint: "slow"), from: 0, direction: .forward, maxCount: 10)
        #expect(events.compactMap { if case .delivered(_, let attempt, _, _, _)? = try? OutboxEvent.decode($0) { attempt } else { nil } } == [2])
        await store.close()
        await client.shutdown()
        await server.stop()
    }
}
