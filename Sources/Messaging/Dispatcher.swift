import Collections
import EventStore
import Foundation
import JSON
import Logging
import Metrics
import Synchronization

/// A dispatcher's counters since it started (delivered/dead-lettered include those folded from
/// the stream at start).
public struct DispatcherStatus: Sendable, Equatable {
    /// False until the outbox stream has been read.
    public var loaded = false
    public var pending = 0
    public var inFlight = 0
    public var delivered = 0
    public var deadLettered = 0
    /// nil when the endpoint has no breaker.
    public var breakerState: CircuitBreaker.State?
}

/// Delivers one endpoint's outbox: the I/O shell around `OutboxLedger` (schedule), `RetryPolicy`
/// and `CircuitBreaker`.
///
/// - At start it folds `outbox-<endpoint>` into the ledger, so attempt counts and the next due
///   times are those recorded before a restart (the schedule resumes, it does not restart), and it
///   restores the breaker from the last `breaker-<endpoint>` event.
/// - Each due message is delivered in its own task, at most `maximumConcurrentDeliveries` at once;
///   a failing message is rescheduled, never retried in line, so it does not block those behind it.
///   Messages are therefore not delivered in queue order.
/// - Each attempt's outcome is appended in one transaction (attempt record, plus the dead letter
///   and the outbox's `MessageDeadLettered` when it was the last).
/// - An OPEN breaker sheds calls: due messages wait (without using up an attempt) until it admits
///   trial calls. Permanent failures (4xx) count as successes for the breaker: the partner is up.
/// - Cancellation is graceful: no new deliveries start, in-flight ones finish and are recorded.
public final class Dispatcher: Sendable {
    public let definition: EndpointDefinition
    private let store: any EventStore
    private let clock: any MessagingClock
    private let logger: Logger
    private let pollInterval: Duration
    /// Where the dispatcher's own tasks run (nil: the global executor); unstructured tasks do not
    /// inherit the caller's executor preference (SE-0417).
    private let executor: (any TaskExecutor)?
    private let statusBox = Mutex(DispatcherStatus())

    /// What the dispatcher is doing right now (for the ops console, health checks and tests).
    public var status: DispatcherStatus { statusBox.withLock { $0 } }

    /// - Parameters:
    ///   - pollInterval: how often due times and breaker waits are checked when nothing else
    ///     happens. Default 50 ms.
    ///   - executor: where the dispatcher's tasks run; nil for the global executor.
    public init(definition: EndpointDefinition, store: any EventStore, clock: any MessagingClock = SystemClock(),
                logger: Logger = Logger(label: "paklog.messaging.dispatcher"), pollInterval: Duration = .milliseconds(50),
                executor: (any TaskExecutor)? = nil) {
        self.definition = definition
        self.store = store
        self.clock = clock
        var logger = logger
        logger[metadataKey: "endpoint"] = "\(definition.name)"
        self.logger = logger
        self.pollInterval = pollInterval
        self.executor = executor
    }

    var outboxStream: StreamName { OutboxEvent.stream(forEndpoint: definition.name) }

    /// The endpoint's pending deliveries as recorded in the store (what a restarted dispatcher
    /// resumes from): attempts so far and next due time of each.
    public static func pendingDeliveries(endpoint: String, store: any EventStore) async throws -> [PendingDelivery] {
        var ledger = OutboxLedger(startingAfter: try await store.loadCheckpoint(settledCheckpointName(endpoint)) ?? -1)
        try await catchUp(&ledger, stream: OutboxEvent.stream(forEndpoint: endpoint), store: store)
        return Array(ledger.pending.values)
    }

    /// What happened since the main loop last looked. Wake-ups are coalesced (the stream keeps at
    /// most one), so a burst of commits or ticks costs one pass, not one pass each.
    private struct Mailbox: Sendable {
        var finished: [Finished] = []
        var storeChanged = true
        var shutdown = false
    }

    /// Shared between the loop and the tasks that feed it (a class so escaping closures can hold
    /// it). Its wake-up is deliberately not cancellation-aware: after cancellation the loop must go
    /// on until the in-flight deliveries have reported back.
    private final class SharedMailbox: Sendable {
        let state = Mutex(Mailbox())
        private let waiter = Mutex<(signalled: Bool, continuation: CheckedContinuation<Void, Never>?)>((false, nil))

        /// Wakes the loop (coalesced: many signals before it looks count once).
        func signal() {
            let c: CheckedContinuation<Void, Never>? = waiter.withLock { w in
                if let c = w.continuation {
                    w.continuation = nil
                    return c
                }
                w.signalled = true
                return nil
            }
            c?.resume()
        }

        /// Returns at once if signalled since the last call, else when next signalled.
        func wait() async {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = waiter.withLock { w -> Bool in
                    if w.signalled {
                        w.signalled = false
                        return true
                    }
                    w.continuation = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        }
    }

    private struct Finished: Sendable {
        var id: UUID
        var recorded: [OutboxEvent]
        var breakerSuccess: Bool?
        var duration: Duration
        var route: String? = nil
    }

    /// Delivers until cancelled; returns after the in-flight deliveries have been recorded.
    public func run() async throws {
        let settledName = Self.settledCheckpointName(definition.name)
        var ledger = OutboxLedger()
        var loadedSettled: Int64 = -1
        var breaker: CircuitBreaker?
        do {
            loadedSettled = try await store.loadCheckpoint(settledName) ?? -1
            ledger = OutboxLedger(startingAfter: loadedSettled)
            ledger.holdKeysOnDeadLetter = definition.ordering.onDeadLetter == .hold
            try await Self.catchUp(&ledger, stream: outboxStream, store: store)
            breaker = try await restoreBreaker()
        } catch where Task.isCancelled {
            return  // stopped before it started: nothing in flight
        }
        let metrics = DispatcherMetrics(endpoint: definition.name)
        metrics.breakerState(breaker?.state ?? .closed)
        logger.info("dispatcher started", metadata: ["pending": "\(ledger.pending.count)"])

        let mailbox = SharedMailbox()
        let store = self.store
        let watcher = Task(executorPreference: executor) {
            var seen = (try? await store.headPosition()) ?? 0
            while !Task.isCancelled {
                do { try await store.waitForHead(after: seen) } catch { break }
                seen = (try? await store.headPosition()) ?? seen
                mailbox.state.withLock { $0.storeChanged = true }
                mailbox.signal()
            }
        }
        let interval = pollInterval
        let ticker = Task(executorPreference: executor) {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                mailbox.signal()
            }
        }
        defer {
            watcher.cancel()
            ticker.cancel()
        }

        var inFlight = Set<UUID>()
        var savedSettled = loadedSettled
        var nextScanAt = Date.distantPast
        var lastSettledSave = ContinuousClock.now - .seconds(10)

        await withTaskCancellationHandler {
            mailbox.signal()
            while true {
                await mailbox.wait()
                let (finished, storeChanged, shuttingDown) = mailbox.state.withLock { box in
                    defer {
                        box.finished = []
                        box.storeChanged = false
                    }
                    return (box.finished, box.storeChanged, box.shutdown)
                }
                if storeChanged {
                    try? await Self.catchUp(&ledger, stream: outboxStream, store: store)
                }
                for f in finished {
                    inFlight.remove(f.id)
                    for event in f.recorded { ledger.apply(event, version: nil) }
                    metrics.record(f.recorded, route: f.route, duration: f.duration)
                    if var b = breaker, let success = f.breakerSuccess {
                        if let t = b.onResult(success: success, duration: f.duration, now: clock.now()) {
                            await persist([t])
                            metrics.breakerState(t.to)
                        }
                        breaker = b
                    }
                }
                let snapshot = DispatcherStatus(loaded: true, pending: ledger.pending.count, inFlight: inFlight.count,
                                                delivered: ledger.deliveredCount, deadLettered: ledger.deadLetteredCount,
                                                breakerState: breaker?.state)
                statusBox.withLock { $0 = snapshot }
                // Remember how much of the stream a restart may skip (only settled messages there).
                // `catchUp` has read every event up to `ledger.version`, so the value is exact.
                // At most once a second: it only shortens a restart, and every save is a commit.
                let settled = ledger.settledThrough
                if settled > savedSettled, lastSettledSave.duration(to: .now) >= .seconds(1) || shuttingDown,
                   await uncancelled({ try await store.saveCheckpoint(Checkpoint(name: settledName, position: settled)) }) {
                    savedSettled = settled
                    lastSettledSave = .now
                }
                if shuttingDown {
                    if inFlight.isEmpty { break }
                    continue
                }
                if var b = breaker, let t = b.tick(now: clock.now()) {
                    breaker = b
                    await persist([t])
                    metrics.breakerState(t.to)
                }
                // Start what is due, oldest first, up to the concurrency limit. The scan is skipped
                // while nothing changed and nothing is due yet (many pending messages scheduled
                // far ahead would otherwise be walked on every tick).
                let now = clock.now()
                let changed = storeChanged || !finished.isEmpty
                guard changed || now >= nextScanAt, inFlight.count < definition.maximumConcurrentDeliveries else { continue }
                var slots = definition.maximumConcurrentDeliveries - inFlight.count
                var starting: [(PendingDelivery, usesBreaker: Bool)] = []
                var transitions: [CircuitBreakerTransition] = []
                let earliest = ledger.forEachStartable(now: now, inFlight: inFlight) { delivery in
                    guard slots > 0 else { return false }  // more may be due: look again when a slot frees
                    var usesBreaker = false
                    // Only calls ask the breaker: ending an acknowledgment wait calls no one.
                    if delivery.step == .call, var b = breaker {
                        let (permission, changed) = b.tryAcquirePermission(now: now)
                        breaker = b
                        transitions += changed
                        guard permission == .permitted else {
                            metrics.shed()
                            return false  // ask the breaker again on the next tick
                        }
                        usesBreaker = true
                    }
                    slots -= 1
                    starting.append((delivery, usesBreaker))
                    return true
                }
                if !transitions.isEmpty {
                    await persist(transitions)
                    metrics.breakerState(breaker?.state ?? .closed)
                }
                for (delivery, usesBreaker) in starting {
                    inFlight.insert(delivery.message.id)
                    startDelivery(delivery, usesBreaker: usesBreaker) { result in
                        mailbox.state.withLock { $0.finished.append(result) }
                        mailbox.signal()
                    }
                }
                nextScanAt = earliest
            }
        } onCancel: {
            mailbox.state.withLock { $0.shutdown = true }
            mailbox.signal()
        }
        logger.info("dispatcher stopped", metadata: ["pending": "\(ledger.pending.count)"])
    }

    /// One attempt in its own unstructured task: cancelling `run()` must not abort a request that
    /// is half-way through (graceful shutdown lets it finish and records it).
    private func startDelivery(_ delivery: PendingDelivery, usesBreaker: Bool, done: @escaping @Sendable (Finished) -> Void) {
        let endpoint = definition.endpoint
        let policy = definition.retryPolicy
        let clock = self.clock
        let store = self.store
        let stream = outboxStream
        let logger = self.logger
        let name = definition.name
        let exchange = definition.exchangePattern
        let acknowledgment = definition.acknowledgment
        Task(executorPreference: executor) {
            let started = ContinuousClock.now
            var outcome: DeliveryOutcome
            switch delivery.step {
            case .call:
                do {
                    outcome = try await endpoint.deliver(delivery.message)
                } catch is CancellationError {
                    done(Finished(id: delivery.message.id, recorded: [], breakerSuccess: nil, duration: .zero))
                    return
                } catch {
                    outcome = .retryable(reason: "\(error)", statusCode: nil, retryAfter: nil)
                }
            case .acknowledgmentOverdue(let key):
                let reason = "no acknowledgment with key '\(key)' within \(acknowledgment.map { "\($0.timeout)" } ?? "its deadline")"
                outcome = acknowledgment?.onTimeout == .deadLetter ? .permanent(reason: reason, statusCode: nil)
                    : .retryable(reason: reason, statusCode: nil, retryAfter: nil)
            case .acknowledgmentRejected(let reason):
                outcome = .permanent(reason: "negative acknowledgment: \(reason)", statusCode: nil)
            }
            let duration = started.duration(to: .now)
            let now = clock.now()
            var awaiting: (key: String, deadline: Date)?
            if let acknowledgment, delivery.step == .call, case .delivered(_, let reply) = outcome, reply?.awaitsAcknowledgment != false {
                let key = Self.acknowledgmentKey(of: delivery.message, reply: reply, policy: acknowledgment, logger: logger)
                awaiting = (key, now.addingTimeInterval(acknowledgment.timeout.timeInterval))
            }
            let events = OutboxLedger.record(outcome: outcome, of: delivery, latency: duration, policy: policy,
                                             now: now, random: Double.random(in: 0..<1), awaiting: awaiting)
            var appends = [StreamAppend(stream: stream, events: events.map { $0.newEvent() })]
            if exchange == .inOut, delivery.step == .call, case .delivered(_, let reply?) = outcome {
                appends.append(StreamAppend(stream: ReplyEvent.stream(forEndpoint: name),
                                            events: [ReplyEvent.newEvent(reply, to: delivery.message, attempt: delivery.attemptCount + 1, at: now)]))
            }
            if case .deadLettered(_, _, let at, let reason)? = events.last {
                let attempts = delivery.attempts + events.compactMap { if case .attemptFailed(let a) = $0 { a } else { nil } }
                let letter = DeadLetter(message: delivery.message, attempts: attempts, reason: reason, at: at)
                appends.append(StreamAppend(stream: DeadLetter.stream(forEndpoint: name), events: [letter.newEvent()]))
                appends.append(StreamAppend(stream: DeliveryFailure.stream(forEndpoint: name), events: [DeliveryFailure.newEvent(letter)]))
                logger.warning("message dead-lettered", metadata: ["messageId": "\(delivery.message.id)", "reason": "\(reason)"])
            }
            do {
                _ = try await store.append(AppendTransaction(appends: appends))
                let success: Bool
                switch outcome {
                case .delivered, .permanent: success = true
                case .retryable: success = false
                }
                done(Finished(id: delivery.message.id, recorded: events, breakerSuccess: usesBreaker ? success : nil, duration: duration, route: delivery.message.route))
            } catch {
                // Not recorded: the message stays due and is attempted again (at-least-once; the
                // stable webhook-id lets the receiver drop the repeat).
                logger.error("could not record a delivery attempt", metadata: ["messageId": "\(delivery.message.id)", "error": "\(error)"])
                done(Finished(id: delivery.message.id, recorded: [], breakerSuccess: nil, duration: duration))
            }
        }
    }

    /// The key a delivered message's acknowledgment will carry: the policy's expression over
    /// `{headers, body, reply}` when one is configured (the operator said what answers it: a 997
    /// for an X12 file sent by AS2), else the endpoint's (from its answer: an AS2 Message-ID for
    /// an asynchronous MDN), else the message id.
    static func acknowledgmentKey(of message: OutboxMessage, reply: EndpointReply?, policy: AcknowledgmentPolicy, logger: Logger) -> String {
        let fallback = reply?.acknowledgmentKey ?? message.id.uuidString.lowercased()
        guard let expression = policy.key else { return fallback }
        var document: OrderedDictionary<String, JSONValue> = ["headers": .stringMap(message.headers), "body": message.body]
        if let reply {
            document["reply"] = ["statusCode": reply.statusCode.map { .number(Double($0)) } ?? .null, "headers": .stringMap(reply.headers),
                                 "body": (try? JSONValue(parsing: reply.body)) ?? .string(String(decoding: reply.body, as: UTF8.self))]
        }
        do {
            switch try expression.evaluate(.object(document)) {
            case .string(let s)?: return s
            case let other?: return String(decoding: other.serialized(), as: UTF8.self)
            case nil: break
            }
        } catch {
            logger.error("acknowledgment key expression failed; awaiting under the message id", metadata: ["messageId": "\(message.id)", "error": "\(error)"])
        }
        return fallback
    }

    private func persist(_ transitions: [CircuitBreakerTransition]) async {
        for t in transitions {
            logger.notice("circuit breaker \(t.from.rawValue) -> \(t.to.rawValue)", metadata: ["reason": "\(t.reason.rawValue)"])
        }
        let store = self.store
        let events = transitions.map { CircuitBreakerEvent.encode($0, endpoint: definition.name) }
        let stream = CircuitBreakerEvent.stream(forEndpoint: definition.name)
        if await !uncancelled({ try await store.append(to: stream, events) }) {
            logger.error("could not record a circuit breaker transition")
        }
    }

    private func restoreBreaker() async throws -> CircuitBreaker? {
        guard let configuration = definition.circuitBreaker else { return nil }
        let last = try await store.readStream(CircuitBreakerEvent.stream(forEndpoint: definition.name), from: nil, direction: .backward, maxCount: 1)
        if let event = last.first {
            return CircuitBreaker(configuration: configuration, restoring: try CircuitBreakerEvent.decode(event))
        }
        return CircuitBreaker(configuration: configuration, now: clock.now())
    }

    /// Runs a store write in a task of its own, so that a graceful stop (the dispatcher's task is
    /// cancelled) does not abort the write half-way. True when it succeeded.
    private func uncancelled(_ write: @escaping @Sendable () async throws -> Void) async -> Bool {
        await Task(executorPreference: executor) { (try? await write()) != nil }.value
    }

    /// The checkpoint holding the outbox stream version before which every message is settled
    /// (its `position` is a stream version of `outbox-<endpoint>`, not a log position).
    static func settledCheckpointName(_ endpoint: String) -> String { "outbox-settled-\(endpoint)" }

    static func catchUp(_ ledger: inout OutboxLedger, stream: StreamName, store: any EventStore) async throws {
        while true {
            let events = try await store.readStream(stream, from: ledger.version + 1, direction: .forward, maxCount: 512)
            for event in events {
                if let decoded = try OutboxEvent.decode(event) { ledger.apply(decoded, version: event.streamVersion) }
            }
            if events.count < 512 { return }
        }
    }
}
