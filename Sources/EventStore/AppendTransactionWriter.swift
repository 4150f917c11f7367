import Foundation
import GRDB
import GRDBSQLite

/// Writes one `AppendTransaction` inside the writer's open transaction, in its own savepoint, and
/// decides expected versions and idempotency.
///
/// Idempotency rules (checked in the database, for every expected version):
/// 1. An idempotency key already committed: nothing is written; the first commit's result is
///    returned with `wasDuplicate == true`.
/// 2. No event id of the transaction exists: a normal append.
/// 3. Every event id exists, each with the same stream, type, data and metadata, each stream
///    append's events at consecutive versions in the order given, and the expected version was
///    satisfied by the stream as it stood before the original write: nothing is written; the
///    original versions and positions are returned with `wasDuplicate == true`. (A retry of an
///    acknowledged append is therefore a no-op even when its `.exact` expectation is now stale.)
/// 4. Every id exists but one of them differs in stream, content or place:
///    `idempotencyConflict` naming the first such event. The same id twice in one transaction is
///    also a conflict.
/// 5. Some but not all ids exist: `partialDuplicateBatch` (EventStoreDB's CorruptedIdempotency),
///    naming the first stream append holding an existing id and counting over the whole
///    transaction.
/// 6. Otherwise, when the expectation fails: `wrongExpectedVersion`.
///
/// The fast path never looks ids up: it checks versions and inserts, and only a version mismatch
/// or a unique-id violation (which rolls back the savepoint) triggers the lookups of rules 3–5.
///
/// A `StreamAppend` with its own idempotency key that is already committed is left out before
/// any of this (and reported in `AppendResult.skippedAppends`); the rules then apply to the rest.
/// Cursor updates are checked and written last, inside the savepoint: a conflicting cursor rolls
/// back the events with it.
struct AppendTransactionWriter {
    private let db: Database
    private let connection: OpaquePointer

    init(_ db: Database) {
        self.db = db
        self.connection = db.sqliteConnection!
    }

    /// Why the fast path gave up; resolved by `classifyRepeat`.
    private enum FastPathStop: Error {
        case versionMismatch(stream: StreamName, expected: ExpectedVersion, actual: Int64)
        case idCollision
    }

    func apply(_ transaction: AppendTransaction, recordedAt: Double) throws -> AppendResult {
        if let key = transaction.idempotencyKey, let stored = try storedResult(forKey: key) {
            return stored
        }
        // Per-append keys are looked up before the savepoint; a transaction without any (the
        // plain ingest path) pays one scan of its appends for them.
        var skipped: Set<Int> = []
        if transaction.appends.contains(where: { $0.idempotencyKey != nil }) {
            skipped = try committedAppends(transaction)
        }
        try execute("SAVEPOINT append")
        do {
            let result = try writeFastPath(transaction, skipping: skipped, recordedAt: recordedAt)
            try execute("RELEASE append")
            return result
        } catch {
            try execute("ROLLBACK TO append")
            try execute("RELEASE append")
            guard let stop = error as? FastPathStop else { throw error }
            guard !skipped.isEmpty else { return try classifyRepeat(transaction, after: stop) }
            // The repeat rules judge what would have been written: the appends not skipped.
            var written = transaction
            written.appends = transaction.appends.enumerated().filter { !skipped.contains($0.offset) }.map(\.element)
            var result = try classifyRepeat(written, after: stop)
            result.skippedAppends = skipped
            return result
        }
    }

    /// The indexes of the appends whose own idempotency key is already committed, or repeats the
    /// key of an earlier append of the same transaction.
    private func committedAppends(_ transaction: AppendTransaction) throws -> Set<Int> {
        var skipped: Set<Int> = []
        var seen: Set<String> = []
        let select = try SQLiteStatement(db, "SELECT 1 FROM idempotency_keys WHERE key = ?")
        for (index, append) in transaction.appends.enumerated() {
            guard let key = append.idempotencyKey else { continue }
            if !seen.insert(key).inserted {
                skipped.insert(index)
                continue
            }
            select.bind(1, key)
            defer { select.reset() }
            if try select.step() { skipped.insert(index) }
        }
        return skipped
    }

    private func execute(_ sql: String) throws {
        try SQLiteStatement(db, sql).run()
    }

    func storedResult(forKey key: String) throws -> AppendResult? {
        let select = try SQLiteStatement(db, "SELECT result FROM idempotency_keys WHERE key = ?")
        defer { select.reset() }
        select.bind(1, key)
        guard try select.step() else { return nil }
        return try select.withBytes(0) { bytes in
            do { return try AppendResultJSON.decode(bytes) } catch {
                throw EventStoreError.storage("stored result of idempotency key '\(key)' is unreadable: \(error)")
            }
        }
    }

    /// Whether the event at `version` of `stream` has `id`.
    private func isEvent(_ id: UUID, at version: Int64, of stream: StreamName) throws -> Bool {
        let select = try SQLiteStatement(db, "SELECT 1 FROM events WHERE stream = ? AND stream_version = ? AND id = ?")
        defer { select.reset() }
        select.bind(1, stream.rawValue)
        select.bind(2, version)
        select.bind(3, id)
        return try select.step()
    }

    func streamVersion(_ stream: StreamName) throws -> Int64 {
        let select = try SQLiteStatement(db, "SELECT max(stream_version) FROM events WHERE stream = ?")
        defer { select.reset() }
        select.bind(1, stream.rawValue)
        guard try select.step(), !select.isNull(0) else { return -1 }
        return select.int64(0)
    }

    private func writeFastPath(_ transaction: AppendTransaction, skipping skipped: Set<Int>, recordedAt: Double) throws -> AppendResult {
        var versions: [StreamName: Int64] = [:]
        var positions: [Int64] = []
        positions.reserveCapacity(transaction.appends.reduce(0) { $0 + $1.events.count })
        let insert = try SQLiteStatement(db, """
            INSERT INTO events (id, stream, category, stream_version, type, data, metadata, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (index, append) in transaction.appends.enumerated() {
            if !skipped.isEmpty, skipped.contains(index) { continue }
            let firstPosition = positions.count
            let current = try versions[append.stream] ?? streamVersion(append.stream)
            guard append.expectedVersion.isSatisfied(by: current) else {
                throw FastPathStop.versionMismatch(stream: append.stream, expected: append.expectedVersion, actual: current)
            }
            if case .exactEvent(let version, let id) = append.expectedVersion, try !isEvent(id, at: version, of: append.stream) {
                throw FastPathStop.versionMismatch(stream: append.stream, expected: append.expectedVersion, actual: current)
            }
            var version = current
            let category = append.stream.category
            for event in append.events {
                version += 1
                insert.bind(1, event.id)
                insert.bind(2, append.stream.rawValue)
                insert.bind(3, category)
                insert.bind(4, version)
                insert.bind(5, event.type)
                insert.bindBlob(6, event.data)
                insert.bindText(7, EventMetadataJSON.encode(event.metadata))
                insert.bind(8, recordedAt)
                do {
                    try insert.run()
                } catch {
                    // (stream, stream_version) cannot collide: the version was just read inside
                    // this transaction and this is the only writer. So it is the event id.
                    if error.isUniqueViolation { throw FastPathStop.idCollision }
                    throw error
                }
                positions.append(sqlite3_last_insert_rowid(connection))
            }
            versions[append.stream] = version
            if let key = append.idempotencyKey {
                // This append's own part, so that a lookup of the key finds its events.
                let own = AppendResult(streamVersions: [append.stream: version], positions: Array(positions[firstPosition...]), wasDuplicate: false)
                try insertIdempotencyKey(key, own, recordedAt: recordedAt)
            }
        }
        let result = AppendResult(streamVersions: versions, positions: positions, wasDuplicate: false, skippedAppends: skipped)
        if let key = transaction.idempotencyKey {
            try insertIdempotencyKey(key, result, recordedAt: recordedAt)
        }
        if let checkpoint = transaction.checkpoint {
            try saveCheckpoint(checkpoint)
        }
        for cursor in transaction.cursors {
            try write(cursor, recordedAt: recordedAt)
        }
        return result
    }

    private func insertIdempotencyKey(_ key: String, _ result: AppendResult, recordedAt: Double) throws {
        let insertKey = try SQLiteStatement(db, "INSERT INTO idempotency_keys (key, result, recorded_at) VALUES (?, ?, ?)")
        insertKey.bind(1, key)
        insertKey.bindText(2, AppendResultJSON.encode(result))
        insertKey.bind(3, recordedAt)
        try insertKey.run()
    }

    /// Checks `update`'s expectation against the stored cursor, then writes it; a mismatch
    /// throws, and the caller's savepoint rolls the whole transaction back.
    private func write(_ update: CursorUpdate, recordedAt: Double) throws {
        if update.expected != .any {
            let current = try cursor(update.name)?.value
            let satisfied = switch update.expected {
            case .any: true
            case .absent: current == nil
            case .value(let expected): current == expected
            }
            guard satisfied else { throw EventStoreError.cursorConflict(name: update.name) }
        }
        let upsert = try SQLiteStatement(db, """
            INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """)
        upsert.bind(1, update.name)
        upsert.bindBlob(2, update.value)
        upsert.bind(3, recordedAt)
        try upsert.run()
    }

    func cursor(_ name: String) throws -> StoredCursor? {
        let select = try SQLiteStatement(db, "SELECT value, updated_at FROM cursors WHERE name = ?")
        defer { select.reset() }
        select.bind(1, name)
        guard try select.step() else { return nil }
        return StoredCursor(name: name, value: select.bytes(0), updatedAt: Date(timeIntervalSince1970: select.double(1)))
    }

    func cursors(withPrefix prefix: String) throws -> [StoredCursor] {
        // substr, not LIKE: a prefix may hold `%` or `_`. A scan is fine for status pages.
        let select = try SQLiteStatement(db, """
            SELECT name, value, updated_at FROM cursors WHERE substr(name, 1, length(?1)) = ?1 ORDER BY name
            """)
        defer { select.reset() }
        select.bind(1, prefix)
        var found: [StoredCursor] = []
        while try select.step() {
            found.append(StoredCursor(name: select.string(0), value: select.bytes(1), updatedAt: Date(timeIntervalSince1970: select.double(2))))
        }
        return found
    }

    func saveCheckpoint(_ checkpoint: Checkpoint) throws {
        let upsert = try SQLiteStatement(db, """
            INSERT INTO checkpoints (name, position) VALUES (?, ?)
            ON CONFLICT (name) DO UPDATE SET position = excluded.position
            """)
        upsert.bind(1, checkpoint.name)
        upsert.bind(2, checkpoint.position)
        try upsert.run()
    }

    private struct StoredEvent {
        var stream: String
        var version: Int64
        var position: Int64
        var type: String
        var data: [UInt8]
        var metadata: [UInt8]
    }

    private func storedEvent(_ id: UUID) throws -> StoredEvent? {
        let select = try SQLiteStatement(db, """
            SELECT stream, stream_version, position, type, data, metadata FROM events WHERE id = ?
            """)
        defer { select.reset() }
        select.bind(1, id)
        guard try select.step() else { return nil }
        return StoredEvent(stream: select.string(0), version: select.int64(1), position: select.int64(2),
                           type: select.string(3), data: select.bytes(4), metadata: select.bytes(5))
    }

    /// Rules 3–6 of the type's documentation.
    private func classifyRepeat(_ transaction: AppendTransaction, after stop: FastPathStop) throws -> AppendResult {
        var stored: [[StoredEvent?]] = []
        var existing = 0
        var total = 0
        var firstStreamWithExisting: StreamName?
        for append in transaction.appends {
            var found: [StoredEvent?] = []
            for event in append.events {
                let row = try storedEvent(event.id)
                if row != nil {
                    existing += 1
                    if firstStreamWithExisting == nil { firstStreamWithExisting = append.stream }
                }
                found.append(row)
                total += 1
            }
            stored.append(found)
        }
        if existing == 0 {
            switch stop {
            case let .versionMismatch(stream, expected, actual):
                throw EventStoreError.wrongExpectedVersion(stream: stream, expected: expected, actual: actual)
            case .idCollision:
                throw EventStoreError.storage("an event id collided but is not in the store")
            }
        }
        if existing < total {
            throw EventStoreError.partialDuplicateBatch(stream: firstStreamWithExisting!, existing: existing, total: total)
        }
        var versions: [StreamName: Int64] = [:]
        var positions: [Int64] = []
        for (append, rows) in zip(transaction.appends, stored) {
            guard let firstVersion = rows.first??.version else {
                // An empty stream append inside an otherwise repeated transaction.
                versions[append.stream] = try versions[append.stream] ?? streamVersion(append.stream)
                continue
            }
            for (offset, (event, row)) in zip(append.events, rows).enumerated() {
                let row = row!
                guard row.stream == append.stream.rawValue,
                      row.version == firstVersion + Int64(offset),
                      row.type == event.type,
                      row.data == event.data,
                      row.metadata == EventMetadataJSON.encode(event.metadata)
                else {
                    throw EventStoreError.idempotencyConflict(eventId: event.id, stream: append.stream)
                }
                positions.append(row.position)
            }
            guard append.expectedVersion.isSatisfied(by: firstVersion - 1) else {
                throw EventStoreError.wrongExpectedVersion(
                    stream: append.stream, expected: append.expectedVersion, actual: try streamVersion(append.stream))
            }
            versions[append.stream] = firstVersion + Int64(append.events.count) - 1
        }
        return AppendResult(streamVersions: versions, positions: positions, wasDuplicate: true)
    }
}

extension ExpectedVersion {
    /// Whether a stream whose last version is `actual` (-1: no stream) satisfies this expectation.
    func isSatisfied(by actual: Int64) -> Bool {
        switch self {
        case .any: true
        case .noStream: actual == -1
        case .streamExists: actual >= 0
        case .exact(let version): actual == version
        // The event's id is checked where the version is (`writeFastPath`); a repeat of a
        // committed append is recognised by its event ids, so the version suffices here.
        case .exactEvent(let version, _): actual == version
        }
    }
}
