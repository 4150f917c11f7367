// EventStoreBenchmark: what the SQLite event store costs beside raw SQLite, and what group
// commit buys. Run in release: `swift run -c release EventStoreBenchmark`.
//
// All runs use synchronous=FULL (an fsync per commit), in a temporary directory.
// (a) batched appends, 100 events per transaction, against raw sqlite3 inserts of the same rows
//     into the same schema (prepared statement, one transaction per 100 rows);
// (b) single-event appenders with group commit at 16, 64 and 256 closed-loop appenders and one
//     open loop at a fixed offered rate (appends per commit and p50/p99 append latency at each),
//     against the same store with batching off (one transaction and one fsync per append);
// (c) readAll throughput, unfiltered and by category;
// (d) what Foundation's JSONEncoder would cost per event for metadata (the store writes its own).
// BENCH_NORMAL=1 runs (a) with synchronous=NORMAL on both sides, to compare CPU cost without fsync.
import EventStore
import Foundation
import GRDBSQLite
import Logging

let logger = Logger(label: "bench")
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eventstore-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
func databasePath(_ name: String) -> String { directory.appendingPathComponent("\(name).sqlite").path }

let clock = ContinuousClock()
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
func rate(_ count: Int, _ duration: Duration) -> String {
    String(format: "%10.0f", Double(count) / seconds(duration))
}

let payload = Array(#"{"orderId":"SO-100234","sku":"PAL-4711-BLU","quantity":12,"location":"A-03-17-2","lot":"L2026-11"}"#.utf8)
let metadata = EventMetadata(correlationId: "c0a8012e-7d1f-4a8b-9e3c-5b6a7d8e9f00", source: "benchmark")
func newEvent() -> NewEvent { NewEvent(type: "ItemPicked", data: payload, metadata: metadata) }

// MARK: (a) batched appends vs raw sqlite3
//
// The disk is shared, and its fsync latency drifts over seconds; so the two contenders alternate
// in rounds and each total is the sum over its rounds.

let batches = 400
let batchSize = 100
let rounds = 8
let preparedBatches = (0..<batches).map { _ in (0..<batchSize).map { _ in newEvent() } }

/// Raw inserts into a database with the store's own schema (created by opening a store there
/// and closing it), through the sqlite3 C API: one prepared statement, one transaction per batch.
final class RawInserter {
    let db: OpaquePointer
    let statement: OpaquePointer
    var versions = [Int64](repeating: -1, count: 20)
    let metadataJSON = Array(#"{"correlationId":"c0a8012e-7d1f-4a8b-9e3c-5b6a7d8e9f00","source":"benchmark"}"#.utf8)
    let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(path: String) {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let db else { fatalError("open raw database") }
        self.db = db
        var statement: OpaquePointer?
        let sql = "INSERT INTO events (id, stream, category, stream_version, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK, let statement else { fatalError("prepare") }
        self.statement = statement
        exec("PRAGMA journal_mode = WAL")
        exec(ProcessInfo.processInfo.environment["BENCH_NORMAL"] == nil ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
    }

    func exec(_ sql: String) {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { fatalError("\(sql): \(String(cString: sqlite3_errmsg(db)))") }
    }

    func insert(batch index: Int, _ events: [NewEvent]) {
        let stream = "pick-\(index % 20)"
        exec("BEGIN IMMEDIATE")
        for event in events {
            versions[index % 20] += 1
            withUnsafeBytes(of: event.id.uuid) { _ = sqlite3_bind_blob(statement, 1, $0.baseAddress, 16, transient) }
            sqlite3_bind_text(statement, 2, stream, -1, transient)
            sqlite3_bind_text(statement, 3, "pick", -1, transient)
            sqlite3_bind_int64(statement, 4, versions[index % 20])
            sqlite3_bind_text(statement, 5, event.type, -1, transient)
            event.data.withUnsafeBytes { _ = sqlite3_bind_blob(statement, 6, $0.baseAddress, Int32($0.count), transient) }
            metadataJSON.withUnsafeBytes { _ = sqlite3_bind_text(statement, 7, $0.baseAddress?.assumingMemoryBound(to: CChar.self), Int32($0.count), transient) }
            sqlite3_bind_double(statement, 8, Date().timeIntervalSince1970)
            guard sqlite3_step(statement) == SQLITE_DONE else { fatalError(String(cString: sqlite3_errmsg(db))) }
            sqlite3_reset(statement)
        }
        exec("COMMIT")
    }

    func close() {
        sqlite3_finalize(statement)
        sqlite3_close_v2(db)
    }
}

/// The store's side of (a). Not on the main actor, where top-level code runs: the gateway's
/// adapters append from the cooperative pool, and from the main actor every batch would pay for
/// the resumption's hop back to the main thread, a cost of this program and not of the store.
nonisolated func appendBatches(_ range: Range<Int>, of batches: [[NewEvent]], to store: SQLiteEventStore) async throws -> Duration {
    try await ContinuousClock().measure {
        for index in range {
            try await store.append(to: StreamName("pick-\(index % 20)"), batches[index], expectedVersion: .any)
        }
    }
}

let storeA = try SQLiteEventStore(path: databasePath("a"), durability: ProcessInfo.processInfo.environment["BENCH_NORMAL"] == nil ? .full : .normal, logger: logger)
do {
    let schemaStore = try SQLiteEventStore(path: databasePath("raw"), durability: .full, logger: logger)
    await schemaStore.close()
}
let raw = RawInserter(path: databasePath("raw"))
var storeDuration = Duration.zero
var rawDuration = Duration.zero
for round in 0..<rounds {
    let range = (round * batches / rounds)..<((round + 1) * batches / rounds)
    storeDuration += try await appendBatches(range, of: preparedBatches, to: storeA)
    rawDuration += clock.measure {
        for index in range { raw.insert(batch: index, preparedBatches[index]) }
    }
}
raw.close()

// MARK: (b) concurrent single-event appenders: group commit vs one fsync per append

/// Closed loop: `appenders` tasks, each appending one event and waiting for it, `perAppender`
/// times. Returns the wall time and every append's latency.
func concurrentAppends(store: SQLiteEventStore, appenders: Int, perAppender: Int) async throws -> (Duration, [Duration]) {
    var latencies: [Duration] = []
    latencies.reserveCapacity(appenders * perAppender)
    let wall = try await clock.measure {
        latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for appender in 0..<appenders {
                group.addTask {
                    var own: [Duration] = []
                    own.reserveCapacity(perAppender)
                    for _ in 0..<perAppender {
                        let started = clock.now
                        try await store.append(to: StreamName("task-\(appender)"), [newEvent()], expectedVersion: .any)
                        own.append(started.duration(to: clock.now))
                    }
                    return own
                }
            }
            var all: [Duration] = []
            for try await own in group { all += own }
            return all
        }
    }
    return (wall, latencies)
}

/// Open loop: appends started at `rate` per second for `total` appends, whatever the store's
/// answers (a partner does not wait for the previous webhook's answer). Returns the latencies.
func offeredLoad(store: SQLiteEventStore, rate: Int, total: Int) async throws -> (Duration, [Duration]) {
    let interval = Duration.nanoseconds(1_000_000_000 / rate)
    var latencies: [Duration] = []
    let wall = try await clock.measure {
        latencies = try await withThrowingTaskGroup(of: Duration.self) { group in
            let start = clock.now
            for n in 0..<total {
                try await clock.sleep(until: start + interval * n, tolerance: .microseconds(50))
                group.addTask {
                    let started = clock.now
                    try await store.append(to: StreamName("open-\(n % 512)"), [newEvent()], expectedVersion: .any)
                    return started.duration(to: clock.now)
                }
            }
            var all: [Duration] = []
            for try await l in group { all.append(l) }
            return all
        }
    }
    return (wall, latencies)
}

func percentile(_ latencies: [Duration], _ p: Double) -> Double {
    let sorted = latencies.sorted()
    guard !sorted.isEmpty else { return 0 }
    return seconds(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) * 1000
}

struct ConcurrencyFigure {
    var label: String
    var appends: Int
    var wall: Duration
    var latencies: [Duration]
    var perCommit: Double
    var largest: Int
}

let single = try SQLiteEventStore(path: databasePath("single"), configuration: .init(durability: .full, maximumBatchSize: 1), logger: logger)
let singleAppenders = 16
let singlePerAppender = 80
let (singleDuration, _) = try await concurrentAppends(store: single, appenders: singleAppenders, perAppender: singlePerAppender)
await single.close()
let singleRate = Double(singleAppenders * singlePerAppender) / seconds(singleDuration)

var figures: [ConcurrencyFigure] = []
for (appenders, perAppender) in [(16, 800), (64, 300), (256, 100)] {
    let store = try SQLiteEventStore(path: databasePath("grouped-\(appenders)"), configuration: .init(durability: .full), logger: logger)
    let (wall, latencies) = try await concurrentAppends(store: store, appenders: appenders, perAppender: perAppender)
    let statistics = store.groupCommitStatistics
    figures.append(ConcurrencyFigure(label: "\(appenders) appenders", appends: appenders * perAppender, wall: wall, latencies: latencies,
                                     perCommit: statistics.averageBatchSize, largest: statistics.largestBatch))
    await store.close()
}
let offeredRate = Int(ProcessInfo.processInfo.environment["BENCH_OFFERED_RATE"] ?? "") ?? 10_000
do {
    let store = try SQLiteEventStore(path: databasePath("open-loop"), configuration: .init(durability: .full), logger: logger)
    let total = offeredRate * 3
    let (wall, latencies) = try await offeredLoad(store: store, rate: offeredRate, total: total)
    let statistics = store.groupCommitStatistics
    figures.append(ConcurrencyFigure(label: "open loop \(offeredRate)/s", appends: total, wall: wall, latencies: latencies,
                                     perCommit: statistics.averageBatchSize, largest: statistics.largestBatch))
    await store.close()
}

// MARK: (c) readAll

var readCount = 0
let readDuration = try await clock.measure {
    var after: Int64 = 0
    while true {
        let page = try await storeA.readAll(after: after, filter: .all, maxCount: 1000)
        if page.events.isEmpty { break }
        readCount += page.events.count
        after = page.scannedThrough
    }
}
var categoryCount = 0
let categoryDuration = try await clock.measure {
    var after: Int64 = 0
    while true {
        let page = try await storeA.readAll(after: after, filter: .category("pick"), maxCount: 1000)
        if page.events.isEmpty { break }
        categoryCount += page.events.count
        after = page.scannedThrough
    }
}
await storeA.close()

// MARK: (d) why metadata has its own encoder: Foundation's JSONEncoder per event

let encoder = JSONEncoder()
let encodings = 20_000
let encoderDuration = try clock.measure {
    for _ in 0..<encodings { _ = try encoder.encode(metadata) }
}

// MARK: Report

let storeRate = Double(batches * batchSize) / seconds(storeDuration)
let rawRate = Double(batches * batchSize) / seconds(rawDuration)
print("EventStoreBenchmark (synchronous=FULL, WAL)")
print("(a) batched appends, \(batchSize) events/transaction, \(batches) transactions")
print("    SQLiteEventStore      \(rate(batches * batchSize, storeDuration)) events/s")
print("    raw sqlite3 inserts   \(rate(batches * batchSize, rawDuration)) events/s")
print(String(format: "    ratio store/raw       %10.2f   (goal >= 0.8)", storeRate / rawRate))
print("(b) single-event appends, group commit against one fsync per append (\(singleAppenders) appenders: \(rate(singleAppenders * singlePerAppender, singleDuration)) appends/s)")
for f in figures {
    let fRate = Double(f.appends) / seconds(f.wall)
    // An open loop runs at its offered rate: its ratio to one fsync per append says nothing.
    let ratio = f.label.hasPrefix("open") ? "      -" : String(format: "%6.1fx", fRate / singleRate)
    print("    " + f.label.padding(toLength: 22, withPad: " ", startingAt: 0)
          + String(format: "%8.0f appends/s ", fRate) + ratio
          + String(format: "  %6.1f per commit (largest %4d)  p50 %6.2f ms  p99 %6.2f ms", f.perCommit, f.largest,
                   percentile(f.latencies, 0.5), percentile(f.latencies, 0.99)))
}
print("    goal: >= 10x one fsync per append at 64 appenders, p99 <= 10 ms")
print("(c) readAll, pages of 1000")
print("    all                   \(rate(readCount, readDuration)) events/s (\(readCount) events)")
print("    category filter       \(rate(categoryCount, categoryDuration)) events/s (\(categoryCount) events)")
print("(d) EventMetadata through Foundation's JSONEncoder")
print(String(format: "    %.1f µs per event, %.0f%% of the store's whole per-event append cost in (a)",
             seconds(encoderDuration) / Double(encodings) * 1e6,
             seconds(encoderDuration) / Double(encodings) / (seconds(storeDuration) / Double(batches * batchSize)) * 100))
