import Foundation
import HTTPClient
import Testing

extension EndToEndTests {
    @Suite("Daemon killed under load")
    struct Crash {
        @Test("SIGKILL twice under load: every webhook answered 202 is stored and delivered; redeliveries keep their webhook-id",
              .timeLimit(.minutes(4)))
        func killedTwiceUnderLoad() async throws {
            let seed = EndToEndTests.seed
            var random = SeededGenerator(seed: seed ^ 0x5EED_C0DE)
            let rig = try await EndToEndRig.start()
            let load = try WebhookLoad(count: 1000, duplicateFraction: 0.1, tamperedFraction: 0.05, firstOrderNumber: 200_000, seed: seed)
            let progress = SendProgress()
            let url = rig.daemon.webhookURL
            let client = rig.client
            let requests = load.requests
            // Like a partner, the sender retries what got no answer (the daemon is down) with the
            // same id and bytes, for up to a minute.
            let sending = Task { await WebhookSender.send(requests, to: url, client: client, concurrency: 16, retryFor: .seconds(60), progress: progress) }

            // Two kills at random points of the load (by answers received so far), plus a random
            // few milliseconds, so they land in different phases: accept, map, deliver.
            let killPoints = [Int.random(in: 100...450, using: &random), Int.random(in: 550...950, using: &random)]
            var killedAt: [Int] = []
            for point in killPoints {
                let reached = await pollUntil(timeout: .seconds(120), interval: .milliseconds(5)) { progress.count >= point }
                #expect(reached, "the load stalled at \(progress.count) answers; log:\n\(rig.daemon.log.suffix(3000))")
                try? await Task.sleep(for: .milliseconds(Int.random(in: 0...40, using: &random)))
                killedAt.append(progress.count)
                await rig.daemon.kill()
                try await rig.daemon.start(client: rig.client)
            }
            let outcomes = await sending.value

            let acknowledged = outcomes.filter { $0.status == 202 }
            let acknowledgedIds = Set(acknowledged.map(\.webhook.id))
            let tamperedIds = Set(load.tampered.map(\.id))
            let unanswered = outcomes.filter { $0.status == nil }
            #expect(outcomes.filter { $0.status == 401 }.allSatisfy { tamperedIds.contains($0.webhook.id) })
            #expect(acknowledgedIds.isDisjoint(with: tamperedIds))

            let expectedOrders = Set(load.valid.filter { acknowledgedIds.contains($0.id) }.compactMap(\.canonicalOrderId))
            let undelivered = await rig.awaitDeliveries(of: expectedOrders, timeout: .seconds(120))
            #expect(undelivered.isEmpty, "seed \(seed): acknowledged but never delivered: \(sample(undelivered.sorted()))\n\(rig.daemon.log.suffix(3000))")

            let store = try await rig.finish()
            let inbox = store.inboxKeys(source: "orders")
            let stored = Set(inbox)
            #expect(acknowledgedIds.isSubset(of: stored), "seed \(seed): acknowledged but not stored: \(sample(acknowledgedIds.subtracting(stored)))")
            #expect(inbox.count == stored.count, "a webhook-id stored twice")
            #expect(tamperedIds.isDisjoint(with: stored))
            let topicOrders = store.orderIds(in: store.topic("order-events"))
            #expect(Set(topicOrders).isSuperset(of: expectedOrders), "acknowledged orders missing from order-events: \(sample(expectedOrders.subtracting(topicOrders)))")
            #expect(topicOrders.count == Set(topicOrders).count, "an order mapped twice into order-events")

            let tally = ReceiverTally(records: rig.receiver!.records())
            let idsPerOrder = tally.webhookIdsByOrder
            let splitOrders = idsPerOrder.filter { $0.value.count > 1 }
            #expect(splitOrders.isEmpty, "redeliveries must carry the first delivery's webhook-id: \(sample(splitOrders.map { "\($0.key): \($0.value.sorted())" }))")
            #expect(tally.badSignatures.isEmpty)
            print("""
                end-to-end crash (seed \(seed), SIGKILL after \(killedAt.map(String.init).joined(separator: " and ")) answers): \
                sent \(load.valid.count + load.tampered.count) webhooks in \(load.requests.count) requests \
                (\(outcomes.reduce(0) { $0 + $1.tries }) tries with the sender's retries), \
                acknowledged \(acknowledgedIds.count), unanswered \(unanswered.count), stored \(stored.count), \
                delivered \(tally.deliveredOrderIds.count), redelivered \(tally.redeliveries) \
                (of which \(tally.duplicateDeliveries) after a 200), daemon starts \(rig.daemon.starts)
                """)
        }
    }
}
