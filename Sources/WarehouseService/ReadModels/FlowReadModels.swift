import GRDB
import JSON
import Warehouse

/// Orders with their status and lines.
enum OrderReadModel: AggregateReadModel {
    typealias State = OrderState
    static let name = "orders"
    static let version = 1
    static let tables = ["orders"]
    static let schema = """
        CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, status TEXT NOT NULL, channel TEXT NOT NULL,
            external_reference TEXT NOT NULL, service_level TEXT NOT NULL, cutoff INTEGER, wave_id TEXT, document TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS orders_by_status ON orders(status, order_id);
        """

    static func write(_ db: Database, key: String, state o: OrderState) throws {
        guard o.exists else { return }
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO orders (order_id, status, channel, external_reference, service_level, cutoff, wave_id, document)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [key, o.status.rawValue, o.channel, o.externalReference, o.serviceLevel, o.cutoff, o.waveId,
                             WarehouseJSON.order(o).jsonString])
    }
}

/// Waves: status, orders and tasks.
enum WaveReadModel: AggregateReadModel {
    typealias State = WaveState
    static let name = "waves"
    static let version = 1
    static let tables = ["waves"]
    static let schema = """
        CREATE TABLE IF NOT EXISTS waves (wave_id TEXT PRIMARY KEY, status TEXT NOT NULL, document TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS waves_by_status ON waves(status, wave_id);
        """

    static func write(_ db: Database, key: String, state: WaveState) throws {
        guard state.status != .none else { return }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO waves (wave_id, status, document) VALUES (?, ?, ?)").execute(
                       arguments: [key, state.status.rawValue, WarehouseJSON.wave(state).jsonString])
    }
}

/// Pick tasks, with what the prioritizer orders the queue by.
enum TaskReadModel: AggregateReadModel {
    typealias State = TaskState
    static let name = "tasks"
    static let version = 1
    static let tables = ["tasks"]
    static let schema = """
        CREATE TABLE IF NOT EXISTS tasks (task_id TEXT PRIMARY KEY, status TEXT NOT NULL, zone TEXT NOT NULL, wave_id TEXT NOT NULL,
            priority INTEGER NOT NULL, cutoff INTEGER, created_at INTEGER NOT NULL, claimed_by TEXT, open_lines INTEGER NOT NULL,
            document TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS tasks_by_zone ON tasks(zone, status);
        """

    static func write(_ db: Database, key: String, state t: TaskState) throws {
        guard t.status != .none else { return }
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO tasks (task_id, status, zone, wave_id, priority, cutoff, created_at, claimed_by, open_lines, document)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [key, t.status.rawValue, t.zone, t.waveId, t.priority, t.cutoff, t.createdAt, t.claimedBy, t.openLines.count,
                             WarehouseJSON.task(t).jsonString])
    }

    /// The prioritizer: the earliest carrier cut-off first (tasks without one last), then the
    /// highest priority, then the oldest task, then the id (so the order is total).
    static let queueOrder = "cutoff IS NULL, cutoff, priority DESC, created_at, task_id"
}

/// Shipments: a carton from packing through its label to the dock door and delivery, from its
/// `pack-<id>` and `tracking-<id>` streams.
enum ShipmentReadModel: ReadModel {
    struct State: Sendable {
        var carton = CartonState()
        var shippedAt: Int64?
        var deliveredAt: Int64?
        var signedBy: String?
    }
    static let name = "shipments"
    static let version = 1
    static let categories: Set<String> = [CartonState.category, WarehouseStreams.tracking("").category]
    static let tables = ["shipments"]
    static let schema = """
        CREATE TABLE IF NOT EXISTS shipments (carton_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, status TEXT NOT NULL,
            tracking_number TEXT, document TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS shipments_by_order ON shipments(order_id);
        CREATE INDEX IF NOT EXISTS shipments_by_status ON shipments(status, carton_id);
        """

    static func initial() -> State { State() }

    static func fold(_ state: inout State, _ event: DomainEvent, category: String) throws(JSONFieldError) {
        guard category == CartonState.category else {
            let f = try event.fields
            switch event.type {
            case "ShipmentDispatched": state.shippedAt = try f.optionalInt("at").map(Int64.init)
            case "DeliveryConfirmed":
                state.deliveredAt = try f.optionalInt("at").map(Int64.init)
                state.signedBy = try f.optionalString("signedBy")
            default: break
            }
            return
        }
        try state.carton.apply(event)
    }

    /// `delivered` once the carrier confirmed it, else the carton's own status.
    static func status(_ s: State) -> String { s.deliveredAt != nil ? "delivered" : s.carton.status.rawValue }

    static func write(_ db: Database, key: String, state: State) throws {
        guard state.carton.status != .none else { return }
        var document = WarehouseJSON.carton(state.carton).objectValue ?? [:]
        document["status"] = .string(status(state))
        document["shippedAt"] = state.shippedAt.map { .number(Double($0)) } ?? .null
        document["deliveredAt"] = state.deliveredAt.map { .number(Double($0)) } ?? .null
        document["signedBy"] = state.signedBy.map { .string($0) } ?? .null
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO shipments (carton_id, order_id, status, tracking_number, document) VALUES (?, ?, ?, ?, ?)").execute(
                       arguments: [key, state.carton.orderId, status(state), state.carton.trackingNumber, JSONValue.object(document).jsonString])
    }
}
