import Foundation
import Logging
import Testing
@testable import EventStore

/// Cursors committed with the events a poll produced (issue 22): compare-and-set, atomic with
/// the events, durable across a reopen.
@Suite("Cursors")
struct CursorTests {
    private func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("a cursor written with events is stored with them and read back with its commit time")
    func cursorWithEvents() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let before = Date()
            let result = try await store.append(AppendTransaction(
                appends: [StreamAppend(stream: "inbox-erp", events: [event(), event()])],
                cursors: [CursorUpdate(name: "poll-erp", value: json(#"{"next":"p2"}"#), expected: .absent)]))
            #expect(result.positions == [1, 2])
            let cursor = try #require(try await store.loadCursor("poll-erp"))
            #expect(cursor.value == json(#"{"next":"p2"}"#))
            #expect(cursor.updatedAt.timeIntervalSince1970 >= before.timeIntervalSince1970.rounded(.down))
            #expect(try await store.loadCursor("poll-other") == nil)
        }
    }

    @Test("compare-and-set: the expected value moves the cursor, a stale one is a conflict")
    func compareAndSet() async throws {
        try await withTemporaryStore { (store, _) async throws in
            try await store.append(AppendTransaction(appends: [], cursors: [CursorUpdate(name: "c", value: json("1"), expected: .absent)]))
            try await store.append(AppendTransaction(appends: [], cursors: [CursorUpdate(name: "c", value: json("2"), expected: .value(json("1")))]))
            await #expect(throws: EventStoreError.cursorConflict(name: "c")) {
                try await store.append(AppendTransaction(appends: [], cursors: [CursorUpdate(name: "c", value: json("3"), expected: .value(json("1")))]))
            }
            await #expect(throws: EventStoreError.cursorConflict(name: "c")) {
                try await store.append(AppendTransaction(appends: [], cursors: [CursorUpdate(name: "c", value: json("3"), expected: .absent)]))
            }
            #expect(try await store.loadCursor("c")?.value == json("2"))
            try await store.append(AppendTransaction(appends: [], cursors: [CursorUpdate(name: "c", value: json("4"), expected: .any)]))
            #expect(try await store.loadCursor("c")?.value == json("4"))
        }
    }

    @Test("of two writers that read the same value, exactly one advances the cursor")
    func twoWriters() async throws {
        try await withTemporaryStore { (store, _) async throws in
            try await store.append(AppendTransaction(appends: [], cursors: [CursorUpdate(name: "slot", value: json("0"), expected: .absent)]))
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        do {
                            try await store.append(AppendTransaction(
                                appends: [StreamAppend(stream: StreamName("job-\(writer)"), events: [event()])],
                                cursors: [CursorUpdate(name: "slot", value: Array("\(writer + 1)".utf8), expected: .value(Array("0".utf8)))]))
                            return true
                        } catch {
                            return false
                        }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await readEverything(store).count == 1)
        }
    }

    @Test("a cursor conflict writes none of the transaction's events, keys or checkpoint")
    func conflictRollsBack() async throws {
        try await withTemporaryStore { (store, _) async throws in
            try await store.append(AppendTransaction(appends: [], cursors: [CursorUpdate(name: "poll-a", value: json(#""p1""#))]))
            await #expect(throws: EventStoreError.cursorConflict(name: "poll-a")) {
                try await store.append(AppendTransaction(
                    appends: [StreamAppend(stream: "inbox-a", events: [event(), event()], idempotencyKey: "a:item-1")],
                    idempotencyKey: "page-2", checkpoint: Checkpoint(name: "reader", position: 7),
                    cursors: [CursorUpdate(name: "poll-a", value: json(#""p3""#), expected: .value(json(#""p2""#)))]))
            }
            #expect(try await store.headPosition() == 0)
            #expect(try await readEverything(store).isEmpty)
            #expect(try await store.lookupIdempotencyKey("page-2") == nil)
            #expect(try await store.lookupIdempotencyKey("a:item-1") == nil)
            #expect(try await store.loadCheckpoint("reader") == nil)
            #expect(try await store.loadCursor("poll-a")?.value == json(#""p1""#))
        }
    }

    @Test("a conflict fails only its own transaction in a shared batch")
    func conflictInBatch() async throws {
        try await withTemporaryStore { (store, _) async throws in
            try await store.append(AppendTransaction(appends: [], cursors: [CursorUpdate(name: "k", value: json("1"))]))
            store.writer.hold()
            async let good = store.append(to: "order-1", [event()])
            let stale = AppendTransaction(
                appends: [StreamAppend(stream: "order-2", events: [event()])],
                cursors: [CursorUpdate(name: "k", value: json("2"), expected: .value(json("9")))])
            async let bad: Result<AppendResult, any Error> = { do { return .success(try await store.append(stale)) } catch { return .failure(error) } }()
            while store.writer.queuedCount < 2 { await Task.yield() }
            store.writer.release()
            _ = try await good
            let outcome = await bad
            #expect(throws: EventStoreError.cursorConflict(name: "k")) { try outcome.get() }
            #expect(try await readEverything(store).map(\.stream) == ["order-1"])
        }
    }

    @Test("a repeat of a committed transaction writes nothing and checks no cursor")
    func repeatSkipsCursorCheck() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let page = [event(), event()]
            let first = try await store.append(AppendTransaction(
                appends: [StreamAppend(stream: "inbox-b", events: page)],
                cursors: [CursorUpdate(name: "poll-b", value: json("2"), expected: .absent)]))
            let again = try await store.append(AppendTransaction(
                appends: [StreamAppend(stream: "inbox-b", events: page)],
                cursors: [CursorUpdate(name: "poll-b", value: json("2"), expected: .absent)]))
            #expect(again.wasDuplicate)
            #expect(again.positions == first.positions)
            let keyed = AppendTransaction(appends: [StreamAppend(stream: "inbox-b", events: [event()])], idempotencyKey: "t-1",
                                          cursors: [CursorUpdate(name: "poll-b", value: json("3"), expected: .value(json("2")))])
            _ = try await store.append(keyed)
            #expect(try await store.append(keyed).wasDuplicate)
            #expect(try await store.loadCursor("poll-b")?.value == json("3"))
        }
    }

    @Test("a value that is not JSON, or an empty name, is refused before the writer")
    func invalidCursor() async throws {
        try await withTemporaryStore { (store, _) async throws in
            await #expect(throws: EventStoreError.self) {
                try await store.append(AppendTransaction(appends: [], cursors: [CursorUpdate(name: "x", value: json("{nope"))]))
            }
            await #expect(throws: EventStoreError.self) {
                try await store.append(AppendTransaction(appends: [], cursors: [CursorUpdate(name: "", value: json("1"))]))
            }
            #expect(try await store.loadCursor("x") == nil)
        }
    }

    @Test("cursors are listed by name prefix, in name order")
    func listByPrefix() async throws {
        try await withTemporaryStore { (store, _) async throws in
            try await store.append(AppendTransaction(appends: [], cursors: [
                CursorUpdate(name: "schedule-b", value: json("2")),
                CursorUpdate(name: "schedule-a", value: json("1")),
                CursorUpdate(name: "poll-x", value: json("3")),
                CursorUpdate(name: "schedule_c", value: json("4")),
            ]))
            #expect(try await store.cursors(withPrefix: "schedule-").map(\.name) == ["schedule-a", "schedule-b"])
            #expect(try await store.cursors(withPrefix: "").count == 4)
            #expect(try await store.cursors(withPrefix: "schedule%").isEmpty)
        }
    }

    @Test("cursors survive closing and reopening the store")
    func survivesReopen() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cursors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("events.sqlite").path
        let first = try SQLiteEventStore(path: path, logger: Logger(label: "test"))
        try await first.append(AppendTransaction(
            appends: [StreamAppend(stream: "inbox-c", events: [event()])],
            cursors: [CursorUpdate(name: "poll-c", value: json(#"{"next":"abc"}"#), expected: .absent)]))
        await first.close()
        let second = try SQLiteEventStore(path: path, logger: Logger(label: "test"))
        let cursor = try await second.loadCursor("poll-c")
        #expect(cursor?.value == json(#"{"next":"abc"}"#))
        await #expect(throws: EventStoreError.cursorConflict(name: "poll-c")) {
            try await second.append(AppendTransaction(appends: [], cursors: [CursorUpdate(name: "poll-c", value: json("1"), expected: .absent)]))
        }
        await second.close()
    }
}
