import Foundation
import Testing
@testable import EventStore

@Suite("Group commit")
struct GroupCommitTests {
    /// Queues `transactions` while the writer is held, so that they form one batch.
    private func appendInOneBatch(_ store: SQLiteEventStore, _ transactions: [AppendTransaction]) async throws -> [Result<AppendResult, EventStoreError>] {
        store.writer.hold()
        return try await withThrowingTaskGroup(of: (Int, Result<AppendResult, EventStoreError>).self) { group in
            for (index, transaction) in transactions.enumerated() {
                group.addTask {
                    do { return (index, .success(try await store.append(transaction))) } catch let error as EventStoreError {
                        return (index, .failure(error))
                    }
                }
            }
            while store.writer.queuedCount < transactions.count { await Task.yield() }
            let batchesBefore = store.writer.batchCount
            store.writer.release()
            var results = [Result<AppendResult, EventStoreError>?](repeating: nil, count: transactions.count)
            for try await (index, result) in group { results[index] = result }
            #expect(store.writer.batchCount == batchesBefore + 1, "the transactions were committed in one batch")
            return results.map { $0! }
        }
    }

    @Test("one bad transaction in a shared batch fails alone; the others commit")
    func badTransactionFailsAlone() async throws {
        try await withTemporaryStore { (store, _) async throws in
            try await store.append(to: "order-taken", [event()])
            var transactions = (0..<10).map { AppendTransaction(appends: [StreamAppend(stream: StreamName("order-\($0)"), events: [event(), event()])]) }
            transactions.insert(AppendTransaction(appends: [StreamAppend(stream: "order-taken", events: [event()], expectedVersion: .noStream)]), at: 5)
            let results = try await appendInOneBatch(store, transactions)
            for (index, result) in results.enumerated() {
                if index == 5 {
                    #expect(throws: EventStoreError.wrongExpectedVersion(stream: "order-taken", expected: .noStream, actual: 0)) { try result.get() }
                } else {
                    #expect(throws: Never.self) { try result.get() }
                }
            }
            // The tasks reach the queue in whatever order they start; the batch's positions are
            // contiguous, and each transaction's events are consecutive.
            let committed = results.compactMap { try? $0.get() }.map(\.positions)
            #expect(committed.flatMap { $0 }.sorted() == Array(2...21), "\(committed)")
            #expect(committed.allSatisfy { $0.count == 2 && $0[1] == $0[0] + 1 }, "\(committed)")
            #expect(try await store.streamVersion("order-taken") == 0)
            #expect(try await readEverything(store).count == 21)
        }
    }

    @Test("two appends in one batch with the same idempotency key write once")
    func sameKeyInOneBatch() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let transaction = AppendTransaction(appends: [StreamAppend(stream: "inbox-as2", events: [event()])], idempotencyKey: "as2:msg-1")
            var other = transaction
            other.appends[0].events = [event()]
            let results = try await appendInOneBatch(store, [transaction, other])
            let first = try results[0].get()
            let second = try results[1].get()
            #expect(!first.wasDuplicate)
            #expect(second.wasDuplicate)
            #expect(second.positions == first.positions)
            #expect(try await store.headPosition() == 1)
        }
    }

    @Test("an append acknowledged by the store is read back after reopening")
    func durableAcrossReopen() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eventstore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("events.sqlite").path
        let written = event("Persisted", json: #"{"sku":"A-1","qty":3}"#, metadata: EventMetadata(correlationId: "corr", causationId: "cause", source: "test", extra: ["traceparent": "00-abc", "quote\"d": "line\nbreak"]))
        do {
            let store = try SQLiteEventStore(path: path, logger: .init(label: "test"))
            try await store.append(to: "order-1", [written])
            await store.close()
            await #expect(throws: EventStoreError.closed) { try await store.append(to: "order-1", [event()]) }
        }
        let reopened = try SQLiteEventStore(path: path, logger: .init(label: "test"))
        let events = try await reopened.readStream("order-1", from: 0, direction: .forward, maxCount: 10)
        #expect(events.count == 1)
        #expect(events.first?.id == written.id)
        #expect(events.first?.data == written.data)
        #expect(events.first?.metadata == written.metadata)
        #expect(events.first?.type == "Persisted")
        #expect(try await reopened.headPosition() == 1)
        await reopened.close()
    }

    @Test("close commits appends that were already queued")
    func closeDrainsQueue() async throws {
        try await withTemporaryStore { (store, path) async throws in
            store.writer.hold()
            let appends = Task {
                try await withThrowingTaskGroup(of: AppendResult.self) { group in
                    for index in 0..<5 { group.addTask { try await store.append(to: StreamName("order-\(index)"), [event()]) } }
                    return try await group.reduce(into: 0) { count, _ in count += 1 }
                }
            }
            while store.writer.queuedCount < 5 { await Task.yield() }
            await store.close()
            #expect(try await appends.value == 5)
        }
    }
}

@Suite("Durability")
struct DurabilityTests {
    @Test("the writer commits with synchronous=FULL by default and NORMAL when configured", arguments: [(Durability.full, 2), (.normal, 1)])
    func synchronousLevel(durability: Durability, level: Int) async throws {
        try await withTemporaryStore(configuration: .init(durability: durability)) { (store, _) async throws in
            #expect(try store.writerSynchronousLevel() == level)
        }
    }

    @Test("the writer's automatic checkpoint runs every 1000 WAL pages unless configured otherwise", arguments: [(nil, 1000), (Optional(128), 128)])
    func autoCheckpointPages(configured: Int?, expected: Int) async throws {
        var configuration = SQLiteEventStore.Configuration()
        if let configured { configuration.walAutoCheckpointPages = configured }
        try await withTemporaryStore(configuration: configuration) { (store, _) async throws in
            #expect(try store.writerAutoCheckpointPages() == expected)
        }
    }
}
