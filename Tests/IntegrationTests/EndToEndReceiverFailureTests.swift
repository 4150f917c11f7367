import Foundation
import HTTPClient
import Testing

extension EndToEndTests {
    @Suite("Receiver failing and down")
    struct ReceiverFailure {
        @Test("receiver failing 30 % of calls and down for 20 s: every order is delivered after it recovers or sits in dlq-endpoint-receiver with its errors; breaker changes are in breaker-receiver",
              .timeLimit(.minutes(4)))
        func failingAndDownReceiver() async throws {
            let seed = EndToEndTests.seed
            let count = 300
            let rig = try await EndToEndRig.start(
                receiverArguments: ["--fail-rate", "0.3", "--seed", String(seed), "--down-after", "80", "--down-for", "20"]
            ) { endpoint in
                // Enough redeliveries (capped at 2 s apart) to outlast the outage; a breaker that
                // tries again after 1 s, and whose threshold (70 % of 20 calls) the outage crosses
                // but the 30 % of random failures practically never does.
                endpoint.maximumRedeliveries = 25
                endpoint.redeliveryDelay = "100ms"
                endpoint.maximumRedeliveryDelay = "2s"
                endpoint.slidingWindowSize = 20
                endpoint.minimumNumberOfCalls = 10
                endpoint.failureRateThreshold = 70
                endpoint.waitDurationInOpenState = "1s"
                endpoint.permittedNumberOfCallsInHalfOpenState = 2
            }
            let load = try WebhookLoad(count: count, duplicateFraction: 0, tamperedFraction: 0, firstOrderNumber: 300_000, seed: seed)
            let outcomes = await WebhookSender.send(load.requests, to: rig.daemon.webhookURL, client: rig.client, concurrency: 8)
            #expect(outcomes.allSatisfy { $0.status == 202 }, "\(sample(outcomes.filter { $0.status != 202 }.map(\.body)))")
            let expectedOrders = Set(load.valid.compactMap(\.canonicalOrderId))
            let receiver = rig.receiver!
            let storePath = rig.daemon.storePath

            // Settled: every order is at the receiver or in the dead letters (read with the CLI
            // from the running daemon's store, as an operator would).
            let settled = try await pollUntil(timeout: .seconds(150), interval: .seconds(1)) {
                let delivered = ReceiverTally(records: receiver.records()).deliveredOrderIds
                if expectedOrders.isSubset(of: delivered) { return true }
                let deadLettered = try await paklogEventsRead(stream: "dlq-endpoint-receiver", storePath: storePath)
                let dead = Set(deadLettered.compactMap { StoreContents.find("orderId", in: $0) })
                return expectedOrders.isSubset(of: delivered.union(dead))
            }
            let tally = ReceiverTally(records: receiver.records())
            let store = try await rig.finish()
            let dlq = store.stream("dlq-endpoint-receiver").filter { $0.type == "DeadLettered" }
            let deadOrders = Set(store.orderIds(in: dlq))
            let lost = expectedOrders.subtracting(tally.deliveredOrderIds).subtracting(deadOrders)
            #expect(settled && lost.isEmpty, "seed \(seed): neither delivered nor dead-lettered: \(sample(lost.sorted())) (store: \(store.overview))")

            // A dead letter says why, attempt by attempt.
            for event in dlq {
                let data = store.json(event) ?? [:]
                let attempts = data["attempts"] as? [[String: Any]] ?? []
                #expect(!(data["reason"] as? String ?? "").isEmpty, "dead letter without a reason: \(String(decoding: event.data, as: UTF8.self).prefix(500))")
                #expect(!attempts.isEmpty, "dead letter without its attempts: \(String(decoding: event.data, as: UTF8.self).prefix(500))")
            }

            // The breaker opened during the outage and closed again once trial calls succeeded.
            let transitions = store.stream("breaker-receiver").compactMap { store.json($0) }
                .map { "\($0["from"] as? String ?? "?")→\($0["to"] as? String ?? "?")" }
            #expect(transitions.contains("CLOSED→OPEN"), "breaker-receiver: \(transitions)")
            #expect(transitions.contains("HALF_OPEN→CLOSED"), "breaker-receiver: \(transitions)")

            let injected = tally.records.filter { $0.status == 503 }.count
            print("""
                end-to-end receiver failure (seed \(seed)): sent \(count), acknowledged \(outcomes.filter { $0.status == 202 }.count), \
                delivered \(tally.deliveredOrderIds.count), dead-lettered \(deadOrders.count), receiver requests \(tally.records.count) \
                (503 injected \(injected), redelivered \(tally.redeliveries)), breaker transitions \(transitions.count): \
                \(transitions.joined(separator: ", "))
                """)
        }
    }
}
