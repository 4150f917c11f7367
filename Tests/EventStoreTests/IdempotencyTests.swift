import Foundation
import Testing
@testable import EventStore

@Suite("Idempotency")
struct IdempotencyTests {
    @Test("repeating an append with the same ids and content is a no-op returning the original versions and positions")
    func sameIdsSameContent() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let events = [event("A", json: #"{"a":1}"#), event("B", json: #"{"b":2}"#, metadata: EventMetadata(correlationId: "c-1", extra: ["k": "v"]))]
            try await store.append(to: "order-1", [event()])
            let first = try await store.append(to: "order-1", events, expectedVersion: .exact(0))
            try await store.append(to: "order-1", [event()])
            let again = try await store.append(to: "order-1", events, expectedVersion: .exact(0))
            #expect(again.wasDuplicate)
            #expect(!first.wasDuplicate)
            #expect(again.streamVersions == first.streamVersions)
            #expect(again.positions == first.positions)
            #expect(try await store.streamVersion("order-1") == 3)
            #expect(try await store.headPosition() == 4)
        }
    }

    @Test("a repeat with expected version any is also recognised, however late")
    func lateRetryWithAny() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let retried = event("Late")
            let first = try await store.append(to: "order-2", [retried], expectedVersion: .any)
            for _ in 0..<50 { try await store.append(to: "order-2", [event()]) }
            let again = try await store.append(to: "order-2", [retried], expectedVersion: .any)
            #expect(again.wasDuplicate)
            #expect(again.positions == first.positions)
            #expect(try await store.streamVersion("order-2") == 50)
        }
    }

    @Test("a repeat whose expectation the original write did not satisfy is a wrong expected version")
    func repeatWithWrongExpectation() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let e = event()
            try await store.append(to: "order-3", [event(), e])
            await #expect(throws: EventStoreError.wrongExpectedVersion(stream: "order-3", expected: .noStream, actual: 1)) {
                try await store.append(to: "order-3", [e], expectedVersion: .noStream)
            }
        }
    }

    @Test("the same id with different data is an idempotency conflict")
    func sameIdDifferentData() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let id = UUID()
            try await store.append(to: "order-4", [event(json: #"{"v":1}"#, id: id)])
            await #expect(throws: EventStoreError.idempotencyConflict(eventId: id, stream: "order-4")) {
                try await store.append(to: "order-4", [event(json: #"{"v":2}"#, id: id)])
            }
            #expect(try await store.headPosition() == 1)
        }
    }

    @Test("the same id with different metadata or type, or in another stream, is a conflict")
    func sameIdOtherwiseDifferent() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let original = event("Placed", metadata: EventMetadata(source: "shopify"))
            try await store.append(to: "order-5", [original])
            var otherMetadata = original
            otherMetadata.metadata.source = "magento"
            var otherType = original
            otherType.type = "Cancelled"
            await #expect(throws: EventStoreError.idempotencyConflict(eventId: original.id, stream: "order-5")) {
                try await store.append(to: "order-5", [otherMetadata])
            }
            await #expect(throws: EventStoreError.idempotencyConflict(eventId: original.id, stream: "order-5")) {
                try await store.append(to: "order-5", [otherType])
            }
            await #expect(throws: EventStoreError.idempotencyConflict(eventId: original.id, stream: "order-6")) {
                try await store.append(to: "order-6", [original])
            }
        }
    }

    @Test("repeated ids in another order are a conflict, not a no-op")
    func reordered() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let a = event("A")
            let b = event("B")
            try await store.append(to: "order-7", [a, b])
            // b anchors the repeat at its version 1; a would then have to be at version 2.
            await #expect(throws: EventStoreError.idempotencyConflict(eventId: a.id, stream: "order-7")) {
                try await store.append(to: "order-7", [b, a])
            }
        }
    }

    @Test("a batch whose first ids exist and the rest are new is refused as a partial duplicate, writing nothing")
    func partialBatch() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let old = [event(), event()]
            try await store.append(to: "order-8", old)
            let mixed = old + [event(), event(), event()]
            do {
                try await store.append(to: "order-8", mixed)
                Issue.record("a partially repeated batch was accepted")
            } catch let error as EventStoreError {
                #expect(error == .partialDuplicateBatch(stream: "order-8", existing: 2, total: 5))
                #expect(error.description.contains("2 of 5 event ids"))
            }
            #expect(try await store.streamVersion("order-8") == 1)
        }
    }

    @Test("the same id twice in one transaction is a conflict")
    func duplicateWithinTransaction() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let e = event()
            await #expect(throws: EventStoreError.idempotencyConflict(eventId: e.id, stream: "order-9")) {
                try await store.append(to: "order-9", [e, e])
            }
        }
    }

    @Test("a repeated idempotency key returns the first result and writes nothing, not even its checkpoint")
    func idempotencyKey() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let first = try await store.append(AppendTransaction(
                appends: [StreamAppend(stream: "inbox-shopify", events: [event(), event()])],
                idempotencyKey: "shopify:webhook-1",
                checkpoint: Checkpoint(name: "route", position: 7)))
            let second = try await store.append(AppendTransaction(
                appends: [StreamAppend(stream: "inbox-shopify", events: [event(), event()])],
                idempotencyKey: "shopify:webhook-1",
                checkpoint: Checkpoint(name: "route", position: 99)))
            #expect(!first.wasDuplicate)
            #expect(second.wasDuplicate)
            #expect(second.positions == first.positions)
            #expect(second.streamVersions == first.streamVersions)
            #expect(try await store.headPosition() == 2)
            #expect(try await store.loadCheckpoint("route") == 7)
            #expect(try await store.lookupIdempotencyKey("shopify:webhook-1") == second)
            #expect(try await store.lookupIdempotencyKey("shopify:webhook-2") == nil)
        }
    }

    @Test("the idempotency key and checkpoint are committed with the events, or not at all")
    func keyAndCheckpointAtomic() async throws {
        try await withTemporaryStore { (store, _) async throws in
            try await store.append(to: "order-10", [event()])
            let failing = AppendTransaction(
                appends: [StreamAppend(stream: "order-10", events: [event()], expectedVersion: .noStream)],
                idempotencyKey: "erp:idoc-1",
                checkpoint: Checkpoint(name: "erp-inbound", position: 5))
            await #expect(throws: EventStoreError.wrongExpectedVersion(stream: "order-10", expected: .noStream, actual: 0)) {
                try await store.append(failing)
            }
            #expect(try await store.lookupIdempotencyKey("erp:idoc-1") == nil)
            #expect(try await store.loadCheckpoint("erp-inbound") == nil)

            var succeeding = failing
            succeeding.appends[0].expectedVersion = .exact(0)
            let result = try await store.append(succeeding)
            #expect(try await store.lookupIdempotencyKey("erp:idoc-1")?.positions == result.positions)
            #expect(try await store.loadCheckpoint("erp-inbound") == 5)
        }
    }

    @Test("event data that is not JSON is refused, naming the event and where the JSON broke")
    func invalidData() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let bad = event(json: #"{"a":1,}"#)
            do {
                try await store.append(to: "order-11", [event(), bad])
                Issue.record("invalid JSON was accepted")
            } catch let EventStoreError.invalidEventData(id, reason) {
                #expect(id == bad.id)
                #expect(reason.contains("at byte 7"))
            }
            #expect(try await store.headPosition() == 0)
        }
    }
}

@Suite("Idempotency key retention")
struct IdempotencyKeyRetentionTests {
    @Test("pruning removes keys committed before the cutoff and keeps later ones")
    func prune() async throws {
        try await withTemporaryStore { (store, _) async throws in
            try await store.append(AppendTransaction(appends: [StreamAppend(stream: "inbox-1", events: [event()])], idempotencyKey: "old"))
            let cutoff = Date()
            try await Task.sleep(for: .milliseconds(20))
            try await store.append(AppendTransaction(appends: [StreamAppend(stream: "inbox-1", events: [event()])], idempotencyKey: "new"))
            #expect(try await store.pruneIdempotencyKeys(recordedBefore: cutoff) == 1)
            #expect(try await store.lookupIdempotencyKey("old") == nil)
            #expect(try await store.lookupIdempotencyKey("new") != nil)
        }
    }
}
