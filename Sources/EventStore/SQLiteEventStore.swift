import Foundation
import JSON
import GRDB
import GRDBSQLite
import Logging
import Synchronization

/// The embedded event store: one SQLite database in WAL mode, opened through a GRDB
/// `DatabasePool` (one writer connection, concurrent readers on snapshots).
///
/// Appends from any number of tasks go to one writer thread that commits them in shared batches
/// (see `GroupCommitWriter`); an append returns only after the commit of its batch returned, so
/// with `Durability.full` an acknowledged event survives power loss.
///
/// Metrics (swift-metrics): `paklog_eventstore_appends_total` by `outcome` (committed, duplicate,
/// failed), `paklog_eventstore_batch_size` (appends per fsync), and
/// `paklog_eventstore_commit_duration_seconds`.
///
/// ```swift
/// let store = try SQLiteEventStore(path: "/var/lib/paklog/events.sqlite", logger: logger)
/// try await store.append(to: "order-4711", [NewEvent(type: "OrderPlaced", data: Array(#"{"sku":"A1"}"#.utf8))],
///                        expectedVersion: .noStream)
/// let page = try await store.readAll(after: 0, filter: .category("order"), maxCount: 100)
/// await store.close()
/// ```
public final class SQLiteEventStore: EventStore {
    /// Tuning beyond the durability level.
    public struct Configuration: Sendable {
        public var durability: Durability
        /// The most append transactions committed together (one fsync). 1 turns group commit off,
        /// which only benchmarks want.
        public var maximumBatchSize: Int
        /// WAL file size in bytes above which the writer runs a TRUNCATE checkpoint.
        public var walCheckpointThreshold: Int
        /// Concurrent reader connections.
        public var maximumReaderCount: Int
        /// WAL pages after which a commit also checkpoints (SQLite's automatic checkpoint, which
        /// lets the WAL start over). `WALCheckpointer` copies frames ahead of it from its own
        /// connection, so that commit finds little left to do.
        public var walAutoCheckpointPages: Int

        public init(durability: Durability = .full, maximumBatchSize: Int = 1024, walCheckpointThreshold: Int = 32 << 20, maximumReaderCount: Int = 8,
                    walAutoCheckpointPages: Int = 1000) {
            self.walAutoCheckpointPages = walAutoCheckpointPages
            self.durability = durability
            self.maximumBatchSize = maximumBatchSize
            self.walCheckpointThreshold = walCheckpointThreshold
            self.maximumReaderCount = maximumReaderCount
        }
    }

    private let pool: DatabasePool
    let writer: GroupCommitWriter
    let checkpointer: WALCheckpointer
    private let heads: HeadNotifier
    private let logger: Logger
    private let closed = Atomic<Bool>(false)
    /// The database file's path.
    public let path: String

    /// Opens (creating and migrating if needed) the store at `path`.
    public convenience init(path: String, durability: Durability = .full, logger: Logger) throws {
        try self.init(path: path, configuration: Configuration(durability: durability), logger: logger)
    }

    public init(path: String, configuration: Configuration, logger: Logger) throws {
        var config = GRDB.Configuration()
        config.label = "paklog.eventstore"
        config.busyMode = .timeout(Double(GroupCommitWriter.busyTimeoutMilliseconds) / 1000)
        config.maximumReaderCount = configuration.maximumReaderCount
        let synchronous = configuration.durability == .full ? "FULL" : "NORMAL"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            // Again on the writer: DatabasePool switches its writer to NORMAL when it sets up
            // WAL mode, after `prepareDatabase` ran (GRDB 7.10, Database.setUpWALMode).
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(configuration.walAutoCheckpointPages)")
            }
            try EventStoreSchema.migrator.migrate(pool)
            let head = try pool.read { db in
                try Int64.fetchOne(db, sql: "SELECT max(position) FROM events") ?? 0
            }
            heads = HeadNotifier(head: head)
        } catch {
            throw GroupCommitWriter.storeError(error)
        }
        self.path = path
        self.logger = logger
        checkpointer = WALCheckpointer(path: path, synchronous: synchronous, truncateThreshold: configuration.walCheckpointThreshold, logger: logger)
        writer = GroupCommitWriter(
            pool: pool, path: path, heads: heads, logger: logger,
            maximumBatchSize: configuration.maximumBatchSize,
            walCheckpointThreshold: configuration.walCheckpointThreshold,
            checkpointer: checkpointer)
        writer.start()
        checkpointer.start()
        logger.debug("event store opened", metadata: ["path": "\(path)", "head": "\(heads.head)", "synchronous": "\(synchronous)"])
    }

    deinit {
        checkpointer.stop()
        writer.requestStop()
    }

    /// Commits everything already queued, fails later calls with `EventStoreError.closed`, wakes
    /// every `waitForHead` with that error, and closes the database. Calling it twice is harmless.
    public func close() async {
        if closed.exchange(true, ordering: .acquiringAndReleasing) { return }
        await writer.close()
        checkpointer.stop()
        heads.close()
        do {
            try pool.close()
        } catch {
            logger.warning("event store did not close cleanly", metadata: ["error": "\(error)"])
        }
    }

    private func checkOpen() throws {
        if closed.load(ordering: .acquiring) { throw EventStoreError.closed }
    }

    /// How well group commit is batching (for metrics and benchmarks).
    public var groupCommitStatistics: GroupCommitStatistics { writer.statistics }

    // MARK: Writing

    nonisolated(nonsending) public func append(_ transaction: AppendTransaction) async throws -> AppendResult {
        try checkOpen()
        try Self.validate(transaction)
        return try await writer.submit(transaction)
    }

    /// The writer runs its queue in order, each transaction in its own savepoint after those
    /// before it: the order is fixed once the transaction is queued.
    nonisolated(nonsending) public func append(_ transaction: AppendTransaction, whenOrdered: @escaping @Sendable () -> Void) async throws -> AppendResult {
        try checkOpen()
        try Self.validate(transaction)
        return try await writer.submit(transaction, whenQueued: whenOrdered)
    }

    /// Checks done on the caller's task, off the writer: stream names, JSON data, and no id twice
    /// in one transaction.
    private static func validate(_ transaction: AppendTransaction) throws {
        var ids = Set<UUID>()
        for append in transaction.appends {
            if let problem = append.stream.problem { throw EventStoreError.invalidStreamName(stream: append.stream, reason: problem) }
            for event in append.events {
                do {
                    try JSONText.validate(event.data)
                } catch {
                    throw EventStoreError.invalidEventData(eventId: event.id, reason: "\(error)")
                }
                if !ids.insert(event.id).inserted {
                    throw EventStoreError.idempotencyConflict(eventId: event.id, stream: append.stream)
                }
            }
        }
        for cursor in transaction.cursors {
            if cursor.name.isEmpty { throw EventStoreError.invalidCursor(name: cursor.name, reason: "a cursor's name is never empty") }
            do {
                try JSONText.validate(cursor.value)
            } catch {
                throw EventStoreError.invalidCursor(name: cursor.name, reason: "the value is not JSON: \(error)")
            }
        }
    }

    public func saveCheckpoint(_ checkpoint: Checkpoint) async throws {
        // Through the writer, so that it shares a batch's fsync with concurrent appends.
        _ = try await append(AppendTransaction(appends: [], checkpoint: checkpoint))
    }

    public func saveSnapshot(_ snapshot: Snapshot) async throws {
        try checkOpen()
        try await write { db in
            let upsert = try SQLiteStatement(db, """
                INSERT INTO snapshots (stream, version, state) VALUES (?, ?, ?)
                ON CONFLICT (stream) DO UPDATE SET version = excluded.version, state = excluded.state
                """)
            upsert.bind(1, snapshot.stream.rawValue)
            upsert.bind(2, snapshot.version)
            upsert.bindBlob(3, snapshot.state)
            try upsert.run()
        }
    }

    /// Deletes idempotency keys committed before `date` and returns how many went. A key is only
    /// worth keeping while its partner may still redeliver (Shopify retries for 48 hours, AS2 and
    /// SFTP partners for days); after pruning, a very late redelivery is no longer recognised by
    /// its key, though its event ids still are.
    @discardableResult
    public func pruneIdempotencyKeys(recordedBefore date: Date) async throws -> Int {
        try checkOpen()
        let cutoff = date.timeIntervalSince1970
        return try await writeReturning { db in
            let delete = try SQLiteStatement(db, "DELETE FROM idempotency_keys WHERE recorded_at < ?")
            delete.bind(1, cutoff)
            try delete.run()
            return db.changesCount
        }
    }

    // MARK: Reading

    private static let eventColumns = "position, id, stream, stream_version, type, data, metadata, recorded_at"

    public func readStream(_ stream: StreamName, from version: Int64?, direction: ReadDirection, maxCount: Int) async throws -> [RecordedEvent] {
        guard maxCount > 0 else { return [] }
        return try await read { db in
            let select: SQLiteStatement
            switch direction {
            case .forward:
                select = try SQLiteStatement(db, """
                    SELECT \(Self.eventColumns) FROM events
                    WHERE stream = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?
                    """)
                select.bind(2, version ?? 0)
            case .backward:
                select = try SQLiteStatement(db, """
                    SELECT \(Self.eventColumns) FROM events
                    WHERE stream = ? AND stream_version <= ? ORDER BY stream_version DESC LIMIT ?
                    """)
                select.bind(2, version ?? Int64.max)
            }
            select.bind(1, stream.rawValue)
            select.bind(3, Int64(maxCount))
            return try Self.fetchEvents(select, reserving: maxCount)
        }
    }

    public func readAll(after position: Int64, filter: EventFilter, maxCount: Int) async throws -> LogPage {
        guard maxCount > 0 else { return LogPage(events: [], scannedThrough: position) }
        return try await read { db in
            var events: [RecordedEvent]
            switch filter {
            case .all:
                let select = try SQLiteStatement(db, """
                    SELECT \(Self.eventColumns) FROM events WHERE position > ? ORDER BY position LIMIT ?
                    """)
                select.bind(1, position)
                select.bind(2, Int64(maxCount))
                events = try Self.fetchEvents(select, reserving: maxCount)
            case .categories(let categories):
                // One index range per category, merged here: `category IN (…) ORDER BY position`
                // would make SQLite sort every match after `position` before applying the limit.
                events = []
                let select = try SQLiteStatement(db, """
                    SELECT \(Self.eventColumns) FROM events
                    WHERE category = ? AND position > ? ORDER BY position LIMIT ?
                    """)
                for category in categories.sorted() {
                    select.bind(1, category)
                    select.bind(2, position)
                    select.bind(3, Int64(maxCount))
                    events += try Self.fetchEvents(select, reserving: 0)
                }
                if categories.count > 1 {
                    events.sort { $0.position < $1.position }
                    if events.count > maxCount { events.removeLast(events.count - maxCount) }
                }
            }
            if events.count == maxCount {
                return LogPage(events: events, scannedThrough: events[events.count - 1].position)
            }
            // Fewer than asked: every match up to the head of this read's snapshot is here.
            let head = try Self.head(db)
            return LogPage(events: events, scannedThrough: max(head, position))
        }
    }

    public func headPosition() async throws -> Int64 {
        try checkOpen()
        return heads.head
    }

    public func streamVersion(_ stream: StreamName) async throws -> Int64 {
        try await read { db in try AppendTransactionWriter(db).streamVersion(stream) }
    }

    public func waitForHead(after position: Int64) async throws {
        try checkOpen()
        try await heads.wait(after: position)
    }

    public func loadCheckpoint(_ name: String) async throws -> Int64? {
        try await read { db in
            let select = try SQLiteStatement(db, "SELECT position FROM checkpoints WHERE name = ?")
            defer { select.reset() }
            select.bind(1, name)
            return try select.step() ? select.int64(0) : nil
        }
    }

    public func loadSnapshot(_ stream: StreamName) async throws -> Snapshot? {
        try await read { db in
            let select = try SQLiteStatement(db, "SELECT version, state FROM snapshots WHERE stream = ?")
            defer { select.reset() }
            select.bind(1, stream.rawValue)
            guard try select.step() else { return nil }
            return Snapshot(stream: stream, version: select.int64(0), state: select.bytes(1))
        }
    }

    public func lookupIdempotencyKey(_ key: String) async throws -> AppendResult? {
        try await read { db in try AppendTransactionWriter(db).storedResult(forKey: key) }
    }

    public func loadCursor(_ name: String) async throws -> StoredCursor? {
        try await read { db in try AppendTransactionWriter(db).cursor(name) }
    }

    public func cursors(withPrefix prefix: String) async throws -> [StoredCursor] {
        try await read { db in try AppendTransactionWriter(db).cursors(withPrefix: prefix) }
    }

    // MARK: Plumbing

    /// The writer connection's `PRAGMA wal_autocheckpoint`, for tests.
    func writerAutoCheckpointPages() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? -1 }
    }

    /// The writer connection's `PRAGMA synchronous` (1 NORMAL, 2 FULL), for tests.
    func writerSynchronousLevel() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try checkOpen()
        do {
            return try await pool.read(body)
        } catch {
            throw GroupCommitWriter.storeError(error)
        }
    }

    private func write(_ body: @escaping @Sendable (Database) throws -> Void) async throws {
        do {
            try await pool.write(body)
        } catch {
            throw GroupCommitWriter.storeError(error)
        }
    }

    private func writeReturning<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw GroupCommitWriter.storeError(error)
        }
    }

    private static func head(_ db: Database) throws -> Int64 {
        let select = try SQLiteStatement(db, "SELECT max(position) FROM events")
        defer { select.reset() }
        guard try select.step(), !select.isNull(0) else { return 0 }
        return select.int64(0)
    }

    private static func fetchEvents(_ select: SQLiteStatement, reserving capacity: Int) throws -> [RecordedEvent] {
        defer { select.reset() }
        var events: [RecordedEvent] = []
        events.reserveCapacity(capacity)
        while try select.step() {
            events.append(try decodeEvent(select))
        }
        return events
    }

    private static func decodeEvent(_ row: SQLiteStatement) throws -> RecordedEvent {
        let position = row.int64(0)
        guard let id = row.uuid(1) else {
            throw EventStoreError.storage("event at position \(position) has an id that is not 16 bytes")
        }
        let metadata: EventMetadata
        do {
            metadata = try row.withBytes(6) { bytes in try EventMetadataJSON.decode(bytes) }
        } catch {
            throw EventStoreError.storage("event at position \(position) has unreadable metadata: \(error)")
        }
        return RecordedEvent(
            id: id,
            stream: StreamName(row.string(2)),
            streamVersion: row.int64(3),
            position: position,
            type: row.string(4),
            data: row.bytes(5),
            metadata: metadata,
            recordedAt: Date(timeIntervalSince1970: row.double(7)))
    }
}
