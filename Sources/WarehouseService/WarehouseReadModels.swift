import EventStore
import Foundation
import GRDB
import JSON
import Logging
import Synchronization
import Warehouse

/// The core's read side (CQRS): orders and stock by SKU, location and lot, projected from the
/// log into their own SQLite file beside it. Each page of events is applied in one transaction
/// with the projection's checkpoint, so a crash never applies an event twice or skips one, and
/// the read models can always be thrown away and rebuilt from the log (`rebuild()`).
///
/// The projection folds the same aggregates the command side does (`OrderState`,
/// `InventoryState`), so a read model is exactly the state the log says.
public final class WarehouseReadModels: Sendable {
    public static let checkpointName = "warehouse-read-models"
    private let database: DatabaseQueue
    private let store: any EventStore
    private let logger: Logger
    private let projected = Mutex<Int64>(0)
    /// Moved by `rebuild()`: a running projection that sees it change starts again from the log.
    private let generation = Mutex<Int>(0)

    /// Opens (or creates) the read models at `path`.
    public init(path: String, store: any EventStore, logger: Logger) throws {
        let configuration = Configuration()
        database = try DatabaseQueue(path: path, configuration: configuration)
        self.store = store
        self.logger = logger
        try database.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, status TEXT NOT NULL, channel TEXT NOT NULL,
                    external_reference TEXT NOT NULL, service_level TEXT NOT NULL, cutoff INTEGER, wave_id TEXT, document TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS orders_by_status ON orders(status);
                CREATE TABLE IF NOT EXISTS stock (sku TEXT NOT NULL, location TEXT NOT NULL, lot TEXT NOT NULL, on_hand INTEGER NOT NULL,
                    reserved INTEGER NOT NULL, expiry INTEGER, PRIMARY KEY (sku, location, lot));
                CREATE TABLE IF NOT EXISTS projection_checkpoint (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
                """)
        }
        projected.withLock { $0 = (try? database.read { db in try Int64.fetchOne(db, sql: "SELECT position FROM projection_checkpoint WHERE name = ?", arguments: [Self.checkpointName]) }) ?? 0 }
    }

    /// The log position every event up to which is in the read models.
    public var position: Int64 { projected.withLock { $0 } }

    /// Follows the log until cancelled.
    public func run() async throws {
        var orders: [String: OrderState] = [:]
        var stock: [String: InventoryState] = [:]
        var after = position
        // Fold what is already projected (state for the next events), without writing.
        var cursor: Int64 = 0
        while cursor < after {
            let page = try await store.readAll(after: cursor, filter: .categories(["order", "inventory"]), maxCount: 4096)
            for e in page.events where e.position <= after { try fold(e, &orders, &stock) }
            if page.scannedThrough <= cursor { break }
            cursor = min(after, page.scannedThrough)
        }
        var seenGeneration = generation.withLock { $0 }
        while !Task.isCancelled {
            let current = generation.withLock { $0 }
            if current != seenGeneration {
                (orders, stock, after, seenGeneration) = ([:], [:], 0, current)
            }
            let page = try await store.readAll(after: after, filter: .categories(["order", "inventory"]), maxCount: 2048)
            if page.events.isEmpty && page.scannedThrough <= after {
                // New events, or a moment passed (so a rebuild is noticed while the log is idle).
                let store = self.store, from = after
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await store.waitForHead(after: from) }
                    group.addTask { try await Task.sleep(for: .milliseconds(200)) }
                    _ = try await group.next()
                    group.cancelAll()
                }
                continue
            }
            var changedOrders: Set<String> = [], changedStock: Set<String> = []
            for e in page.events {
                try fold(e, &orders, &stock)
                if e.stream.category == "order" { changedOrders.insert(e.stream.id) } else { changedStock.insert(e.stream.id) }
            }
            let through = max(page.scannedThrough, page.events.last?.position ?? after)
            let orderRows = changedOrders.compactMap { orders[$0] }.filter(\.exists)
            let stockRows = changedStock.compactMap { sku in stock[sku].map { (sku, $0) } }
            let pageGeneration = seenGeneration
            let written = try await database.write { [self] db -> Bool in
                // A rebuild since this page was read: its rows belong to the old generation.
                guard generation.withLock({ $0 }) == pageGeneration else { return false }
                for o in orderRows {
                    try db.execute(sql: """
                        INSERT OR REPLACE INTO orders (order_id, status, channel, external_reference, service_level, cutoff, wave_id, document)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [o.orderId, o.status.rawValue, o.channel, o.externalReference, o.serviceLevel, o.cutoff, o.waveId,
                                         WarehouseJSON.order(o).jsonString])
                }
                for (sku, s) in stockRows {
                    try db.execute(sql: "DELETE FROM stock WHERE sku = ?", arguments: [sku])
                    for (place, b) in s.balances {
                        try db.execute(sql: "INSERT INTO stock (sku, location, lot, on_hand, reserved, expiry) VALUES (?, ?, ?, ?, ?, ?)",
                                       arguments: [sku, place.location, place.lot ?? "", b.onHand, b.reserved, b.expiry])
                    }
                }
                try db.execute(sql: "INSERT OR REPLACE INTO projection_checkpoint (name, position) VALUES (?, ?)", arguments: [Self.checkpointName, through])
                return true
            }
            guard written else { continue }
            after = through
            projected.withLock { $0 = through }
        }
    }

    private func fold(_ e: RecordedEvent, _ orders: inout [String: OrderState], _ stock: inout [String: InventoryState]) throws {
        guard let data = try? JSONValue(parsing: e.data) else { return }
        let event = DomainEvent(e.type, data)
        switch e.stream.category {
        case "order": try orders[e.stream.id, default: OrderState()].apply(event)
        case "inventory": try stock[e.stream.id, default: InventoryState()].apply(event)
        default: break
        }
    }

    /// Waits until every event up to `position` is projected (read-your-writes), at most `timeout`.
    public func waitUntilProjected(_ position: Int64, timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while self.position < position {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return true
    }

    /// Throws the read models away and projects the whole log again (a running projection
    /// starts over; `position` shows the progress).
    public func rebuild() async throws {
        try await database.write { [self] db in
            try db.execute(sql: "DELETE FROM orders; DELETE FROM stock; DELETE FROM projection_checkpoint;")
            generation.withLock { $0 += 1 }
        }
        projected.withLock { $0 = 0 }
    }

    /// Orders by status (all when nil), by id, `limit` per page after `afterId`.
    public func orders(status: String? = nil, afterId: String = "", limit: Int = 100) async throws -> [JSONValue] {
        try await database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT document FROM orders WHERE (? IS NULL OR status = ?) AND order_id > ? ORDER BY order_id LIMIT ?
                """, arguments: [status, status, afterId, limit])
            return rows.compactMap { (try? JSONValue(parsing: ($0["document"] as String).utf8)) }
        }
    }

    /// Every stock row, by SKU, location and lot (for tests and exports).
    public func stockRows() async throws -> [[String]] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT sku, location, lot, on_hand, reserved FROM stock ORDER BY sku, location, lot").map { r in
                [r["sku"], r["location"], r["lot"], String(r["on_hand"] as Int), String(r["reserved"] as Int)]
            }
        }
    }

    /// Available to promise per SKU: on hand minus reserved, over its places.
    public func availableToPromise(sku: String) async throws -> Int {
        try await database.read { db in
            try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(MAX(on_hand - reserved, 0)), 0) FROM stock WHERE sku = ?", arguments: [sku]) ?? 0
        }
    }
}
