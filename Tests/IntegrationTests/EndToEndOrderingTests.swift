import EventStore
import Foundation
import HTTPClient
import JSON
import Testing

extension EndToEndTests {
    @Suite("Ordered delivery through a SIGKILL")
    struct Ordering {
        /// Groups the quickstart's canonical orders (`SHOP-<number>`) into 50 keys.
        static let keyExpression = #"$string($number($substringAfter(body.orderId, "SHOP-")) % 50)"#

        @Test("1,000 messages over 50 keys, a receiver failing 30 % of calls, one SIGKILL: each key's messages are first accepted in log order",
              .timeLimit(.minutes(4)))
        func orderedThroughKill() async throws {
            let seed = EndToEndTests.seed
            var random = SeededGenerator(seed: seed ^ 0x0DE5)
            let rig = try await EndToEndRig.start(receiverArguments: ["--fail-rate", "0.3", "--seed", "\(seed % 1000)"]) { r in
                r.orderingKey = Self.keyExpression
                r.maximumConcurrentCalls = 16
                r.maximumRedeliveries = 40
                r.redeliveryDelay = "20ms"
                r.backOffMultiplier = 2
                r.maximumRedeliveryDelay = "200ms"
                // The breaker would only slow the run: 30 % failures are the point here.
                r.failureRateThreshold = 100
            }
            let load = try WebhookLoad(count: 1000, duplicateFraction: 0, tamperedFraction: 0, firstOrderNumber: 300_000, seed: seed)
            let outcomes = await WebhookSender.send(load.requests, to: rig.daemon.webhookURL, client: rig.client, concurrency: 16, retryFor: .seconds(60),
                                                    progress: SendProgress())
            #expect(outcomes.allSatisfy { $0.status == 202 })

            // Killed while deliveries are under way.
            let killAfter = Int.random(in: 150...600, using: &random)
            let reached = await pollUntil(timeout: .seconds(120), interval: .milliseconds(5)) {
                rig.receiver!.records().filter { $0.status == 200 }.count >= killAfter
            }
            #expect(reached, "deliveries stalled; log:\n\(rig.daemon.log.suffix(3000))")
            await rig.daemon.kill()
            try await rig.daemon.start(client: rig.client)

            let expected = Set(load.valid.compactMap(\.canonicalOrderId))
            let undelivered = await rig.awaitDeliveries(of: expected, timeout: .seconds(150))
            #expect(undelivered.isEmpty, "seed \(seed): never delivered: \(sample(undelivered.sorted()))\n\(rig.daemon.log.suffix(3000))")
            let store = try await rig.finish()

            // The log order of each key: the outbox stream, in the order the route queued.
            var logOrder: [String: [String]] = [:]
            for event in store.stream("outbox-receiver") where event.type == "OutboxMessageQueued" {
                let data = try JSONValue(parsing: event.data)
                guard let key = data["orderingKey"]?.stringValue, let order = data["body"]?["orderId"]?.stringValue else {
                    Issue.record("a queued message without its ordering key or order id")
                    continue
                }
                logOrder[key, default: []].append(order)
            }
            #expect(logOrder.count == 50)
            // What the receiver accepted, in the order it accepted them (one at a time per key:
            // the next of a key is sent only after the previous one's answer was recorded).
            let records = rig.receiver!.records().sorted { $0.receivedAt < $1.receivedAt }
            var accepted: [String: [String]] = [:]
            var keyOf: [String: String] = [:]
            for (key, orders) in logOrder { for o in orders { keyOf[o] = key } }
            var firstSuccess = Set<String>()
            for r in records where r.status == 200 {
                guard let order = r.field, firstSuccess.insert(order).inserted, let key = keyOf[order] else { continue }
                accepted[key, default: []].append(order)
            }
            let outOfOrder = logOrder.filter { accepted[$0.key] != $0.value }.map(\.key).sorted()
            #expect(outOfOrder.isEmpty, "seed \(seed): keys accepted out of log order: \(sample(outOfOrder))")
            // At-least-once across the kill: only what was in flight when it came (at most the
            // 16 concurrent calls, one per key) can be sent again after its 200.
            let tally = ReceiverTally(records: records)
            #expect(tally.duplicateDeliveries <= 16, "seed \(seed): \(tally.duplicateDeliveries) repeats after a 200")
            print("""
                ordered delivery (seed \(seed), SIGKILL after \(killAfter) accepted calls): 1,000 messages over 50 keys, \
                \(records.count) calls (\(records.filter { $0.status == 503 }.count) failed by the receiver), \
                \(tally.duplicateDeliveries) repeated after a 200 (in flight at the kill), every key in log order
                """)
        }
    }
}
