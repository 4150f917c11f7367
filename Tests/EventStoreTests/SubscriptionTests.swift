import Foundation
import Testing
@testable import EventStore

@Suite("Subscriptions", .timeLimit(.minutes(2)))
struct SubscriptionTests {
    /// Consumes `subscription`, acknowledging each event, until `until` says stop.
    private func consume(_ subscription: Subscription, until done: @escaping @Sendable ([RecordedEvent]) -> Bool) -> Task<[RecordedEvent], any Error> {
        Task {
            var seen: [RecordedEvent] = []
            for try await event in subscription {
                seen.append(event)
                try await subscription.acknowledge(event)
                if done(seen) { break }
            }
            return seen
        }
    }

    @Test("a subscription stopped and restarted from its checkpoint sees every event once, in order, under continuous writes")
    func restartUnderContinuousWrites() async throws {
        try await withTemporaryStore(configuration: .init(durability: .normal)) { (store, _) async throws in
            for index in 0..<300 { try await store.append(to: StreamName("order-\(index % 7)"), [event()]) }
            let total = 1500
            let writer = Task {
                for index in 300..<total {
                    try await store.append(to: StreamName("order-\(index % 7)"), [event(json: #"{"i":\#(index)}"#)])
                }
            }
            // First run: catch up (300 stored), go live, stop midway through the writes.
            let first = store.subscribe(name: "projector", pageSize: 64, checkpointEvery: 50)
            let firstRun = consume(first) { $0.count == 700 }
            let seenFirst = try await firstRun.value
            try await first.stop()
            #expect(try await store.loadCheckpoint("projector") == seenFirst.last?.position)

            let second = store.subscribe(name: "projector", pageSize: 64, checkpointEvery: 50)
            let secondRun = consume(second) { seen in seen.last?.position == Int64(total) }
            try await writer.value
            let seenSecond = try await secondRun.value
            try await second.stop()

            let positions = (seenFirst + seenSecond).map(\.position)
            #expect(positions == Array(1...Int64(total)), "every event exactly once, in log order")
            #expect(try await store.loadCheckpoint("projector") == Int64(total))
        }
    }

    @Test("events written between catch-up and live are delivered (handover)")
    func handover() async throws {
        try await withTemporaryStore(configuration: .init(durability: .normal)) { (store, _) async throws in
            let subscription = store.subscribe(filter: .category("order"), pageSize: 16)
            let run = consume(subscription) { $0.count == 400 }
            // Writers race the subscription's switch from catch-up to live, from several tasks.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        for index in 0..<100 {
                            try await store.append(to: StreamName("order-\(writer)"), [event(json: #"{"i":\#(index)}"#)])
                            try await store.append(to: StreamName("wave-\(writer)"), [event()])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let seen = try await run.value
            #expect(seen.count == 400)
            #expect(seen.map(\.position) == seen.map(\.position).sorted())
            #expect(Set(seen.map(\.id)).count == 400)
            #expect(seen.allSatisfy { $0.stream.category == "order" })
            #expect(subscription.isCaughtUp)
        }
    }

    @Test("a filter that matches nothing still moves its durable checkpoint")
    func emptyFilterMovesCheckpoint() async throws {
        try await withTemporaryStore(configuration: .init(durability: .normal)) { (store, _) async throws in
            for index in 0..<50 { try await store.append(to: StreamName("order-\(index)"), [event()]) }
            let subscription = store.subscribe(name: "dlq-watch", filter: .category("dlq"))
            let run = consume(subscription) { _ in false }
            while try await store.loadCheckpoint("dlq-watch") != 50 { try await Task.sleep(for: .milliseconds(5)) }
            #expect(subscription.isCaughtUp)
            try await subscription.stop()
            #expect(try await run.value.isEmpty)
            let restarted = store.subscribe(name: "dlq-watch", filter: .category("dlq"))
            try await store.append(to: "dlq-fedex", [event()])
            let next = try await consume(restarted) { _ in true }.value
            #expect(next.map(\.position) == [51], "the restart does not rescan the skipped positions")
        }
    }

    @Test("the checkpoint never passes an event a concurrent handler has not acknowledged")
    func outOfOrderAcknowledgements() async throws {
        try await withTemporaryStore(configuration: .init(durability: .normal)) { (store, _) async throws in
            try await store.append(to: "order-1", (0..<10).map { _ in event() })
            let subscription = store.subscribe(name: "workers", pageSize: 100, checkpointEvery: 1)
            var iterator = subscription.makeAsyncIterator()
            var delivered: [RecordedEvent] = []
            for _ in 0..<10 { delivered.append(try await iterator.next()!) }
            // Handlers finish in reverse, except the first one, which is still running.
            for event in delivered.dropFirst().reversed() { try await subscription.acknowledge(event) }
            try await subscription.commit()
            #expect(try await store.loadCheckpoint("workers") == nil, "event 1 is in flight: nothing may be persisted")
            try await subscription.acknowledge(delivered[0])
            try await subscription.commit()
            #expect(try await store.loadCheckpoint("workers") == 10)
        }
    }

    @Test("stop ends an iteration that is waiting for new events")
    func stopEndsWaitingIteration() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let subscription = store.subscribe(name: "idle")
            let run = consume(subscription) { _ in false }
            while !subscription.isCaughtUp { try await Task.sleep(for: .milliseconds(5)) }
            try await subscription.stop()
            #expect(try await run.value.isEmpty)
        }
    }

    @Test("a subscription without a name starts where it is told and keeps no checkpoint")
    func unnamed() async throws {
        try await withTemporaryStore { (store, _) async throws in
            try await store.append(to: "order-1", (0..<5).map { _ in event() })
            let subscription = store.subscribe(startingAfter: 3)
            let seen = try await consume(subscription) { $0.count == 2 }.value
            #expect(seen.map(\.position) == [4, 5])
            try await subscription.stop()
            #expect(subscription.checkpointPosition == 3)
        }
    }

    @Test("a consumer that commits the checkpoint with its own effects resumes after its last commit, never after unhandled events")
    func checkpointCommittedWithEffects() async throws {
        try await withTemporaryStore(configuration: .init(durability: .normal)) { (store, _) async throws in
            for index in 0..<10 {
                try await store.append(to: StreamName("order-\(index)"), [event()])   // odd positions
                try await store.append(to: StreamName("wave-\(index)"), [event()])    // even positions
            }
            let first = store.subscribe(name: "projection", filter: .category("order"), pageSize: 4, checkpointEvery: .max)
            let page = try #require(try await first.nextPage(waitingAtMost: .zero))
            #expect(page.map(\.position) == [1, 3, 5, 7])
            let move = try #require(first.checkpoint(handling: page.map(\.position)))
            #expect(try await store.loadCheckpoint("projection") == nil, "asking what to commit writes nothing")
            _ = try await store.append(AppendTransaction(appends: [StreamAppend(stream: "projection-x", events: [event()])], checkpoint: move))
            first.handled(page.map(\.position), committed: move)
            #expect(try await store.loadCheckpoint("projection") == move.position)

            // The next page is read but not handled when the consumer stops: the checkpoint may move
            // over the skipped wave event at 8, never onto the unhandled order event at 9.
            let unhandled = try #require(try await first.nextPage(waitingAtMost: .zero))
            #expect(unhandled.map(\.position) == [9, 11, 13, 15])
            try await first.stop()
            #expect(try await store.loadCheckpoint("projection") == 8)

            let second = store.subscribe(name: "projection", filter: .category("order"), pageSize: 4, checkpointEvery: .max)
            #expect(try await second.nextPage(waitingAtMost: .zero)?.map(\.position) == [9, 11, 13, 15])
            try await second.stop()
        }
    }
}
