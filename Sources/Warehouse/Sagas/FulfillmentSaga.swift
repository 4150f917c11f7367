import EventStore
import Foundation
import JSON
import Logging
import Synchronization

/// The fulfillment saga: what happens between the commands people and partners issue.
/// - a packed carton gets its label requested (`RequestLabel`),
/// - a back-ordered order is allocated again when its SKUs get stock (`AllocateOrder`),
/// - a label not recorded within `labelTimeout` is requested again, and after
///   `maximumLabelRequests` raised as `LabelOverdue` on `error-events`,
/// - an order not shipped by its cut-off is raised as `OrderCutoffMissed` on `error-events`.
///
/// Every command it issues has an id derived from the event that caused it, so handling an
/// event twice (a restart between the command and the checkpoint) changes nothing. Its state is
/// folded from the log on start up to its checkpoint without acting, then it acts on what follows.
public final class FulfillmentSaga: Sendable {
    public static let checkpointName = "saga-fulfillment"

    struct State: Sendable {
        /// Back-ordered orders by SKU they miss, oldest first.
        var waiting: [String: [String]] = [:]
        var missing: [String: Set<String>] = [:]
        /// Cartons waiting for a label: when asked last and how often.
        var labels: [String: (requestedAt: Date, attempts: Int)] = [:]
        /// Open orders with a cut-off.
        var cutoffs: [String: Date] = [:]
        var raised: Set<String> = []
    }

    private let bus: CommandBus
    private let labelTimeout: Duration
    private let maximumLabelRequests: Int
    private let logger: Logger
    private let state = Mutex(State())

    public init(bus: CommandBus, labelTimeout: Duration = .seconds(300), maximumLabelRequests: Int = 3, logger: Logger = Logger(label: "paklog.saga")) {
        self.bus = bus
        self.labelTimeout = labelTimeout
        self.maximumLabelRequests = maximumLabelRequests
        self.logger = logger
    }

    /// Follows the log until cancelled.
    public func run() async throws {
        let store = bus.store
        let checkpoint = try await store.loadCheckpoint(Self.checkpointName) ?? 0
        var position: Int64 = 0
        // Fold without acting up to the checkpoint: what happened there was acted on.
        while position < checkpoint {
            let page = try await store.readAll(after: position, filter: .categories(["order", "inventory", "pack"]), maxCount: 2048)
            for e in page.events where e.position <= checkpoint { _ = try fold(e) }
            position = min(checkpoint, page.scannedThrough)
            if page.scannedThrough == 0 { break }
        }
        let subscription = store.subscribe(name: Self.checkpointName, filter: .categories(["order", "inventory", "pack"]), startingAfter: checkpoint, checkpointEvery: 64,
                                           pollInterval: .milliseconds(200))
        for try await event in subscription {
            for command in try fold(event) {
                do {
                    let outcome = try await bus.execute(command)
                    if outcome.status == .rejected { logger.warning("saga: \(command.type) refused: \(outcome.reasons.map(\.description).joined(separator: "; "))") }
                } catch {
                    logger.error("saga: \(command.type) failed: \(error)")
                    throw error
                }
            }
            try await subscription.acknowledge(event)
        }
    }

    /// Handles one event: updates the state and returns the commands it calls for.
    func fold(_ event: RecordedEvent) throws -> [CommandEnvelope] {
        guard let data = try? JSONValue(parsing: event.data) else { return [] }
        let id = event.id.uuidString.lowercased()
        func command(_ type: String, _ key: String, _ body: JSONValue) -> CommandEnvelope {
            CommandEnvelope(commandId: "saga.\(key)", type: type, body: body, issuedBy: "saga:fulfillment", correlationId: event.metadata.correlationId)
        }
        return state.withLock { s -> [CommandEnvelope] in
            switch event.type {
            case OrderState.created:
                if let orderId = data["orderId"]?.stringValue, let cutoff = data["cutoff"].flatMap(EventTime.decode) { s.cutoffs[orderId] = cutoff }
            case OrderState.backordered:
                guard let orderId = data["orderId"]?.stringValue else { return [] }
                for line in data["lines"]?.arrayValue ?? [] {
                    guard let sku = line["sku"]?.stringValue else { continue }
                    if s.missing[orderId, default: []].insert(sku).inserted { s.waiting[sku, default: []].append(orderId) }
                }
            case OrderState.allocated, OrderState.cancelled, OrderState.shipped:
                guard let orderId = data["orderId"]?.stringValue else { return [] }
                for sku in s.missing.removeValue(forKey: orderId) ?? [] { s.waiting[sku]?.removeAll { $0 == orderId } }
                if event.type != OrderState.allocated { s.cutoffs.removeValue(forKey: orderId) }
            case InventoryState.received, InventoryState.returned, InventoryState.released, InventoryState.adjusted:
                guard let sku = data["sku"]?.stringValue, let orders = s.waiting[sku], !orders.isEmpty else { return [] }
                if event.type == InventoryState.adjusted, (data["delta"]?.doubleValue ?? 0) <= 0 { return [] }
                if event.type == InventoryState.released, data["reason"]?.stringValue == "short pick" { return [] }
                return orders.map { command("AllocateOrder", "allocate.\($0).\(id)", ["commandId": .string("saga.allocate.\($0).\(id)"), "orderId": .string($0)]) }
            case CartonState.packed:
                guard let cartonId = data["cartonId"]?.stringValue else { return [] }
                s.labels[cartonId] = (event.recordedAt, 1)
                return [command("RequestLabel", "label.\(cartonId).1", ["commandId": .string("saga.label.\(cartonId).1"), "cartonId": .string(cartonId)])]
            case CartonState.labelRecorded, CartonState.cancelled:
                if let cartonId = data["cartonId"]?.stringValue { s.labels.removeValue(forKey: cartonId) }
            case CartonState.labelRequested:
                if let cartonId = data["cartonId"]?.stringValue, let attempt = data["attempt"]?.intValue { s.labels[cartonId] = (event.recordedAt, attempt) }
            default:
                break
            }
            return []
        }
    }

    /// Checks the deadlines at `now` (the engine's scheduler calls it): labels asked again or
    /// raised, missed cut-offs raised. Each alert is written once (its idempotency key).
    public func tick(now: Date) async throws {
        let timeout = Double(labelTimeout.components.seconds) + Double(labelTimeout.components.attoseconds) / 1e18
        let (retries, overdue, missed) = state.withLock { s -> ([(String, Int)], [String], [String]) in
            var retries: [(String, Int)] = [], overdue: [String] = [], missed: [String] = []
            for (carton, l) in s.labels where now.timeIntervalSince(l.requestedAt) >= timeout {
                if l.attempts < maximumLabelRequests { retries.append((carton, l.attempts + 1)) } else if s.raised.insert("label.\(carton)").inserted { overdue.append(carton) }
            }
            for (order, cutoff) in s.cutoffs where now >= cutoff && s.raised.insert("cutoff.\(order)").inserted { missed.append(order) }
            return (retries, overdue, missed)
        }
        for (carton, attempt) in retries {
            _ = try await bus.execute(CommandEnvelope(commandId: "saga.label.\(carton).\(attempt)", type: "RequestLabel",
                                                      body: ["commandId": .string("saga.label.\(carton).\(attempt)"), "cartonId": .string(carton)], issuedBy: "saga:fulfillment"))
        }
        for carton in overdue { try await raise("LabelOverdue", key: "label.\(carton)", ["cartonId": .string(carton), "attempts": .int(maximumLabelRequests)]) }
        for order in missed { try await raise("OrderCutoffMissed", key: "cutoff.\(order)", ["orderId": .string(order)]) }
    }

    private func raise(_ type: String, key: String, _ data: JSONValue) async throws {
        let event = NewEvent(type: type, data: data.serialized(), metadata: EventMetadata(source: "saga:fulfillment"))
        _ = try await bus.store.append(AppendTransaction(appends: [StreamAppend(stream: WarehouseStreams.rejections, events: [event])], idempotencyKey: "saga:\(key)"))
    }
}
