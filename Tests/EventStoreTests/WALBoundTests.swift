import Foundation
import Synchronization
import Testing
@testable import EventStore

@Suite("WAL size")
struct WALBoundTests {
    private func walSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int) ?? 0
    }

    /// Writes single-event commits while a reader pages through the log from the start, again and
    /// again; returns the largest WAL size the reader saw (and, with `writerSamples`, the writer
    /// after each commit: a busy machine can leave the reader only a few looks).
    /// `commits` single-event commits; with `enough`, the writer stops once the WAL is that large.
    private func largestWAL(threshold: Int, autoCheckpointPages: Int = 1000, writerSamples: Bool = false, commits: Int = 3000,
                            enough: Int? = nil) async throws -> Int {
        try await withTemporaryStore(configuration: .init(durability: .normal, walCheckpointThreshold: threshold,
                                                          walAutoCheckpointPages: autoCheckpointPages)) { (store, path) async throws in
            for batch in 0..<100 {
                try await store.append(to: StreamName("order-\(batch)"), (0..<50).map { _ in event(json: #"{"padding":"\#(String(repeating: "x", count: 200))"}"#) })
            }
            let finished = Flag()
            let writing = Task {
                defer { finished.set() }
                var largest = 0
                for index in 0..<commits {
                    try await store.append(to: StreamName("wave-\(index % 10)"), [event()])
                    if writerSamples { largest = max(largest, walSize(path)) }
                    if let enough, largest >= enough { break }
                }
                return largest
            }
            var largest = 0
            var after: Int64 = 0
            while true {
                let page = try await store.readAll(after: after, filter: .all, maxCount: 100)
                largest = max(largest, walSize(path))
                if page.events.isEmpty {
                    if finished.isSet { break }
                    // Reached the head: start over, as a projection being rebuilt would.
                    after = 0
                } else {
                    after = page.scannedThrough
                }
            }
            return max(largest, try await writing.value)
        }
    }

    @Test("the WAL stays bounded while a long catch-up read runs beside continuous writes")
    func boundedDuringCatchUp() async throws {
        let threshold = 512 << 10
        let largest = try await largestWAL(threshold: threshold)
        #expect(largest < 4 * threshold, "largest WAL \(largest) bytes")
    }

    @Test("the background checkpointer copies WAL frames into the database long before the automatic checkpoint would")
    func framesCopiedAhead() async throws {
        try await withTemporaryStore { (store, path) async throws in
            // About 40 pages of WAL: far below the writer's automatic checkpoint (1000 pages).
            for batch in 0..<20 {
                try await store.append(to: StreamName("order-\(batch)"), (0..<10).map { _ in event(json: #"{"padding":"\#(String(repeating: "x", count: 500))"}"#) })
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while store.checkpointer.checkpointsThatCopied == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(store.checkpointer.checkpointsThatCopied > 0)
            #expect(try await readEverything(store).count == 200)
        }
    }

    @Test("control: without the scheduled checkpoint (and SQLite's default automatic one) the same workload grows the WAL past that bound")
    func unboundedWithoutCheckpoints() async throws {
        // Up to four times the commits of the bounded run, stopping once the WAL is past the bound:
        // on a loaded machine (CI: 84 s for this test) the WAL may start over in the gaps between
        // the reader's looks for a while, so 3000 commits did not always show the growth.
        let bound = 4 * (512 << 10)
        let largest = try await largestWAL(threshold: Int.max, autoCheckpointPages: 1000, writerSamples: true, commits: 12_000, enough: bound)
        #expect(largest >= bound, "largest WAL \(largest) bytes")
    }
}

/// A flag one task sets and another polls.
private final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
