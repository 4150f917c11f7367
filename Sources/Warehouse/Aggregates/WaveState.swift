import JSON

/// A wave (`wave-<id>`, topic `wave-events`): orders released together, cut into pick tours.
public struct WaveState: AggregateState {
    public static let category = "wave"
    public static let created = "WaveCreated"
    public static let released = "WaveReleased"

    public enum Status: String, Sendable { case none, created, released }

    public var status = Status.none
    public var waveId = ""
    public var orders: [String] = []
    public var tasks: [String] = []

    public init() {}

    public mutating func apply(_ event: DomainEvent) throws(JSONFieldError) {
        let f = try event.fields
        switch event.type {
        case Self.created:
            status = .created
            waveId = try f.string("waveId")
            orders = (f.optional("orders")?.arrayValue ?? []).compactMap(\.stringValue)
        case Self.released:
            status = .released
            tasks = (f.optional("tasks")?.arrayValue ?? []).compactMap { $0["taskId"]?.stringValue }
        default:
            break
        }
    }
}

/// One line of a pick task: take `quantity` of `sku` at `place` for an order line.
public struct TaskLine: Sendable, Equatable {
    public enum Status: String, Sendable { case open, picked, shorted, cancelled }
    public var index: Int
    public var orderId: String
    public var line: Int
    public var sku: String
    public var place: StockPlace
    public var quantity: Int
    public var status = Status.open
    public var picked = 0

    var json: JSONValue {
        var o: [String: JSONValue] = place.json
        o["index"] = .number(Double(index))
        o["orderId"] = .string(orderId)
        o["line"] = .number(Double(line))
        o["sku"] = .string(sku)
        o["quantity"] = .number(Double(quantity))
        return .object(.init(uniqueKeysWithValues: o.sorted { $0.key < $1.key }))
    }

    init(index: Int, orderId: String, line: Int, sku: String, place: StockPlace, quantity: Int) {
        self.index = index
        self.orderId = orderId
        self.line = line
        self.sku = sku
        self.place = place
        self.quantity = quantity
    }

    init(json: JSONValue) throws(JSONFieldError) {
        let f = try JSONFieldReader(subject: "task line", value: json)
        self.init(index: try f.int("index"), orderId: try f.string("orderId"), line: try f.int("line"), sku: try f.string("sku"),
                  place: StockPlace(location: try f.string("location"), lot: try f.optionalString("lot")), quantity: try f.int("quantity"))
    }
}

/// A unit of work for one operator (`task-<id>`, topic `task-events`): a pick tour in visiting
/// order. Claiming appends with the version read, so of two operators claiming at once one wins
/// and the other is told who has it.
public struct TaskState: AggregateState {
    public static let category = "task"
    public static let created = "TaskCreated"
    public static let claimed = "TaskClaimed"
    public static let unclaimed = "TaskUnclaimed"
    public static let linePicked = "TaskLinePicked"
    public static let lineShorted = "TaskLineShorted"
    public static let linesCancelled = "TaskLinesCancelled"
    public static let completed = "TaskCompleted"
    public static let cancelled = "TaskCancelled"

    public enum Status: String, Sendable { case none, open, claimed, completed, cancelled }
    /// A pick tour for orders, or a replenishment: one line, from a reserve place to `replenishTo`.
    public enum Kind: String, Sendable { case pick, replenishment }

    public var status = Status.none
    public var kind = Kind.pick
    /// The pick face a replenishment fills.
    public var replenishTo: String?
    public var taskId = ""
    public var waveId = ""
    public var zone = ""
    public var cutoff: Int64?
    public var priority = 0
    public var createdAt: Int64 = 0
    public var claimedBy: String?
    public var lines: [TaskLine] = []

    public init() {}

    public var isActive: Bool { status == .open || status == .claimed }
    public var openLines: [TaskLine] { lines.filter { $0.status == .open } }

    public mutating func apply(_ event: DomainEvent) throws(JSONFieldError) {
        let f = try event.fields
        func index() throws(JSONFieldError) -> Int {
            let n = try f.int("index")
            guard lines.indices.contains(n) else { throw JSONFieldError(eventType: event.type, field: "index", problem: "names line \(n) of a task with \(lines.count)") }
            return n
        }
        switch event.type {
        case Self.created:
            status = .open
            kind = Kind(rawValue: try f.optionalString("kind") ?? "pick") ?? .pick
            replenishTo = try f.optionalString("to")
            taskId = try f.string("taskId")
            waveId = try f.string("waveId")
            zone = try f.string("zone")
            cutoff = try f.optionalInt("cutoff").map(Int64.init)
            priority = try f.int("priority")
            createdAt = Int64(try f.int("createdAt"))
            var out: [TaskLine] = []
            for item in (try f.value("lines")).arrayValue ?? [] { out.append(try TaskLine(json: item)) }
            lines = out
        case Self.claimed:
            status = .claimed
            claimedBy = try f.string("operator")
        case Self.unclaimed:
            status = .open
            claimedBy = nil
        case Self.linePicked:
            let i = try index()
            lines[i].status = .picked
            lines[i].picked = try f.int("quantity")
        case Self.lineShorted:
            let i = try index()
            lines[i].status = .shorted
            lines[i].picked = try f.int("found")
        case Self.linesCancelled:
            for case .number(let n) in f.optional("indexes")?.arrayValue ?? [] where lines.indices.contains(Int(n)) {
                lines[Int(n)].status = .cancelled
            }
        case Self.completed:
            status = .completed
        case Self.cancelled:
            status = .cancelled
        default:
            break
        }
    }
}
