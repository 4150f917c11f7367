import Foundation
import Testing
@testable import EventStore

@Suite("Reads")
struct ReadTests {
    @Test("readStream reads forward from a version and backward from the end")
    func forwardAndBackward() async throws {
        try await withTemporaryStore { (store, _) async throws in
            try await store.append(to: "order-1", (0..<10).map { event(json: #"{"i":\#($0)}"#) })
            try await store.append(to: "order-2", [event()])
            let forward = try await store.readStream("order-1", from: 3, direction: .forward, maxCount: 4)
            #expect(forward.map(\.streamVersion) == [3, 4, 5, 6])
            #expect(forward.map { String(decoding: $0.data, as: UTF8.self) } == [#"{"i":3}"#, #"{"i":4}"#, #"{"i":5}"#, #"{"i":6}"#])
            let fromEnd = try await store.readStream("order-1", from: nil, direction: .backward, maxCount: 3)
            #expect(fromEnd.map(\.streamVersion) == [9, 8, 7])
            let fromVersion = try await store.readStream("order-1", from: 2, direction: .backward, maxCount: 10)
            #expect(fromVersion.map(\.streamVersion) == [2, 1, 0])
            #expect(try await store.readStream("order-3", from: nil, direction: .backward, maxCount: 10).isEmpty)
        }
    }

    @Test("readAll filters by category and reports how far it scanned")
    func categoryFilter() async throws {
        try await withTemporaryStore { (store, _) async throws in
            for index in 0..<6 {
                try await store.append(to: StreamName("order-\(index)"), [event()])
                try await store.append(to: StreamName("wave-\(index)"), [event()])
                try await store.append(to: "inbox-shopify", [event()])
            }
            let orders = try await store.readAll(after: 0, filter: .category("order"), maxCount: 100)
            #expect(orders.events.map(\.position) == [1, 4, 7, 10, 13, 16])
            #expect(orders.events.allSatisfy { $0.stream.category == "order" })
            #expect(orders.scannedThrough == 18)
            let firstTwo = try await store.readAll(after: 0, filter: .categories(["order", "inbox"]), maxCount: 3)
            #expect(firstTwo.events.map(\.position) == [1, 3, 4])
            #expect(firstTwo.scannedThrough == 4)
            let rest = try await store.readAll(after: 4, filter: .categories(["order", "inbox"]), maxCount: 100)
            #expect(rest.events.map(\.position) == [6, 7, 9, 10, 12, 13, 15, 16, 18])
            let all = try await store.readAll(after: 10, filter: .all, maxCount: 5)
            #expect(all.events.map(\.position) == [11, 12, 13, 14, 15])
            #expect(all.scannedThrough == 15)
        }
    }

    @Test("a filter that matches nothing still scans to the head")
    func emptyFilterScansToHead() async throws {
        try await withTemporaryStore { (store, _) async throws in
            for index in 0..<20 { try await store.append(to: StreamName("order-\(index)"), [event()]) }
            let page = try await store.readAll(after: 3, filter: .category("dlq"), maxCount: 10)
            #expect(page.events.isEmpty)
            #expect(page.scannedThrough == 20)
            let empty = try await withTemporaryStore { (other, _) async throws in try await other.readAll(after: 0, filter: .all, maxCount: 10) }
            #expect(empty == LogPage(events: [], scannedThrough: 0))
        }
    }

    @Test("snapshots round trip and are replaced")
    func snapshots() async throws {
        try await withTemporaryStore { (store, _) async throws in
            #expect(try await store.loadSnapshot("order-1") == nil)
            try await store.saveSnapshot(Snapshot(stream: "order-1", version: 4, state: Array(#"{"lines":2}"#.utf8)))
            try await store.saveSnapshot(Snapshot(stream: "order-1", version: 9, state: [0, 1, 2, 255]))
            #expect(try await store.loadSnapshot("order-1") == Snapshot(stream: "order-1", version: 9, state: [0, 1, 2, 255]))
            try await store.saveSnapshot(Snapshot(stream: "order-2", version: 0, state: []))
            #expect(try await store.loadSnapshot("order-2") == Snapshot(stream: "order-2", version: 0, state: []))
        }
    }

    @Test("checkpoints are saved and loaded by name")
    func checkpoints() async throws {
        try await withTemporaryStore { (store, _) async throws in
            #expect(try await store.loadCheckpoint("projector") == nil)
            try await store.saveCheckpoint(Checkpoint(name: "projector", position: 12))
            try await store.saveCheckpoint(Checkpoint(name: "projector", position: 40))
            #expect(try await store.loadCheckpoint("projector") == 40)
        }
    }

    @Test("waitForHead returns once a later commit lands")
    func waitForHeadWakes() async throws {
        try await withTemporaryStore { (store, _) async throws in
            try await store.append(to: "order-1", [event()])
            try await store.waitForHead(after: 0)
            let waiter = Task { try await store.waitForHead(after: 1) }
            try await store.append(to: "order-1", [event()])
            try await waiter.value
            #expect(try await store.headPosition() == 2)
        }
    }

    @Test("waitForHead ends with CancellationError when its task is cancelled")
    func waitForHeadCancels() async throws {
        try await withTemporaryStore { (store, _) async throws in
            let waiter = Task { try await store.waitForHead(after: 0) }
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
        }
    }

    @Test("waitForHead ends with closed when the store closes")
    func waitForHeadClosed() async throws {
        let waiter = try await withTemporaryStore { (store, _) async throws in
            Task { try await store.waitForHead(after: 0) }
        }
        await #expect(throws: EventStoreError.closed) { try await waiter.value }
    }
}
