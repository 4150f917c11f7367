import EventStore
import GRDB
import JSON
import Logging
import Synchronization
import Warehouse

/// What the read models' owner and the API see of one projection, whatever its model.
protocol Projection: Sendable {
    var name: String { get }
    /// Every event up to this log position is in the model's rows.
    var position: Int64 { get }
    func run() async throws
    func rebuild() async throws
}

/// Follows the log for one `ReadModel`: each page of its categories' events is folded and
/// written in one transaction with its checkpoint (`projection_checkpoint`), so a crash never
/// applies an event twice or skips one.
///
/// The state of a key is folded lazily: the first event of a key seen since the start is
/// preceded by a read of that key's streams up to it. A restart therefore costs nothing, and the
/// states it holds are only those of keys that changed since.
final class ReadModelProjector<Model: ReadModel>: Projection {
    private let database: DatabaseQueue
    private let store: any EventStore
    private let logger: Logger
    private let projected: Mutex<Int64>
    /// Moved by `rebuild()`: a running projection that sees it change starts again from the log.
    private let generation = Mutex<Int>(0)
    /// Folded states are dropped when there are more than this many (they are read again).
    static var cacheLimit: Int { 20_000 }

    var name: String { Model.name }
    var position: Int64 { projected.withLock { $0 } }

    init(database: DatabaseQueue, store: any EventStore, logger: Logger) throws {
        self.database = database
        self.store = store
        self.logger = logger
        let start = try database.write { db -> Int64 in
            let row = try Row.fetchOne(db, sql: "SELECT position, version FROM projection_checkpoint WHERE name = ?", arguments: [Model.name])
            if let row, row["version"] as Int == Model.version {
                try db.execute(sql: Model.schema)
                return row["position"]
            }
            // New, or written by a version whose rows mean something else: from the log again.
            for table in Model.tables { try db.execute(sql: "DROP TABLE IF EXISTS \(table)") }
            try db.execute(sql: Model.schema)
            try db.execute(sql: "INSERT OR REPLACE INTO projection_checkpoint (name, position, version) VALUES (?, 0, ?)",
                           arguments: [Model.name, Model.version])
            return 0
        }
        projected = Mutex(start)
    }

    func run() async throws {
        var states: [String: Model.State] = [:]
        var after = position
        var seenGeneration = generation.withLock { $0 }
        let filter = EventFilter.categories(Model.categories)
        while !Task.isCancelled {
            let current = generation.withLock { $0 }
            if current != seenGeneration { (states, after, seenGeneration) = ([:], 0, current) }
            let page = try await store.readAll(after: after, filter: filter, maxCount: 2048)
            if page.events.isEmpty && page.scannedThrough <= after {
                // New events, or a moment passed (so that a rebuild is noticed while the log is idle).
                try await store.waitForHead(after: after, atMost: .milliseconds(200))
                continue
            }
            if states.count > Self.cacheLimit { states = [:] }
            var changed: [String] = [], seen: Set<String> = []
            for e in page.events {
                let key = e.stream.id
                if states[key] == nil { states[key] = try await foldedState(of: key, before: e.position) }
                if seen.insert(key).inserted { changed.append(key) }
                try apply(e, to: &states[key]!)
            }
            let through = max(page.scannedThrough, page.events.last?.position ?? after)
            let rows = changed.map { ($0, states[$0]!) }
            let pageGeneration = seenGeneration
            let written = try await database.write { [self] db -> Bool in
                // A rebuild since this page was read: its rows belong to the old generation.
                guard generation.withLock({ $0 }) == pageGeneration else { return false }
                for (key, state) in rows { try Model.write(db, key: key, state: state) }
                try db.execute(sql: "UPDATE projection_checkpoint SET position = ? WHERE name = ?", arguments: [through, Model.name])
                // Inside the write, so that a rebuild (also a write) can't be overtaken by it.
                projected.withLock { $0 = through }
                return true
            }
            guard written else { continue }
            after = through
        }
    }


    /// The state of `key` from its streams' events before log position `position`.
    private func foldedState(of key: String, before position: Int64) async throws -> Model.State {
        var events: [RecordedEvent] = []
        for category in Model.categories {
            let stream = StreamName(category: category, id: key)
            var version: Int64 = 0
            while true {
                let chunk = try await store.readStream(stream, from: version, direction: .forward, maxCount: 1024)
                events.append(contentsOf: chunk.lazy.filter { $0.position < position })
                guard chunk.count == 1024, let last = chunk.last, last.position < position else { break }
                version = last.streamVersion + 1
            }
        }
        var state = Model.initial()
        for e in events.sorted(by: { $0.position < $1.position }) { try apply(e, to: &state) }
        return state
    }

    private func apply(_ e: RecordedEvent, to state: inout Model.State) throws {
        // An event the core cannot read is the command side's problem, not the read side's:
        // it is skipped here as the aggregates skip unknown types.
        guard let data = try? JSONValue(parsing: e.data) else { return }
        do {
            try Model.fold(&state, DomainEvent(e.type, data), category: e.stream.category)
        } catch {
            logger.error("read model \(Model.name) skipped an event it cannot fold",
                         metadata: ["stream": "\(e.stream)", "position": "\(e.position)", "error": "\(error)"])
        }
    }

    func rebuild() async throws {
        try await database.write { [self] db in
            for table in Model.tables { try db.execute(sql: "DELETE FROM \(table)") }
            try db.execute(sql: "UPDATE projection_checkpoint SET position = 0 WHERE name = ?", arguments: [Model.name])
            generation.withLock { $0 += 1 }
            projected.withLock { $0 = 0 }
        }
    }
}
