import GRDB
import JSON
import Warehouse

/// Stock by SKU, location and lot, and available to promise (on hand less reserved).
enum StockReadModel: AggregateReadModel {
    typealias State = InventoryState
    static let name = "stock"
    static let version = 1
    static let tables = ["stock"]
    static let schema = """
        CREATE TABLE IF NOT EXISTS stock (sku TEXT NOT NULL, location TEXT NOT NULL, lot TEXT NOT NULL, on_hand INTEGER NOT NULL,
            reserved INTEGER NOT NULL, expiry INTEGER, PRIMARY KEY (sku, location, lot));
        CREATE INDEX IF NOT EXISTS stock_by_location ON stock(location);
        """

    static func write(_ db: Database, key: String, state: InventoryState) throws {
        try db.cachedStatement(sql: "DELETE FROM stock WHERE sku = ?").execute(arguments: [key])
        for (place, b) in state.balances {
            try db.cachedStatement(sql: "INSERT INTO stock (sku, location, lot, on_hand, reserved, expiry) VALUES (?, ?, ?, ?, ?, ?)").execute(
                           arguments: [key, place.location, place.lot ?? "", b.onHand, b.reserved, b.expiry])
        }
    }

    /// A stock row as the API answers it.
    static func balance(_ row: Row) -> JSONValue {
        let lot: String = row["lot"], onHand: Int = row["on_hand"], reserved: Int = row["reserved"]
        return .object([
            "sku": .string(row["sku"]), "location": .string(row["location"]), "lot": lot.isEmpty ? .null : .string(lot),
            "onHand": .number(Double(onHand)), "reserved": .number(Double(reserved)), "available": .number(Double(max(onHand - reserved, 0))),
            "expiry": (row["expiry"] as Int64?).map { .number(Double($0)) } ?? .null,
        ])
    }
}

/// Locations: zone, aisle, bay, level, coordinates and kind.
enum LocationReadModel: AggregateReadModel {
    typealias State = LocationState
    static let name = "locations"
    static let version = 1
    static let tables = ["locations"]
    static let schema = """
        CREATE TABLE IF NOT EXISTS locations (location_id TEXT PRIMARY KEY, zone TEXT NOT NULL, kind TEXT NOT NULL, document TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS locations_by_zone ON locations(zone, location_id);
        """

    static func write(_ db: Database, key: String, state: LocationState) throws {
        guard state.exists else { return }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO locations (location_id, zone, kind, document) VALUES (?, ?, ?, ?)").execute(
                       arguments: [key, state.zone, state.kind.rawValue, WarehouseJSON.location(state).jsonString])
    }
}

/// Items: SKU, GTIN, unit of measure, lot and expiry control, allocation rule.
enum ItemReadModel: AggregateReadModel {
    typealias State = ItemState
    static let name = "items"
    static let version = 1
    static let tables = ["items"]
    static let schema = "CREATE TABLE IF NOT EXISTS items (sku TEXT PRIMARY KEY, gtin TEXT, document TEXT NOT NULL);"

    static func write(_ db: Database, key: String, state: ItemState) throws {
        guard state.exists else { return }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO items (sku, gtin, document) VALUES (?, ?, ?)").execute(
                       arguments: [key, state.gtin, WarehouseJSON.item(state).jsonString])
    }
}
