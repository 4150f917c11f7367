import EventStore
import Foundation
import GRDB
import JSON
import Logging
import Warehouse

/// The core's read side (CQRS): orders, stock by SKU/location/lot with available to promise,
/// locations, items, tasks per zone in the prioritizer's order, waves and shipments, projected
/// from the log into their own SQLite file beside it.
///
/// Each read model is a projection with its own checkpoint: any one can be thrown away and
/// rebuilt from the log (`rebuild(_:)`) while the others keep serving. The models fold the same
/// aggregates the command side does, so a row is exactly the state the log says.
public final class WarehouseReadModels: Sendable {
    /// The projections' names, as `paklog projections` lists them.
    public static let names = [OrderReadModel.name, StockReadModel.name, LocationReadModel.name, ItemReadModel.name,
                               TaskReadModel.name, WaveReadModel.name, ShipmentReadModel.name]
    private let database: DatabaseQueue
    private let projections: [any Projection]

    /// Opens (or creates) the read models at `path`.
    public init(path: String, store: any EventStore, logger: Logger) throws {
        var configuration = Configuration()
        configuration.label = "warehouse-read-models"
        // Rebuildable from the log, and each page is written with its checkpoint: a crash or a
        // power loss can only take the last pages back (projected again), never tear one. So
        // WAL without an fsync per page.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        database = try DatabaseQueue(path: path, configuration: configuration)
        _ = try database.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
        try database.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS projection_checkpoint (name TEXT PRIMARY KEY, position INTEGER NOT NULL, version INTEGER NOT NULL)")
        }
        let (d, s, l) = (database, store, logger)
        projections = [
            try ReadModelProjector<OrderReadModel>(database: d, store: s, logger: l),
            try ReadModelProjector<StockReadModel>(database: d, store: s, logger: l),
            try ReadModelProjector<LocationReadModel>(database: d, store: s, logger: l),
            try ReadModelProjector<ItemReadModel>(database: d, store: s, logger: l),
            try ReadModelProjector<TaskReadModel>(database: d, store: s, logger: l),
            try ReadModelProjector<WaveReadModel>(database: d, store: s, logger: l),
            try ReadModelProjector<ShipmentReadModel>(database: d, store: s, logger: l),
        ]
    }

    /// Every projection's name and the log position it has reached.
    public var positions: [(name: String, position: Int64)] { projections.map { ($0.name, $0.position) } }

    /// The position every read model has reached: a query of any of them sees every event up to it.
    public var position: Int64 { projections.map(\.position).min() ?? 0 }

    /// Runs every projection until cancelled (a failing one fails the group; the runtime starts
    /// it again, from its checkpoint).
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for p in projections { group.addTask { try await p.run() } }
            try await group.waitForAll()
        }
    }

    /// Waits until every read model has projected every event up to `position`
    /// (read-your-writes), at most `timeout`.
    public func waitUntilProjected(_ position: Int64, timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while self.position < position {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return true
    }

    /// Throws the read model `name` away and projects the log into it again; it fills up while
    /// running (`positions` shows how far). Returns false for an unknown name.
    public func rebuild(_ name: String) async throws -> Bool {
        guard let p = projections.first(where: { $0.name == name }) else { return false }
        try await p.rebuild()
        return true
    }

    // MARK: Queries. Each page is keyed by its id: the `next` of one page is the `after` of the next.

    /// Orders by id, of one status when given.
    public func orders(status: String? = nil, after: String = "", limit: Int = 100) async throws -> ReadModelPage {
        try await database.read { db in
            ReadModelPage(rows: try db.documents("""
                SELECT document FROM orders WHERE (?1 IS NULL OR status = ?1) AND order_id > ?2 ORDER BY order_id LIMIT ?3
                """, [status, after, limit]), limit: limit, key: "orderId")
        }
    }

    /// Stock per SKU (a page holds `limit` SKUs), each with its balances by location and lot.
    public func stock(after: String = "", limit: Int = 100) async throws -> ReadModelPage {
        try await database.read { db in
            let skus = try String.fetchAll(db, sql: "SELECT DISTINCT sku FROM stock WHERE sku > ? ORDER BY sku LIMIT ?", arguments: [after, limit])
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM stock WHERE sku >= ? AND sku <= ? ORDER BY sku, location, lot",
                                        arguments: [skus.first ?? "", skus.last ?? ""])
            let bySKU = Dictionary(grouping: rows, by: { $0["sku"] as String })
            return ReadModelPage(rows: skus.map { sku in Self.summary(sku: sku, bySKU[sku] ?? []) }, limit: limit, key: "sku")
        }
    }

    /// Available to promise for each of `skus`: on hand less reserved, over every place.
    public func availableToPromise(skus: [String]) async throws -> [String: Int] {
        try await database.read { db in
            var result: [String: Int] = [:]
            for sku in skus {
                result[sku] = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(MAX(on_hand - reserved, 0)), 0) FROM stock WHERE sku = ?", arguments: [sku]) ?? 0
            }
            return result
        }
    }

    /// Locations by id, of one zone when given.
    public func locations(zone: String? = nil, after: String = "", limit: Int = 100) async throws -> ReadModelPage {
        try await database.read { db in
            ReadModelPage(rows: try db.documents("""
                SELECT document FROM locations WHERE (?1 IS NULL OR zone = ?1) AND location_id > ?2 ORDER BY location_id LIMIT ?3
                """, [zone, after, limit]), limit: limit, key: "locationId")
        }
    }

    /// One location with the stock it holds; nil when no such location was defined.
    public func location(_ id: String) async throws -> JSONValue? {
        try await database.read { db in
            guard let document = try db.documents("SELECT document FROM locations WHERE location_id = ?", [id]).first,
                  var object = document.objectValue else { return nil }
            object["stock"] = .array(try Row.fetchAll(db, sql: "SELECT * FROM stock WHERE location = ? ORDER BY sku, lot", arguments: [id]).map(StockReadModel.balance))
            return .object(object)
        }
    }

    /// Items by SKU.
    public func items(after: String = "", limit: Int = 100) async throws -> ReadModelPage {
        try await database.read { db in
            ReadModelPage(rows: try db.documents("SELECT document FROM items WHERE sku > ? ORDER BY sku LIMIT ?", [after, limit]), limit: limit, key: "sku")
        }
    }

    /// Tasks by id, of one zone and status when given.
    public func tasks(zone: String? = nil, status: String? = nil, after: String = "", limit: Int = 100) async throws -> ReadModelPage {
        try await database.read { db in
            ReadModelPage(rows: try db.documents("""
                SELECT document FROM tasks WHERE (?1 IS NULL OR zone = ?1) AND (?2 IS NULL OR status = ?2) AND task_id > ?3
                ORDER BY task_id LIMIT ?4
                """, [zone, status, after, limit]), limit: limit, key: "taskId")
        }
    }

    /// The open tasks of a zone (of every zone when nil) in the order an operator should take
    /// them (see `TaskReadModel.queueOrder`).
    public func taskQueue(zone: String? = nil, limit: Int = 20) async throws -> [JSONValue] {
        try await database.read { db in
            try db.documents("""
                SELECT document FROM tasks WHERE status = 'open' AND (?1 IS NULL OR zone = ?1) ORDER BY \(TaskReadModel.queueOrder) LIMIT ?2
                """, [zone, limit])
        }
    }

    /// Per zone: open and claimed tasks and their open lines.
    public func zones() async throws -> [JSONValue] {
        try await database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT zone, SUM(status = 'open') AS open, SUM(status = 'claimed') AS claimed,
                       SUM(CASE WHEN status IN ('open', 'claimed') THEN open_lines ELSE 0 END) AS lines
                FROM tasks GROUP BY zone ORDER BY zone
                """).map { r in
                ["zone": .string(r["zone"]), "openTasks": .number(Double(r["open"] as Int)), "claimedTasks": .number(Double(r["claimed"] as Int)),
                 "openLines": .number(Double(r["lines"] as Int))]
            }
        }
    }

    /// Waves by id, of one status when given.
    public func waves(status: String? = nil, after: String = "", limit: Int = 100) async throws -> ReadModelPage {
        try await database.read { db in
            ReadModelPage(rows: try db.documents("""
                SELECT document FROM waves WHERE (?1 IS NULL OR status = ?1) AND wave_id > ?2 ORDER BY wave_id LIMIT ?3
                """, [status, after, limit]), limit: limit, key: "waveId")
        }
    }

    /// Shipments (cartons) by id, of one status or one order when given.
    public func shipments(status: String? = nil, orderId: String? = nil, after: String = "", limit: Int = 100) async throws -> ReadModelPage {
        try await database.read { db in
            ReadModelPage(rows: try db.documents("""
                SELECT document FROM shipments WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR order_id = ?2) AND carton_id > ?3
                ORDER BY carton_id LIMIT ?4
                """, [status, orderId, after, limit]), limit: limit, key: "cartonId")
        }
    }

    /// Every row of every read model as text, table by table in key order: what a rebuild must
    /// reproduce exactly.
    public func contents() async throws -> [String: [[String]]] {
        try await database.read { db in
            var result: [String: [[String]]] = [:]
            for table in [OrderReadModel.tables, StockReadModel.tables, LocationReadModel.tables, ItemReadModel.tables,
                          TaskReadModel.tables, WaveReadModel.tables, ShipmentReadModel.tables].joined() {
                result[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2, 3").map { row in
                    row.databaseValues.map { $0.isNull ? "NULL" : $0.description }
                }
            }
            return result
        }
    }

    private static func summary(sku: String, _ rows: [Row]) -> JSONValue {
        let balances = rows.map(StockReadModel.balance)
        func total(_ key: String) -> Double { balances.reduce(0) { $0 + ($1[key]?.doubleValue ?? 0) } }
        return .object(["sku": .string(sku), "onHand": .number(total("onHand")), "reserved": .number(total("reserved")),
                        "available": .number(total("available")), "balances": .array(balances)])
    }
}
