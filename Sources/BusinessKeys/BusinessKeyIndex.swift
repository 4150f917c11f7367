import EventStore
import Foundation
import GRDB
import Logging
import Synchronization

/// The "where is it?" index: follows the whole log and stores, for each event, the business keys
/// it carries (`BusinessKeyExtractor`) and the flow it belongs to (its correlation id, or the flow
/// of the event it names as its cause). Each page is written with the checkpoint in one
/// transaction, so the index always holds a gap-free prefix of the log (the read models'
/// approach, `ReadModelProjector`); a file that is gone, or was written by another version of the
/// schema, is built again from position 0.
///
/// ```swift
/// let index = try BusinessKeyIndex(path: storePath + ".keys", store: store, logger: logger)
/// Task { try await index.run() }
/// let timeline = try await index.lookup("SHOP-1001")
/// ```
public final class BusinessKeyIndex: Sendable {
    static let checkpointName = "business-keys"
    let database: DatabasePool
    let store: any EventStore
    let extractor: BusinessKeyExtractor
    private let logger: Logger
    private let projected: Mutex<Int64>
    /// Moved by `rebuild()`: a running `run()` that sees it change starts again from the log.
    private let generation = Mutex<Int>(0)
    /// Flows of recent events by id, so that a cause is found without a query (bounded).
    private let recentFlows = Mutex<[UUID: String]>([:])
    static let recentFlowLimit = 50_000
    public static let pageSize = 2048
    /// How long a caught-up index waits before its next page (a search sees an event that much later at most).
    static let batchingDelay: Duration = .milliseconds(250)

    /// Opens (or creates) the index at `path`.
    public init(path: String, store: any EventStore, extractor: BusinessKeyExtractor = BusinessKeyExtractor(), logger: Logger) throws {
        var configuration = Configuration()
        configuration.label = "business-keys"
        // Rebuildable from the log and written with its checkpoint: a power loss can only take
        // the last pages back, never tear one; so no fsync per page.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        database = try DatabasePool(path: path, configuration: configuration)
        self.store = store
        self.extractor = extractor
        self.logger = logger
        let start = try database.write { db -> Int64 in
            try db.execute(sql: BusinessKeySchema.create)
            let row = try Row.fetchOne(db, sql: "SELECT position, version FROM business_key_checkpoint WHERE name = ?", arguments: [Self.checkpointName])
            if let row, row["version"] as Int == BusinessKeySchema.version { return row["position"] }
            for table in BusinessKeySchema.tables { try db.execute(sql: "DELETE FROM \(table)") }
            try db.execute(sql: "INSERT OR REPLACE INTO business_key_checkpoint (name, position, version) VALUES (?, 0, ?)",
                           arguments: [Self.checkpointName, BusinessKeySchema.version])
            return 0
        }
        projected = Mutex(start)
    }

    /// Every event up to this log position is in the index.
    public var position: Int64 { projected.withLock { $0 } }

    /// Follows the log until the task is cancelled.
    public func run() async throws {
        var after = position
        var seenGeneration = generation.withLock { $0 }
        while !Task.isCancelled {
            let current = generation.withLock { $0 }
            if current != seenGeneration { (after, seenGeneration) = (0, current) }
            let page = try await store.readAll(after: after, filter: .all, maxCount: Self.pageSize)
            if page.events.isEmpty && page.scannedThrough <= after {
                // New events, or a moment passed (so that a rebuild is noticed while the log is idle).
                try await store.waitForHead(after: after, atMost: .milliseconds(200))
                continue
            }
            let through = max(page.scannedThrough, page.events.last?.position ?? after)
            guard try await index(page.events, through: through, generation: seenGeneration) else { continue }
            after = through
            // Caught up: let the next page gather what arrives meanwhile. Committing one small
            // transaction per append took a third of the webhook path's rate on 2 cores.
            if page.events.count < Self.pageSize { try await Task.sleep(for: Self.batchingDelay) }
        }
    }

    /// Indexes `events` and moves the checkpoint to `through`, in one transaction; false when a
    /// rebuild came in between (the page belongs to the old generation and is dropped).
    func index(_ events: [RecordedEvent], through: Int64, generation pageGeneration: Int) async throws -> Bool {
        try await database.write { [self] db -> Bool in
            guard generation.withLock({ $0 }) == pageGeneration else { return false }
            let insertKey = try db.cachedStatement(sql: "INSERT OR IGNORE INTO business_keys (value, kind, position) VALUES (?, ?, ?)")
            let insertPosition = try db.cachedStatement(sql: "INSERT OR REPLACE INTO business_key_positions (position, flow) VALUES (?, ?)")
            let insertEventFlow = try db.cachedStatement(sql: "INSERT OR IGNORE INTO business_key_event_flows (event_id, flow) VALUES (?, ?)")
            var flows: [UUID: String] = [:]
            for event in events {
                for key in extractor.keys(of: event) {
                    try insertKey.execute(arguments: [key.value, key.kind.rawValue, event.position])
                }
                guard let flow = try flow(of: event, db, pending: flows) else { continue }
                try insertPosition.execute(arguments: [event.position, flow])
                try insertEventFlow.execute(arguments: [Self.blob(event.id), flow])
                flows[event.id] = flow
            }
            try db.execute(sql: "UPDATE business_key_checkpoint SET position = ? WHERE name = ?", arguments: [through, Self.checkpointName])
            recentFlows.withLock { cache in
                if cache.count + flows.count > Self.recentFlowLimit { cache = [:] }
                for (id, flow) in flows { cache[id] = flow }
            }
            projected.withLock { $0 = through }
            return true
        }
    }

    /// The correlation id, or else the flow of the event named as the cause (an outbox message's
    /// attempts name only the message), or else the cause itself.
    private func flow(of event: RecordedEvent, _ db: Database, pending: [UUID: String]) throws -> String? {
        if let correlation = event.metadata.correlationId, !correlation.isEmpty { return correlation }
        guard let cause = event.metadata.causationId, !cause.isEmpty else { return nil }
        guard let causeId = UUID(uuidString: cause) else { return cause }
        if let flow = recentFlows.withLock({ $0[causeId] }) { return flow }
        if let flow = pending[causeId] { return flow }
        return try String.fetchOne(db, sql: "SELECT flow FROM business_key_event_flows WHERE event_id = ?", arguments: [Self.blob(causeId)]) ?? cause
    }

    static func blob(_ id: UUID) -> Data { withUnsafeBytes(of: id.uuid) { Data($0) } }

    /// Empties the index; `run()` indexes the log again from position 0.
    public func rebuild() async throws {
        try await database.write { [self] db in
            for table in BusinessKeySchema.tables { try db.execute(sql: "DELETE FROM \(table)") }
            try db.execute(sql: "UPDATE business_key_checkpoint SET position = 0 WHERE name = ?", arguments: [Self.checkpointName])
            generation.withLock { $0 += 1 }
            recentFlows.withLock { $0 = [:] }
            projected.withLock { $0 = 0 }
        }
    }


    /// Waits until every event up to `position` is indexed (for tests and `paklog where`).
    public func waitUntilIndexed(through position: Int64, timeout: Duration) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while self.position < position {
            guard clock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}
