import EventStore
import Foundation
import JSON
import Logging
import Warehouse

/// When and how waves are made here: the `warehouse.waves` configuration.
public struct WaveScheduleSettings: Sendable, Equatable {
    /// How often the scheduler creates waves from allocated orders; nil: only on request
    /// (`POST /api/v1/waves/plan`) or by `CreateWave` commands.
    public var every: Duration?
    /// Whether each run also releases every created wave (its own and those made by commands);
    /// otherwise a wave waits for a `ReleaseWave` command.
    public var release: Bool
    public var limits: WaveLimits

    public init(every: Duration? = nil, release: Bool = true, limits: WaveLimits = WaveLimits()) {
        self.every = every
        self.release = release
        self.limits = limits
    }
}

/// The wave creator and releaser: gathers the allocated orders that are in no wave, groups
/// them with `WavePlanner` (cut-off window, service level, zone, within the limits), issues one
/// `CreateWave` per group and, when asked, a `ReleaseWave` per created wave.
///
/// Everything goes through the command bus, so a run repeated with the same `runId` (a
/// scheduler slot fired again after a crash) issues the same command ids and changes nothing
/// twice.
public struct WaveScheduler: Sendable {
    let bus: CommandBus
    let readModels: WarehouseReadModels
    public let settings: WaveScheduleSettings
    let logger: Logger

    public init(bus: CommandBus, readModels: WarehouseReadModels, settings: WaveScheduleSettings, logger: Logger) {
        self.bus = bus
        self.readModels = readModels
        self.settings = settings
        self.logger = logger
    }

    /// What one run did.
    public struct Run: Sendable {
        public var created: [CommandOutcome] = []
        public var released: [CommandOutcome] = []

        public var json: JSONValue {
            ["created": .array(created.map(\.json)), "released": .array(released.map(\.json))]
        }
    }

    /// Creates waves from the allocated orders, and releases created waves when `release`.
    /// - Parameter runId: names this run's waves (`W<runId>-<n>`) and commands.
    public func run(runId: String, release: Bool) async throws -> Run {
        var result = Run()
        // The read models list the candidates; they must have seen everything up to now.
        let head = try await bus.store.headPosition()
        guard await readModels.waitUntilProjected(head, timeout: .seconds(30)) else {
            throw WaveSchedulerError(message: "the read models did not reach position \(head) within 30 s")
        }
        var candidates: [WaveCandidate] = []
        var after = ""
        repeat {
            let page = try await readModels.orders(status: OrderStatus.allocated.rawValue, after: after, limit: 500)
            for row in page.rows {
                guard let id = row["orderId"]?.stringValue else { continue }
                if let c = try await candidate(id) { candidates.append(c) }
            }
            after = page.next ?? ""
        } while !after.isEmpty
        for (n, orders) in WavePlanner.plan(candidates, limits: settings.limits).enumerated() {
            let waveId = "W\(runId)-\(n + 1)"
            let outcome = try await bus.execute(json: ["commandId": .string("waves:\(runId):\(n + 1)"), "waveId": .string(waveId),
                                                       "orders": .array(orders.map { .string($0) })],
                                                type: "CreateWave", issuedBy: "wave-scheduler")
            if outcome.status == .rejected {
                logger.warning("a planned wave was refused", metadata: ["wave": "\(waveId)", "reasons": "\(outcome.reasons.map(\.message))"])
            }
            result.created.append(outcome)
        }
        guard release else { return result }
        // The waves just created must be in the read model before it lists what to release.
        let afterCreation = try await bus.store.headPosition()
        _ = await readModels.waitUntilProjected(afterCreation, timeout: .seconds(30))
        after = ""
        repeat {
            let page = try await readModels.waves(status: WaveState.Status.created.rawValue, after: after, limit: 500)
            for row in page.rows {
                guard let id = row["waveId"]?.stringValue else { continue }
                result.released.append(try await bus.execute(json: ["commandId": .string("release:\(id)"), "waveId": .string(id)],
                                                             type: "ReleaseWave", issuedBy: "wave-scheduler"))
            }
            after = page.next ?? ""
        } while !after.isEmpty
        return result
    }

    /// The order as the wave creator sees it, from the log (not the read model, which may lag):
    /// nil when it is no longer waiting for a wave. Its zone is the one most of its allocated
    /// units are reserved in.
    func candidate(_ orderId: String) async throws -> WaveCandidate? {
        let order = try await bus.read(OrderState.self, WarehouseStreams.order(orderId))
        guard order.status == .allocated, order.waveId == nil else { return nil }
        var unitsByZone: [String: Int] = [:]
        for line in order.lines where line.allocated > 0 {
            let stock = try await bus.read(InventoryState.self, WarehouseStreams.inventory(line.sku))
            for r in stock.reservations(order: orderId, line: line.line) {
                let zone = try await bus.read(LocationState.self, WarehouseStreams.location(r.place.location)).zone
                unitsByZone[zone, default: 0] += r.quantity
            }
        }
        let zone = unitsByZone.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? ""
        return WaveCandidate(orderId: orderId, serviceLevel: order.serviceLevel, cutoff: order.cutoff, zone: zone,
                             lines: order.lines.filter { $0.allocated > 0 }.count, units: order.lines.reduce(0) { $0 + $1.allocated },
                             priority: order.priority, createdAt: order.createdAt)
    }
}

extension WaveScheduler {
    /// A run's id from its time: `20261202-181500` (UTC), readable in wave ids.
    public static func runId(_ date: Date, prefix: String = "") -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { n.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(prefix)\(c.year ?? 0)\(two(c.month))\(two(c.day))-\(two(c.hour))\(two(c.minute))\(two(c.second))"
    }
}

struct WaveSchedulerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
