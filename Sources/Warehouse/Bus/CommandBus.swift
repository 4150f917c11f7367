import EventStore
import Foundation
import JSON
import Logging
import Synchronization

/// Runs commands against the log: each is decided on its aggregates' current state, then
/// appended with the versions it read as expected versions and its id as idempotency key, all in
/// one transaction with its audit record. A writer that lost a race decides again on the new
/// state; a command id seen before changes nothing.
public final class CommandBus: Sendable {
    public typealias Handler = @Sendable (Decision) async throws -> Void

    public let store: any EventStore
    public let settings: WarehouseSettings
    private let handlers: [String: Handler]
    private let cache: AggregateCache
    let locks = StreamLocks()
    private let clock: @Sendable () -> Date
    private let logger: Logger
    /// How often a command is decided again after losing a race before it fails.
    public let maximumAttempts: Int

    public init(store: any EventStore, settings: WarehouseSettings = WarehouseSettings(), clock: @escaping @Sendable () -> Date = { Date() },
                cacheCapacity: Int = 200_000, maximumAttempts: Int = 50, logger: Logger = Logger(label: "paklog.warehouse")) {
        self.store = store
        self.settings = settings
        self.clock = clock
        self.cache = AggregateCache(capacity: cacheCapacity)
        self.maximumAttempts = maximumAttempts
        self.logger = logger
        self.handlers = WarehouseCommands.handlers
    }

    /// The command types this bus runs.
    public var commandTypes: [String] { handlers.keys.sorted() }

    /// Runs `command`. Refusals are outcomes (`.rejected`, recorded on `error-events`), not errors;
    /// it throws only when the store fails or a race was lost `maximumAttempts` times.
    public func execute(_ command: CommandEnvelope) async throws -> CommandOutcome {
        guard let handler = handlers[command.type] else {
            return try await refuse(command, [ValidationReason(code: "unknown-command", path: "type", message: "'\(command.type)' is not a command; known: \(commandTypes.joined(separator: ", "))")], attempts: 1)
        }
        var attempt = 0
        let owner = locks.newOwner()
        while true {
            attempt += 1
            let decision = Decision(command: command, now: EventTime.truncated(clock()), settings: settings, bus: self, owner: owner)
            let step: Step
            do {
                step = try await attemptOnce(command, decision, handler, attempt: attempt)
            } catch let busy as StreamBusy {
                giveBack(decision)
                locks.unlock(decision.locked, owner: owner)
                await locks.waitUntilFree(busy.stream)
                attempt -= 1  // waiting for a lock is not a lost race
                continue
            } catch {
                cache.remove(decision.loaded.keys)
                locks.unlock(decision.locked, owner: owner)
                throw error
            }
            locks.unlock(decision.locked, owner: owner)
            switch step {
            case .done(let outcome): return outcome
            case .lostRace(let stream):
                guard attempt < maximumAttempts else { throw WarehouseError.tooManyConflicts(command: command.type, commandId: command.commandId, stream: stream) }
                try await Task.sleep(for: .microseconds(Int.random(in: 50...(100 * min(attempt, 20)))))
            }
        }
    }

    private enum Step {
        case done(CommandOutcome)
        case lostRace(StreamName)
    }

    private func attemptOnce(_ command: CommandEnvelope, _ decision: Decision, _ handler: Handler, attempt: Int) async throws -> Step {
        try await handler(decision)
        if decision.isRefused {
            giveBack(decision)
            return .done(try await refuse(command, decision.reasons, attempts: attempt))
        }
        let metadata = metadata(for: command)
        var appends = decision.appends(metadata: metadata)
        let written = appends.map { a in (a.stream, a.events.map(\.type)) }
        appends.append(StreamAppend(stream: WarehouseStreams.audit, events: [auditEvent(command, accepted: true, streams: written.map(\.0), reasons: [], metadata: metadata)]))
        let result: AppendResult
        // Once the append's place in the commit order is fixed, the next command on these
        // aggregates may decide on what this one leaves them at: its states go to the cache (not
        // yet durable) and its locks are let go, while this commit's fsync runs. The states are
        // handed over, not shared, so the next decision folds into them without copying.
        var owned = decision.handOver(written: true)
        for (stream, l) in decision.handOver(written: false) { if let entry = l.entry { cache.put(stream, entry) } }
        var ahead: [(StreamName, AggregateCache.Entry)] = []
        var snapshots: [Snapshot] = []
        let every = settings.snapshotEvery
        for a in appends {
            guard let l = owned[a.stream], let state = l.state, let last = a.events.last else { continue }
            let version = l.version + Int64(a.events.count)
            ahead.append((a.stream, AggregateCache.Entry(version: version, state: state, isDurable: false, lastEventId: last.id)))
            // Made now, while this decision owns the state; saved only once the commit is durable.
            if every > 0, (l.version + 1) / every != (version + 1) / every, let snapshot = state.snapshot {
                snapshots.append(Snapshot(stream: a.stream, version: version, state: snapshot.serialized()))
            }
        }
        let versions = ahead.map { ($0.0, $0.1.version) }
        let handoff = Handoff(ahead)
        // Nothing here may keep a reference to the states once they are handed over.
        (ahead, owned) = ([], [:])
        let (cache, locks, owner, lockedStreams) = (self.cache, self.locks, decision.owner, decision.locked)
        do {
            result = try await store.append(AppendTransaction(appends: appends, idempotencyKey: command.idempotencyKey)) {
                for (stream, entry) in handoff.take() { cache.put(stream, entry) }
                locks.unlock(lockedStreams, owner: owner)
            }
        } catch EventStoreError.wrongExpectedVersion(let stream, _, _) {
            cache.remove(decision.loaded.keys)
            return .lostRace(stream)
        } catch {
            cache.remove(decision.loaded.keys)
            throw error
        }
        if result.wasDuplicate {
            cache.remove(decision.loaded.keys)  // what was cached ahead never happened
            return .done(CommandOutcome(commandId: command.commandId, type: command.type, status: .duplicate, position: result.positions.last ?? 0, attempts: attempt))
        }
        for (stream, version) in versions {
            if result.streamVersions[stream] == version { cache.markDurable(stream, version: version) } else { cache.remove([stream]) }
        }
        save(snapshots)
        let events = written.flatMap { w in w.1.map { (stream: w.0, type: $0) } }
        return .done(CommandOutcome(commandId: command.commandId, type: command.type, status: .accepted, position: result.positions.last ?? 0, events: events, attempts: attempt))
    }

    /// Runs a command given as JSON (`type` in the body or named), for the REST API and CLI.
    public func execute(json: JSONValue, type: String? = nil, issuedBy: String) async throws -> CommandOutcome {
        let command: CommandEnvelope
        do { command = try CommandEnvelope(json: json, type: type, issuedBy: issuedBy) } catch {
            // Without an id the refusal cannot be idempotent: answer it, record nothing.
            return CommandOutcome(commandId: error.commandId, type: error.type, status: .rejected, reasons: error.reasons, position: 0)
        }
        return try await execute(command)
    }

    private func metadata(for command: CommandEnvelope) -> EventMetadata {
        EventMetadata(correlationId: command.correlationId ?? command.commandId, causationId: command.commandId, source: command.issuedBy,
                      extra: ["command": command.type])
    }

    private func auditEvent(_ command: CommandEnvelope, accepted: Bool, streams: [StreamName], reasons: [ValidationReason], metadata: EventMetadata) -> NewEvent {
        var data: JSONValue = ["commandId": .string(command.commandId), "command": .string(command.type), "issuedBy": .string(command.issuedBy),
                               "accepted": .bool(accepted), "streams": .array(streams.map { .string($0.rawValue) })]
        if !reasons.isEmpty, case .object(var o) = data {
            o["reasons"] = .array(reasons.map(\.json))
            data = .object(o)
        }
        return NewEvent(type: accepted ? "CommandAccepted" : "CommandRejected", data: data.serialized(), metadata: metadata)
    }

    /// Records the refusal (on `error-events`, with the command, so an operator can see and fix
    /// it) under the command's idempotency key: a redelivery is then a duplicate, not a second
    /// refusal.
    private func refuse(_ command: CommandEnvelope, _ reasons: [ValidationReason], attempts: Int) async throws -> CommandOutcome {
        let metadata = metadata(for: command)
        let type = command.type == "CreateOrder" ? "OrderRejected" : "CommandRejected"
        var data: [String: JSONValue] = ["commandId": .string(command.commandId), "command": .string(command.type), "issuedBy": .string(command.issuedBy),
                                         "reasons": .array(reasons.map(\.json)), "body": command.body]
        if let id = command.body["orderId"]?.stringValue { data["orderId"] = .string(id) }
        var object = JSONValue.object([:]).objectValue!
        for key in data.keys.sorted() { object[key] = data[key] }
        let rejection = NewEvent(type: type, data: JSONValue.object(object).serialized(), metadata: metadata)
        let result = try await store.append(AppendTransaction(appends: [
            StreamAppend(stream: WarehouseStreams.rejections, events: [rejection]),
            StreamAppend(stream: WarehouseStreams.audit, events: [auditEvent(command, accepted: false, streams: [], reasons: reasons, metadata: metadata)]),
        ], idempotencyKey: command.idempotencyKey))
        let status: CommandOutcome.Status = result.wasDuplicate ? .duplicate : .rejected
        return CommandOutcome(commandId: command.commandId, type: command.type, status: status, reasons: result.wasDuplicate ? [] : reasons,
                              position: result.positions.last ?? 0, events: result.wasDuplicate ? [] : [(WarehouseStreams.rejections, type)], attempts: attempts)
    }

    /// Returns the states a decision that will not commit only read (unchanged) to the cache;
    /// those it changed are dropped.
    private func giveBack(_ decision: Decision) {
        for (stream, l) in decision.handOver(written: false) { if let entry = l.entry { cache.put(stream, entry) } }
        _ = decision.handOver(written: true)
    }

    /// Saves the snapshots of aggregates whose commit crossed a multiple of `snapshotEvery`.
    private func save(_ snapshots: [Snapshot]) {
        guard !snapshots.isEmpty else { return }
        let (store, logger) = (self.store, self.logger)
        Task {
            for snapshot in snapshots {
                do { try await store.saveSnapshot(snapshot) } catch { logger.warning("snapshot of \(snapshot.stream) failed: \(error)") }
            }
        }
    }

    /// The aggregate in `stream` at its latest version: from the cache, else from its snapshot
    /// plus the events after it.
    ///
    /// - Parameter owned: for a decision holding the aggregate's lock: the cached state is taken
    ///   out of the cache (the decision hands it back), and one read from the log is not cached.
    ///   Otherwise (a query) only durable state is read.
    func loadAggregate<S: AggregateState>(_ type: S.Type, _ stream: StreamName, owned: Bool = false) async throws -> (Int64, S, lastEventId: UUID?) {
        if owned, let entry = cache.take(stream) {
            if let state = entry.state as? S { return (entry.version, state, entry.isDurable ? nil : entry.lastEventId) }
        } else if !owned, let entry = cache.get(stream), entry.isDurable, let state = entry.state as? S {
            return (entry.version, state, nil)
        }
        var state = S()
        var version: Int64 = -1
        if S.self is any SnapshotCapable.Type, let snapshot = try await store.loadSnapshot(stream) {
            do {
                state = try S(snapshot: try JSONValue(parsing: snapshot.state))
                version = snapshot.version
            } catch {
                logger.warning("snapshot of \(stream) unreadable, folding the whole stream: \(error)")
                state = S()
                version = -1
            }
        }
        while true {
            let page = try await store.readStream(stream, from: version + 1, direction: .forward, maxCount: 2048)
            for event in page {
                let data: JSONValue
                do { data = try JSONValue(parsing: event.data) } catch {
                    throw WarehouseError.corruptEvent(stream: stream, version: event.streamVersion, problem: "\(error)")
                }
                do { try state.apply(DomainEvent(event.type, data)) } catch {
                    throw WarehouseError.corruptEvent(stream: stream, version: event.streamVersion, problem: "\(error)")
                }
                version = event.streamVersion
            }
            if page.count < 2048 { break }
        }
        if !owned { cache.put(stream, AggregateCache.Entry(version: version, state: state)) }
        return (version, state, nil)
    }

    /// Reads an aggregate for a query (the CLI, tests, the saga), with the bus's cache.
    /// Only what is durable: never the state of a command whose commit is still running.
    public func read<S: AggregateState>(_ type: S.Type, _ stream: StreamName) async throws -> S {
        try await loadAggregate(type, stream).1
    }
}

/// Marks aggregates whose snapshots are worth loading before folding.
public protocol SnapshotCapable {}

/// What the core reports when it cannot run a command (not a refusal: those are outcomes).
public enum WarehouseError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooManyConflicts(command: String, commandId: String, stream: StreamName)
    case corruptEvent(stream: StreamName, version: Int64, problem: String)

    public var description: String {
        switch self {
        case let .tooManyConflicts(command, id, stream):
            "\(command) \(id): other writers changed \(stream) on every attempt; giving up"
        case let .corruptEvent(stream, version, problem):
            "\(stream)@\(version) cannot be folded: \(problem)"
        }
    }
}

/// The states a command hands to the cache when its append is queued: taken once, so that
/// nothing else keeps a reference to them while the commit runs.
private final class Handoff: Sendable {
    private let entries: Mutex<[(StreamName, AggregateCache.Entry)]>
    init(_ entries: [(StreamName, AggregateCache.Entry)]) { self.entries = Mutex(entries) }
    func take() -> [(StreamName, AggregateCache.Entry)] { entries.withLock { e in defer { e = [] }; return e } }
}
