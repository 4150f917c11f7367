import Foundation
import HTTPClient
import Testing

/// The first end-to-end slice (issue 16) with the real `paklog` binary and real processes: signed
/// webhooks in, the shipped mapping, the `order-events` topic, and scripts/receiver.py as the
/// system PakLog delivers to. The suites run one after another: each starts its own daemon and
/// receiver, and running them side by side on a small machine would only slow all of them.
@Suite("End to end", .serialized)
struct EndToEndTests {
    /// The seed of this run's random choices: `PAKLOG_E2E_SEED` repeats a run.
    static let seed: UInt64 = ProcessInfo.processInfo.environment["PAKLOG_E2E_SEED"].flatMap(UInt64.init)
        ?? UInt64(Date().timeIntervalSince1970)
}

/// A daemon with the quickstart route and (optionally) a receiver, each in a fresh directory.
struct EndToEndRig {
    let directory: TemporaryDirectory
    let client: HTTPClient
    let receiver: ReceiverProcess?
    let daemon: GatewayDaemon

    /// Starts the receiver (with `receiverArguments` for faults) and the daemon.
    static func start(withReceiver: Bool = true, receiverArguments: [String] = [], maxBodyBytes: Int = 1_048_576,
                      tune: (inout EndToEndConfiguration.Receiver) -> Void = { _ in }) async throws -> EndToEndRig {
        let directory = try TemporaryDirectory()
        let client = HTTPClient()
        let receiver = withReceiver ? try await ReceiverProcess(directory: directory, arguments: receiverArguments) : nil
        var config = EndToEndConfiguration(port: freeLoopbackPort(), storePath: directory.path + "/data/paklog.sqlite", maxBodyBytes: maxBodyBytes)
        if let receiver {
            var endpoint = EndToEndConfiguration.Receiver(url: receiver.url, secret: receiver.secret)
            tune(&endpoint)
            config.receiver = endpoint
        }
        let daemon = try GatewayDaemon(configuration: config, directory: directory)
        try await daemon.start(client: client)
        return EndToEndRig(directory: directory, client: client, receiver: receiver, daemon: daemon)
    }

    /// Stops the daemon (SIGTERM) and the receiver, and reads what the store holds.
    func finish() async throws -> StoreContents {
        let status = await daemon.stop()
        #expect(status == 0, "daemon did not stop cleanly; log:\n\(daemon.log.suffix(4000))")
        if let receiver { print("receiver " + (await receiver.stop())) }
        await client.shutdown()
        return try await StoreContents.read(path: daemon.storePath)
    }

    /// Waits until `order-events` (read with the CLI from the running daemon's store) holds every
    /// one of `orderIds`: mapping runs after the acknowledgement, so a stop right after the load
    /// would leave the rest for the next start. Returns those still missing.
    func awaitTopic(_ orderIds: Set<String>, timeout: Duration) async throws -> Set<String> {
        var seen: Set<String> = []
        _ = try await pollUntil(timeout: timeout, interval: .milliseconds(500)) {
            seen = Set(try await paklogEventsRead(stream: "order-events", storePath: daemon.storePath).compactMap { StoreContents.find("orderId", in: $0) })
            return orderIds.isSubset(of: seen)
        }
        return orderIds.subtracting(seen)
    }

    /// Waits until the receiver has answered 200 for every one of `orderIds`; returns those
    /// still missing.
    func awaitDeliveries(of orderIds: Set<String>, timeout: Duration) async -> Set<String> {
        guard let receiver else { return orderIds }
        _ = await pollUntil(timeout: timeout, interval: .milliseconds(500)) {
            orderIds.isSubset(of: ReceiverTally(records: receiver.records()).deliveredOrderIds)
        }
        return orderIds.subtracting(ReceiverTally(records: receiver.records()).deliveredOrderIds)
    }
}

/// At most `limit` items of a list for a failure message.
func sample<S: Sequence>(_ items: S, _ limit: Int = 5) -> String {
    let all = Array(items)
    let shown = all.prefix(limit).map { "\($0)" }.joined(separator: ", ")
    return all.count > limit ? "\(shown) … (\(all.count) in all)" : shown
}

extension EndToEndTests {
    @Suite("Signed webhooks in, canonical orders out")
    struct Delivery {
        @Test("1,000 signed webhooks, 10 % sent twice, 5 % tampered: valid ones answered 202, stored once and delivered; tampered ones answered 401 and never stored",
              .timeLimit(.minutes(4)))
        func thousandSignedWebhooks() async throws {
            let seed = EndToEndTests.seed
            let rig = try await EndToEndRig.start()
            let load = try WebhookLoad(count: 1000, duplicateFraction: 0.1, tamperedFraction: 0.05, firstOrderNumber: 100_000, seed: seed)
            let outcomes = await WebhookSender.send(load.requests, to: rig.daemon.webhookURL, client: rig.client, concurrency: 16)

            let tamperedIds = Set(load.tampered.map(\.id))
            let validIds = Set(load.valid.map(\.id))
            let wronglyAnswered = outcomes.filter { ($0.status == 401) != tamperedIds.contains($0.webhook.id) || ($0.status != 202 && $0.status != 401) }
            #expect(wronglyAnswered.isEmpty, "seed \(seed): unexpected answers: \(sample(wronglyAnswered.map { "\($0.webhook.id) → \($0.status.map(String.init) ?? "none") \($0.body)" }))")
            let rejections = outcomes.filter { $0.status == 401 }
            #expect(rejections.allSatisfy { ($0.error ?? "").contains("signature") }, "401 answers should name the signature: \(sample(rejections.map(\.body), 2))")

            // A redelivery gets the first delivery's receipt back, marked as a duplicate.
            let byId = Dictionary(grouping: outcomes.filter { $0.status == 202 }, by: \.webhook.id)
            for id in load.resentIds {
                let answers = byId[id] ?? []
                #expect(answers.count == 2, "\(id) was sent twice")
                #expect(Set(answers.compactMap(\.receipt)).count == 1, "\(id): both answers carry the same receipt: \(answers.map(\.body))")
                #expect(answers.filter { $0.duplicate == true }.count == 1, "\(id): exactly one answer says duplicate: \(answers.map(\.body))")
            }

            let expectedOrders = Set(load.valid.compactMap(\.canonicalOrderId))
            let undelivered = await rig.awaitDeliveries(of: expectedOrders, timeout: .seconds(120))
            #expect(undelivered.isEmpty, "seed \(seed): never delivered: \(sample(undelivered.sorted()))\n\(rig.daemon.log.suffix(3000))")

            let store = try await rig.finish()
            let inbox = store.inboxKeys(source: "orders")
            #expect(inbox.count == validIds.count, "one MessageReceived per valid webhook-id (store: \(store.overview))")
            #expect(Set(inbox) == validIds)
            #expect(tamperedIds.isDisjoint(with: inbox), "tampered webhooks stored: \(sample(tamperedIds.intersection(inbox)))")
            let topicOrders = store.orderIds(in: store.topic("order-events"))
            #expect(topicOrders.count == expectedOrders.count, "one order-events event per valid webhook (store: \(store.overview))")
            #expect(Set(topicOrders) == expectedOrders)

            let tally = ReceiverTally(records: rig.receiver!.records())
            let idsPerOrder = tally.webhookIdsByOrder
            #expect(idsPerOrder.count == expectedOrders.count, "the receiver saw exactly the valid orders")
            #expect(idsPerOrder.values.allSatisfy { $0.count == 1 }, "each order arrives under one webhook-id: \(sample(idsPerOrder.filter { $0.value.count > 1 }.map(\.key)))")
            #expect(tally.badSignatures.isEmpty, "the receiver refused PakLog's signature: \(sample(tally.badSignatures.compactMap(\.reason)))")
            print("""
                end-to-end delivery (seed \(seed)): requests \(load.requests.count), webhooks \(load.valid.count + load.tampered.count) \
                (valid \(load.valid.count), sent twice \(load.resentIds.count), tampered \(load.tampered.count)); \
                answered 202 \(outcomes.filter { $0.status == 202 }.count), 401 \(rejections.count); \
                stored \(inbox.count), order-events \(topicOrders.count); delivered \(tally.deliveredOrderIds.count), \
                receiver requests \(tally.records.count), redelivered \(tally.redeliveries)
                """)
        }
    }
}
