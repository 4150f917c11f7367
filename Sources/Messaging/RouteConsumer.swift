import Collections
import EventStore
import Foundation
import JSON
import Logging
import Mapping
import Metrics
import Synchronization
import X12Exchange

/// Where a route records the messages it could not handle (`RouteFailed` events with the error
/// and the source event's id, stream and position).
public enum RouteFailure {
    public static let type = "RouteFailed"
    public static func stream(forRoute route: String) -> StreamName { DeadLetterStream.stream(.route, route) }
}

/// The routes in force; `MessagingEngine.reload(routes:)` swaps them atomically, and each
/// consumer picks up its route's new definition before the next event it handles.
final class RouteTable: Sendable {
    private let routes: Mutex<[String: RouteDefinition]>
    /// The endpoints the dispatchers serve (a recipient list naming another is a route failure).
    let endpoints: Set<String>
    /// The endpoints' ordering key expressions.
    let orderingKeys: [String: RouteExpression]

    init(_ routes: [RouteDefinition], endpoints: Set<String>, orderingKeys: [String: RouteExpression] = [:]) {
        self.endpoints = endpoints
        self.orderingKeys = orderingKeys
        self.routes = Mutex(Dictionary(routes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }))
    }

    /// Routes whose consumer has read up to the head of the log at least once since start-up.
    private let caughtUp = Mutex<Set<String>>([])

    func route(named name: String) -> RouteDefinition? { routes.withLock { $0[name] } }
    func markCaughtUp(_ name: String) { _ = caughtUp.withLock { $0.insert(name) } }
    /// Routes still catching up with the log (for readiness), sorted.
    var catchingUp: [String] {
        let done = caughtUp.withLock { $0 }
        return names.subtracting(done).sorted()
    }
    var names: Set<String> { routes.withLock { Set($0.keys) } }
    func replace(with new: [RouteDefinition]) {
        routes.withLock { $0 = Dictionary(new.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }) }
    }
}

/// Consumes one route's source through a catch-up subscription over the log with a durable
/// checkpoint (`route-<name>`). Handling one event commits its effects and the checkpoint move in
/// ONE transaction (the effectively-once rule); effects carry ids derived from the event id and
/// the step, so handling an event again — after a crash, or a checkpoint reset — writes nothing.
///
/// A message the route cannot handle (a mapping error, a bad expression result) is recorded as
/// `RouteFailed` in `dlq-route-<name>`, in the same transaction as the checkpoint move, so one
/// poison message never stalls the route.
final class RouteConsumer: Sendable {
    let name: String
    private let table: RouteTable
    private let store: any EventStore
    private let clock: any MessagingClock
    private let logger: Logger
    private let pollInterval: Duration
    /// Where the consuming task runs (nil: the global executor).
    private let executor: (any TaskExecutor)?

    static let failedType = RouteFailure.type
    static func failureStream(forRoute route: String) -> StreamName { RouteFailure.stream(forRoute: route) }

    init(name: String, table: RouteTable, store: any EventStore, clock: any MessagingClock, logger: Logger, pollInterval: Duration,
         executor: (any TaskExecutor)? = nil) {
        self.name = name
        self.table = table
        self.store = store
        self.clock = clock
        var logger = logger
        logger[metadataKey: "route"] = "\(name)"
        self.logger = logger
        self.pollInterval = pollInterval
        self.executor = executor
    }

    /// Runs until cancelled or until the route is removed from the table. Cancellation is turned
    /// into a stop request checked between events: the store calls of the event in hand are never
    /// cancelled half-way, so a graceful stop commits it (effects and checkpoint) and returns.
    func run() async throws {
        let stop = StopFlag()
        // An unstructured task does not inherit the caller's executor preference (SE-0417).
        let worker = Task(executorPreference: executor) { [self] in
            // A failing store call (disk full, database locked too long) must not end the route:
            // start over from the stored checkpoint and aggregation state after a pause.
            while !stop.isSet {
                do {
                    if try await consume(until: stop) { continue }
                    return
                } catch {
                    if stop.isSet { return }
                    logger.error("route consumer failed; restarting from its checkpoint", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
        await withTaskCancellationHandler {
            await worker.value
        } onCancel: {
            stop.set()
        }
    }

    /// Set once by the cancellation handler; read by the consuming loop.
    final class StopFlag: Sendable {
        private let state = Mutex<(isSet: Bool, actions: [@Sendable () -> Void])>((false, []))
        func set() {
            let actions = state.withLock { state -> [@Sendable () -> Void] in
                guard !state.isSet else { return [] }
                state.isSet = true
                defer { state.actions = [] }
                return state.actions
            }
            for action in actions { action() }
        }
        var isSet: Bool { state.withLock { $0.isSet } }
        /// Runs `action` when the flag is set (at once if it is set already).
        func onSet(_ action: @escaping @Sendable () -> Void) {
            let now = state.withLock { state -> Bool in
                if state.isSet { return true }
                state.actions.append(action)
                return false
            }
            if now { action() }
        }
    }

    /// Consumes until stopped or until the route is removed (false), or until it reads another
    /// part of the log (true: start over with a subscription of the new filter).
    private func consume(until stop: StopFlag) async throws -> Bool {
        guard let initial = table.route(named: name) else { return false }
        let subscription = store.subscribe(name: initial.checkpointName, filter: initial.from.filter, pageSize: 256,
                                           checkpointEvery: .max, pollInterval: pollInterval)
        // A stop request ends a wait for new events at once.
        stop.onSet { Task { try? await subscription.stop() } }
        var aggregator = try await loadAggregator()
        let received = Counter(label: "paklog_route_messages_total", dimensions: [("route", name)])
        let failed = Counter(label: "paklog_route_failures_total", dimensions: [("route", name)])
        let routed = Counter(label: "paklog_route_outputs_total", dimensions: [("route", name)])
        var started = false

        while !stop.isSet {
            guard let route = table.route(named: name) else { break }
            // A route that now reads another part of the log starts over with a subscription of
            // the new filter (its checkpoint stays).
            if route.from.filter != initial.from.filter {
                try await subscription.stop()
                return true
            }
            let processor = RouteProcessor(route: route, knownEndpoints: table.endpoints, orderingKeys: table.orderingKeys)

            // Aggregations that timed out are completed before newer events are looked at.
            var next = aggregator
            for effects in try processor.completeTimedOut(aggregator: &next, now: clock.now()) {
                _ = try await append(effects, checkpoint: nil)
                routed.increment(by: Int64(effects.outboxMessages.count))
            }
            aggregator = next

            let wait = processor.nextAggregationDeadline(aggregator).map { deadline in
                Duration.milliseconds(max(0, Int64(deadline.timeIntervalSince(clock.now()) * 1000)))
            }
            guard let events = try await subscription.nextPage(waitingAtMost: wait) else { break }
            if !started {
                started = true
                logger.info("route consumer started", metadata: ["checkpoint": "\(subscription.checkpointPosition)", "openAggregations": "\(aggregator.groups.count)"])
            }
            // The effects of consecutive events are committed together, with the checkpoint past
            // the last of them: still one atomic transaction per batch (effects and checkpoint
            // move together), but one fsync for many events.
            var batch: [(position: Int64, effects: RouteEffects)] = []
            var handled: [Int64] = []
            var batchAggregator = aggregator
            for event in events {
                if stop.isSet { break }
                handled.append(event.position)
                guard route.from.matches(event) else { continue }
                received.increment()
                var candidate = batchAggregator
                var effects: RouteEffects
                do {
                    effects = try processor.process(try Self.message(from: event), aggregator: &candidate)
                } catch {
                    failed.increment()
                    logger.warning("route failed for an event", metadata: ["eventId": "\(event.id)", "error": "\(error)"])
                    candidate = batchAggregator
                    effects = RouteEffects()
                    effects.append(Self.failureEvent(route: name, event: event, error: error), to: Self.failureStream(forRoute: name))
                }
                batchAggregator = candidate
                // Mapping is CPU work without suspension points: let other tasks on this executor
                // (other routes, dispatchers) in between messages instead of after a page of 256.
                await Task.yield()
                if !effects.isEmpty { batch.append((event.position, effects)) }
                if batch.count >= maximumBatch {
                    try await commit(batch, handling: handled, subscription: subscription)
                    routed.increment(by: Int64(batch.reduce(0) { $0 + $1.effects.outboxMessages.count }))
                    batch = []
                    handled = []
                }
            }
            if !batch.isEmpty {
                // Up to the last handled event, effect-less ones after the last effect included.
                try await commit(batch, handling: handled, subscription: subscription)
                routed.increment(by: Int64(batch.reduce(0) { $0 + $1.effects.outboxMessages.count }))
            } else {
                subscription.handled(handled, committed: nil)
            }
            aggregator = batchAggregator
            // Events without effects, and those the filter did not match, still move the checkpoint
            // (else a restart rescans them); only handled events may move it.
            try await subscription.commit()
            if subscription.isCaughtUp { table.markCaughtUp(name) }
        }
        try await subscription.stop()
        logger.info("route consumer stopped", metadata: ["checkpoint": "\(subscription.checkpointPosition)"])
        return false
    }

    /// Source events whose effects go into one transaction at most.
    private var maximumBatch: Int { 64 }

    /// Commits the effects of `batch` and the checkpoint past the `handling` events (the batch's
    /// and the effect-less ones between them) in one transaction. If the store reports that some
    /// of the effects exist already — a replay after a checkpoint reset whose batches differ from
    /// the original ones — each event's effects are committed on their own, which the store
    /// recognises as repeats.
    private func commit(_ batch: [(position: Int64, effects: RouteEffects)], handling: [Int64], subscription: Subscription) async throws {
        guard !batch.isEmpty else { return }
        let move = subscription.checkpoint(handling: handling)
        var all = RouteEffects()
        for item in batch { all.append(contentsOf: item.effects) }
        do {
            let result = try await append(all, checkpoint: move)
            // A repeat of an already committed handling writes nothing, checkpoint included.
            if result.wasDuplicate, let move { try await store.saveCheckpoint(move) }
            subscription.handled(handling, committed: move)
        } catch EventStoreError.idempotencyConflict where batch.count == 1 && !all.pendingX12.isEmpty {
            // Handled before (a replay after a checkpoint reset): its interchange committed then
            // with the numbers of that time, and all of one cause's effects commit together.
            logger.debug("event handled before; its X12 interchange keeps the control numbers it left with")
            if let move { try await store.saveCheckpoint(move) }
            subscription.handled(handling, committed: move)
        } catch let error as EventStoreError where batch.count > 1 {
            switch error {
            case .partialDuplicateBatch, .idempotencyConflict:
                logger.debug("batch partly committed before; committing event by event", metadata: ["error": "\(error)"])
                var rest = handling[...]
                for item in batch {
                    let upTo = rest.prefix { $0 <= item.position }
                    rest = rest.dropFirst(upTo.count)
                    try await commit([item], handling: Array(upTo), subscription: subscription)
                }
                subscription.handled(Array(rest), committed: nil)
            default:
                throw error
            }
        }
    }

    /// Appends `effects` with `checkpoint`; pending X12 interchanges get their partners' next
    /// control numbers in the same transaction, and again after another writer took them first.
    private func append(_ effects: RouteEffects, checkpoint: Checkpoint?) async throws -> AppendResult {
        guard !effects.pendingX12.isEmpty else {
            return try await store.append(AppendTransaction(appends: effects.streamAppends, checkpoint: checkpoint))
        }
        let ledger = X12ControlNumberLedger(store: store)
        var attempt = 0
        while true {
            attempt += 1
            var numbered = effects
            let updates = try await numbered.assignX12Numbers(ledger)
            var transaction = AppendTransaction(appends: numbered.streamAppends, checkpoint: checkpoint)
            transaction.cursors = updates
            do {
                return try await store.append(transaction)
            } catch EventStoreError.cursorConflict(let name) where attempt < 8 && updates.contains(where: { $0.name == name }) {
                continue
            }
        }
    }

    private func loadAggregator() async throws -> AggregatorState {
        var state = AggregatorState()
        var from: Int64 = 0
        while true {
            let events = try await store.readStream(AggregatorState.stream(forRoute: name), from: from, direction: .forward, maxCount: 512)
            for event in events { try state.apply(event) }
            guard let last = events.last, events.count == 512 else { return state }
            from = last.streamVersion + 1
        }
    }

    /// The routed message a log event becomes: an inbox envelope's headers and body (parsed as JSON
    /// when it is JSON, else a string), or a domain event's data with its type and stream as headers.
    static func message(from event: RecordedEvent) throws -> RoutedMessage {
        if event.type == EnvelopeEvent.type && event.stream.category == "inbox" {
            // A JSON body is embedded in the event as JSON: take it as it is parsed, instead of
            // decoding the envelope to bytes and parsing those again.
            let payload = try JSONFieldReader(eventType: event.type, data: event.data)
            if let body = payload.optional("body") {
                var headers = try payload.stringMap("headers")
                headers["source"] = try payload.string("source")
                headers["idempotencyKey"] = try payload.string("idempotencyKey")
                if let partner = try payload.optionalString("partner") { headers["partner"] = partner }
                if let parent = try payload.optionalString("traceparent") { headers["traceparent"] = parent }
                return RoutedMessage(headers: headers, body: body, correlationId: try payload.string("id"),
                                     causationId: event.id, time: try payload.date("receivedAt"))
            }
            let envelope = try EnvelopeEvent.decode(event)
            var headers = envelope.headers
            headers["source"] = envelope.source
            headers["idempotencyKey"] = envelope.idempotencyKey
            if let partner = envelope.partner { headers["partner"] = partner }
            if let trace = envelope.traceContext { headers["traceparent"] = trace.traceparent }
            // Not JSON (else it would be embedded as JSON): the bytes go on as they came, with the
            // media type the partner gave them.
            let contentType = headers.first { $0.key.lowercased() == "content-type" }?.value
            let raw = RawBody(bytes: envelope.body, mediaType: contentType)
            return RoutedMessage(headers: headers, body: raw.view, raw: raw, correlationId: envelope.id.uuidString.lowercased(),
                                 causationId: event.id, time: envelope.receivedAt)
        }
        let body = try JSONValue(parsing: event.data)
        return RoutedMessage(headers: ["eventType": event.type, "stream": event.stream.rawValue], body: body,
                             correlationId: event.metadata.correlationId ?? event.id.uuidString.lowercased(),
                             causationId: event.id, time: event.recordedAt)
    }

    static func failureEvent(route: String, event: RecordedEvent, error: any Error) -> NewEvent {
        var o = OrderedDictionary<String, JSONValue>()
        o["route"] = .string(route)
        o["error"] = .string("\(error)")
        o["sourceEventId"] = .string(event.id.uuidString.lowercased())
        o["sourceStream"] = .string(event.stream.rawValue)
        o["sourcePosition"] = .number(Double(event.position))
        o["at"] = EventTime.encode(event.recordedAt)
        return NewEvent(id: DeterministicEventID.make(cause: event.id, step: "route:\(route)/failed"), type: failedType,
                        data: JSONValue.object(o).serialized(),
                        metadata: EventMetadata(correlationId: event.metadata.correlationId, causationId: event.id.uuidString.lowercased(), source: route))
    }
}
