import EventStore
import Foundation
import HTTPClient
import JSON
import StoreTestSupport
import Testing
@testable import Messaging

@Suite("Ordered delivery by key", .serialized)
struct OrderedDeliveryTests {
    func message(_ n: Int, key: String?, endpoint: String = "erp") -> OutboxMessage {
        OutboxMessage(id: DeterministicEventID.make(cause: DeterministicEventID.namespace, step: "ordered-\(endpoint)-\(n)"), endpoint: endpoint,
                      body: ["n": .number(Double(n)), "key": key.map(JSONValue.string) ?? .null], orderingKey: key, enqueuedAt: Date(timeIntervalSince1970: 1_000))
    }

    func startable(_ ledger: OutboxLedger, inFlight: Set<UUID> = [], at now: Date = Date(timeIntervalSince1970: 2_000)) -> [Int] {
        var out: [Int] = []
        _ = ledger.forEachStartable(now: now, inFlight: inFlight) { d in
            out.append(Int(d.message.body["n"]?.doubleValue ?? -1))
            return true
        }
        return out
    }

    @Test("only the oldest pending message of a key may start, whatever holds it up; other keys and unkeyed messages go on")
    func oneAtATimePerKey() {
        var ledger = OutboxLedger()
        let messages = [message(0, key: "A"), message(1, key: "B"), message(2, key: "A"), message(3, key: nil), message(4, key: "B")]
        for (v, m) in messages.enumerated() { ledger.apply(.queued(m), version: Int64(v)) }
        #expect(startable(ledger) == [0, 1, 3])
        // In flight, the key's next waits.
        #expect(startable(ledger, inFlight: [messages[0].id]) == [1, 3])
        // Retry scheduled later: still waits (no overtaking during back-off).
        ledger.apply(.attemptFailed(DeliveryAttempt(messageId: messages[0].id, attempt: 1, at: Date(timeIntervalSince1970: 2_000), error: "HTTP 503",
                                                   retryable: true, nextAttemptAt: Date(timeIntervalSince1970: 3_000))), version: 5)
        #expect(startable(ledger) == [1, 3])
        ledger.apply(.delivered(messageId: messages[0].id, attempt: 2, at: Date(timeIntervalSince1970: 3_000), statusCode: 200, latencyMilliseconds: 1), version: 6)
        #expect(startable(ledger) == [1, 2, 3])
    }

    @Test("a dead letter releases its key by default; with hold the key waits for the replay, which goes first, or the discard")
    func deadLetterPolicy() {
        let at = Date(timeIntervalSince1970: 2_000)
        let a0 = message(0, key: "A"), a1 = message(1, key: "A"), a2 = message(2, key: "A")
        var go = OutboxLedger()
        var hold = OutboxLedger()
        hold.holdKeysOnDeadLetter = true
        for (v, m) in [a0, a1, a2].enumerated() {
            go.apply(.queued(m), version: Int64(v))
            hold.apply(.queued(m), version: Int64(v))
        }
        go.apply(.deadLettered(messageId: a0.id, attempt: 1, at: at, reason: "HTTP 422"), version: 3)
        hold.apply(.deadLettered(messageId: a0.id, attempt: 1, at: at, reason: "HTTP 422"), version: 3)
        #expect(startable(go) == [1])
        #expect(startable(hold) == [], "held")
        #expect(hold.settledThrough == -1, "a restart must fold the held message again")

        var replay = a0
        replay.id = DeterministicEventID.make(cause: a0.id, step: "replay-1")
        replay.replayOf = a0.id
        var replayed = hold
        replayed.apply(.queued(replay), version: 4)
        #expect(replayed.heldKeys.isEmpty)
        #expect(replayed.pending.keys.first == replay.id, "the replay takes the dead letter's place, before a1 and a2")
        #expect(startable(replayed).count == 1 && replayed.pending.keys.first == replay.id)

        var discarded = hold
        discarded.apply(.orderingKeyReleased(key: "A", messageId: a0.id, at: at), version: 4)
        #expect(startable(discarded) == [1])
    }

    @Test("acknowledgments in the fold: early, twice, late after a missed deadline, negative")
    func acknowledgmentFold() {
        let t = { (s: Double) in Date(timeIntervalSince1970: s) }
        let a = message(0, key: nil), b = message(1, key: nil), c = message(2, key: nil)
        var ledger = OutboxLedger()
        for (v, m) in [a, b, c].enumerated() { ledger.apply(.queued(m), version: Int64(v)) }
        // Early: the answer overtakes the record of the call.
        ledger.apply(.acknowledged(Acknowledgment(key: "ka", accepted: true, at: t(10))), version: 3)
        ledger.apply(.awaitingAcknowledgment(messageId: a.id, attempt: 1, at: t(10), key: "ka", deadline: t(70)), version: 4)
        #expect(ledger.pending[a.id] == nil && ledger.deliveredCount == 1)
        // Twice: the second changes nothing.
        ledger.apply(.acknowledged(Acknowledgment(key: "ka", accepted: true, at: t(11))), version: 5)
        #expect(ledger.deliveredCount == 1)
        // Late: b's deadline passed and a redelivery is scheduled; the late answer settles it.
        ledger.apply(.awaitingAcknowledgment(messageId: b.id, attempt: 1, at: t(10), key: "kb", deadline: t(70)), version: 6)
        #expect(ledger.pending[b.id]?.step == .acknowledgmentOverdue(key: "kb"))
        ledger.apply(.attemptFailed(DeliveryAttempt(messageId: b.id, attempt: 1, at: t(70), error: "no acknowledgment", retryable: true, nextAttemptAt: t(80))), version: 7)
        #expect(ledger.pending[b.id]?.step == .call)
        ledger.apply(.acknowledged(Acknowledgment(key: "kb", accepted: true, at: t(75))), version: 8)
        #expect(ledger.pending[b.id] == nil && ledger.deliveredCount == 2)
        // Negative: due at once, as a rejection (recorded as a dead letter by the dispatcher).
        ledger.apply(.awaitingAcknowledgment(messageId: c.id, attempt: 1, at: t(10), key: "kc", deadline: t(70)), version: 9)
        ledger.apply(.acknowledged(Acknowledgment(key: "kc", accepted: false, reason: "AK5*R", at: t(20))), version: 10)
        #expect(ledger.pending[c.id]?.step == .acknowledgmentRejected(reason: "AK5*R"))
        #expect(ledger.pending[c.id]?.nextAttemptAt == t(20))
    }

    @Test("1,000 messages over 50 keys, 30 % of calls failing: each key's messages are accepted in queue order, each once")
    func orderUnderFailures() async throws {
        let server = try await FaultServer(arguments: ["--fail-rate", "0.3", "--seed", "11"])
        let client = HTTPClient()
        let testStore = try TestStore()
        let store = try testStore.open()
        let definition = EndpointDefinition(
            name: "erp", endpoint: HTTPEndpoint(configuration: HTTPEndpointConfiguration(url: server.url("/flaky")), client: client),
            retryPolicy: RetryPolicy(maximumRedeliveries: 50, redeliveryDelay: .milliseconds(2), backOffMultiplier: 1.5, maximumRedeliveryDelay: .milliseconds(20)),
            circuitBreaker: nil, maximumConcurrentDeliveries: 16)
        let messages = (0..<1000).map { message($0, key: "key-\($0 % 50)") }
        for chunk in stride(from: 0, to: messages.count, by: 100) { try await Outbox(store: store).enqueue(Array(messages[chunk..<chunk + 100])) }
        let dispatcher = Dispatcher(definition: definition, store: store, pollInterval: .milliseconds(5))
        let running = Task { try await dispatcher.run() }
        let settled = try await eventually(timeout: .seconds(120)) { dispatcher.status.loaded && dispatcher.status.pending == 0 }
        running.cancel()
        try await running.value
        #expect(settled)

        let requests = try await server.requests()
        var accepted: [String: [Int]] = [:]
        for r in requests where r.outcome == "ok" {
            let body = try JSONValue(parsing: Array(r.body.utf8))
            accepted[body["key"]?.stringValue ?? "", default: []].append(Int(body["n"]?.doubleValue ?? -1))
        }
        #expect(accepted.count == 50)
        for (key, ns) in accepted { #expect(ns == ns.sorted() && Set(ns).count == ns.count, "\(key): \(ns)") }
        #expect(accepted.values.reduce(0) { $0 + $1.count } == 1000, "each message accepted exactly once")
        print("ordered delivery: 1,000 messages, \(requests.count) calls (\(requests.filter { $0.outcome == "failed" }.count) failed), 50 keys in order")
        await store.close()
        await client.shutdown()
        await server.stop()
    }
}
