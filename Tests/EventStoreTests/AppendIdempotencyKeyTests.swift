import Foundation
import Testing
@testable import EventStore

/// A `StreamAppend`'s own idempotency key: the append is skipped when the key is committed, the
/// rest of its transaction is written.
@Suite("Per-append idempotency keys")
struct AppendIdempotencyKeyTests {
    private func item(_ key: String, _ n: Int) -> StreamAppend {
        StreamAppend(stream: "inbox-erp", events: [event(json: "{\"n\":\(n)}")], idempotencyKey: "erp:\(key)")
    }

    @Test("an overlapping page stores only its new items and reports the skipped ones")
    func overlappingPage() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let first = try await store.append(AppendTransaction(appends: [item("1", 1), item("2", 2)]))
            #expect(first.skippedAppends.isEmpty)
            let second = try await store.append(AppendTransaction(appends: [item("2", 2), item("3", 3), item("4", 4)]))
            #expect(second.skippedAppends == [0])
            #expect(!second.wasDuplicate)
            #expect(second.positions == [3, 4])
            #expect(second.streamVersions == ["inbox-erp": 3])
            let stored = try await readEverything(store).map { String(decoding: $0.data, as: UTF8.self) }
            #expect(stored == [#"{"n":1}"#, #"{"n":2}"#, #"{"n":3}"#, #"{"n":4}"#])
        }
    }

    @Test("a key that repeats inside one transaction is stored once")
    func repeatInsideTransaction() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let result = try await store.append(AppendTransaction(appends: [item("7", 1), item("7", 2)]))
            #expect(result.skippedAppends == [1])
            #expect(try await readEverything(store).count == 1)
        }
    }

    @Test("a lookup of an append's key finds that append's own events")
    func lookupFindsOwnPart() async throws {
        try await withTemporaryStore { (store, _) async throws in
            try await store.append(to: "order-1", [event()])
            _ = try await store.append(AppendTransaction(appends: [item("a", 1), item("b", 2)]))
            let b = try #require(try await store.lookupIdempotencyKey("erp:b"))
            #expect(b.positions == [3])
            #expect(b.streamVersions == ["inbox-erp": 1])
        }
    }

    @Test("a page that is all repeats still moves its cursor")
    func allSkippedMovesCursor() async throws {
        try await withTemporaryStore { (store, _) async throws in
            _ = try await store.append(AppendTransaction(appends: [item("1", 1)],
                                                         cursors: [CursorUpdate(name: "poll-erp", value: Array("1".utf8), expected: .absent)]))
            let again = try await store.append(AppendTransaction(
                appends: [item("1", 1)], cursors: [CursorUpdate(name: "poll-erp", value: Array("2".utf8), expected: .value(Array("1".utf8)))]))
            #expect(again.skippedAppends == [0])
            #expect(again.positions.isEmpty)
            #expect(try await store.loadCursor("poll-erp")?.value == Array("2".utf8))
            #expect(try await store.headPosition() == 1)
        }
    }

    @Test("a cursor conflict commits none of the appends' own keys")
    func conflictCommitsNoKey() async throws {
        try await withTemporaryStore { (store, _) async throws in
            await #expect(throws: EventStoreError.cursorConflict(name: "poll-erp")) {
                try await store.append(AppendTransaction(
                    appends: [item("9", 9)], cursors: [CursorUpdate(name: "poll-erp", value: Array("1".utf8), expected: .value(Array("0".utf8)))]))
            }
            #expect(try await store.lookupIdempotencyKey("erp:9") == nil)
            let retry = try await store.append(AppendTransaction(appends: [item("9", 9)]))
            #expect(retry.skippedAppends.isEmpty)
            #expect(retry.positions == [1])
        }
    }

    @Test("a transaction key's stored result remembers which appends were skipped")
    func storedResultKeepsSkipped() async throws {
        try await withTemporaryStore { (store, _) async throws in
            _ = try await store.append(AppendTransaction(appends: [item("1", 1)]))
            let first = try await store.append(AppendTransaction(appends: [item("1", 1), item("2", 2)], idempotencyKey: "page-2"))
            let again = try await store.append(AppendTransaction(appends: [item("1", 1), item("2", 2)], idempotencyKey: "page-2"))
            #expect(again.wasDuplicate)
            #expect(again.skippedAppends == first.skippedAppends)
            #expect(again.positions == first.positions)
        }
    }
}
