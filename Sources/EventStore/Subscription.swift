import Synchronization

/// A catch-up-then-live reader of the log with an optional durable checkpoint: the one way to
/// read the log as a consumer (route consumers, `paklog events read --follow`, projections).
///
/// Iterate it to receive the matching events in log order, first those already stored after the
/// checkpoint, then new ones as they are committed. Acknowledge each event once it is handled;
/// the subscription persists only a gap-free prefix of handled positions (see
/// `CheckpointTracker`), so a restart resumes after the last event that was handled together with
/// everything before it, never after an unhandled one. Positions the filter skips count as handled.
///
/// ```swift
/// let subscription = store.subscribe(name: "route-orders", filter: .category("inbox"))
/// for try await event in subscription {
///     try await route(event)
///     try await subscription.acknowledge(event)
/// }
/// // elsewhere, on shutdown:
/// try await subscription.stop()   // ends the loop above and persists the checkpoint
/// ```
///
/// A consumer that commits its checkpoint in the same transaction as the effects of the events
/// it handled (the effectively-once rule) reads pages instead, asks `checkpoint(handling:)` what
/// to commit, and reports the commit with `handled(_:committed:)`:
///
/// ```swift
/// while let events = try await subscription.nextPage(waitingAtMost: .seconds(1)) {
///     let effects = handle(events)
///     let move = subscription.checkpoint(handling: events.map(\.position))
///     try await store.append(AppendTransaction(appends: effects, checkpoint: move))
///     subscription.handled(events.map(\.position), committed: move)
/// }
/// ```
///
/// Catch-up and live are one loop: read a page after the last scanned position; when it is
/// empty, wait until the head moves past that position. No event written during the switch can
/// be missed, because the wait starts from the position the read covered. The wait also ends
/// after `pollInterval`, so that a reader in another process than the writer (whose commits it
/// is not told of) sees new events too.
///
/// A subscription is read once, by one task, either by iteration or by `nextPage`;
/// `acknowledge`, `commit`, `stop` and the properties may be used from any task (handlers may run
/// concurrently and acknowledge out of order).
public final class Subscription: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent

    /// The checkpoint name, or nil for a subscription that keeps no checkpoint.
    public let name: String?
    public let filter: EventFilter
    public let pageSize: Int
    /// The checkpoint is persisted whenever the safe position moved this many positions past the
    /// last persisted one (and always on `commit()`, `stop()`, and when the subscription is idle).
    public let checkpointEvery: Int64
    /// The longest wait for new events before the log is read again.
    public let pollInterval: Duration
    private let store: any EventStore
    private let startingAfter: Int64

    private struct State {
        var tracker: CheckpointTracker?
        var persisted: Int64 = 0
        /// The position the next read starts after (nil before the start).
        var readPosition: Int64?
        var caughtUp = false
        var stopped = false
        var reading: Reading?
        var waitTask: Task<Bool, any Error>?
        var saveTask: Task<Void, any Error>?
    }

    private enum Reading { case iteration, pages }

    private let state = Mutex(State())

    init(store: any EventStore, name: String?, filter: EventFilter, pageSize: Int, startingAfter: Int64, checkpointEvery: Int64,
         pollInterval: Duration) {
        precondition(pageSize > 0, "a subscription reads at least one event per page")
        self.store = store
        self.name = name
        self.filter = filter
        self.pageSize = pageSize
        self.startingAfter = startingAfter
        self.checkpointEvery = Swift.max(1, checkpointEvery)
        self.pollInterval = pollInterval
    }

    /// True once a read has reached the head of the log (for readiness probes). It turns false
    /// again while the subscription reads full pages behind the head.
    public var isCaughtUp: Bool { state.withLock { $0.caughtUp } }

    /// The position up to which every event is handled or skipped (not necessarily persisted).
    public var safePosition: Int64 { state.withLock { $0.tracker?.safePosition ?? startingAfter } }

    /// The last checkpoint written by this subscription (or read at its start).
    public var checkpointPosition: Int64 { state.withLock { $0.persisted } }

    /// Marks the event at `position` handled. Persists the checkpoint when it has moved
    /// `checkpointEvery` positions. Acknowledging a position that was not delivered, or twice, is
    /// ignored.
    public func acknowledge(_ position: Int64) async throws {
        let due = state.withLock { state -> Bool in
            guard state.tracker != nil, state.tracker!.acknowledge(position) else { return false }
            return state.tracker!.safePosition - state.persisted >= checkpointEvery
        }
        if due { try await commit() }
    }

    /// Marks `event` handled; see `acknowledge(_:)`.
    public func acknowledge(_ event: RecordedEvent) async throws {
        try await acknowledge(event.position)
    }

    /// The checkpoint that holds once the delivered events at `positions` are handled, for a
    /// consumer that commits it in the same transaction as their effects; nil without a name.
    /// Nothing changes until `handled(_:committed:)`.
    public func checkpoint(handling positions: [Int64]) -> Checkpoint? {
        guard let name else { return nil }
        let safe = state.withLock { state -> Int64 in
            guard var tracker = state.tracker else { return startingAfter }
            for position in positions { tracker.acknowledge(position) }
            return tracker.safePosition
        }
        return Checkpoint(name: name, position: safe)
    }

    /// Marks the delivered events at `positions` handled, their effects committed together with
    /// `committed` (a checkpoint from `checkpoint(handling:)`, or nil when nothing was committed:
    /// the next `commit()` persists the move then).
    public func handled(_ positions: [Int64], committed: Checkpoint?) {
        state.withLock { state in
            for position in positions { state.tracker?.acknowledge(position) }
            if let committed { state.persisted = Swift.max(state.persisted, committed.position) }
        }
    }

    /// Persists the safe position now, if it moved. Saves run one after another, so a checkpoint
    /// never goes backwards.
    public func commit() async throws {
        guard let name else { return }
        // Nothing to save (the common case of a consumer that commits its own checkpoint): no
        // task. A save still in flight has not raised `persisted` yet, so it is waited for.
        guard state.withLock({ ($0.tracker?.safePosition ?? startingAfter) > $0.persisted }) else { return }
        let store = self.store
        let task = state.withLock { state -> Task<Void, any Error> in
            let previous = state.saveTask
            let task = Task {
                _ = await previous?.result
                let target: Int64? = self.state.withLock { state in
                    guard let safe = state.tracker?.safePosition, safe > state.persisted else { return nil }
                    return safe
                }
                guard let target else { return }
                try await store.saveCheckpoint(Checkpoint(name: name, position: target))
                self.state.withLock { $0.persisted = Swift.max($0.persisted, target) }
            }
            state.saveTask = task
            return task
        }
        try await task.value
    }

    /// Ends the reading (the loop's `next()` and `nextPage` return nil, also when they are
    /// waiting for new events) and persists the checkpoint.
    public func stop() async throws {
        let waitTask = state.withLock { state -> Task<Bool, any Error>? in
            state.stopped = true
            return state.waitTask
        }
        waitTask?.cancel()
        try await commit()
    }

    public var isStopped: Bool { state.withLock { $0.stopped } }

    public func makeAsyncIterator() -> Iterator {
        claimReading(.iteration)
        return Iterator(subscription: self)
    }

    /// The next events after those returned before: a page of up to `pageSize` events, or an
    /// empty array when none arrived within `waitingAtMost` (at most `pollInterval`); nil once
    /// the subscription is stopped. For consumers that batch their commits; see the type's
    /// description. Not to be mixed with iteration.
    public func nextPage(waitingAtMost limit: Duration? = nil) async throws -> [RecordedEvent]? {
        state.withLock { state in
            if state.reading == nil { state.reading = .pages }
            precondition(state.reading == .pages, "a subscription that is iterated cannot also be read by pages")
        }
        guard let page = try await readNextPage() else { return nil }
        if !page.events.isEmpty { return page.events }
        let wait = Swift.min(limit ?? pollInterval, pollInterval)
        guard try await waitForEvents(after: page.scannedThrough, atMost: wait) else { return nil }
        return []
    }

    private func claimReading(_ way: Reading) {
        state.withLock { state in
            precondition(state.reading == nil, "a subscription is read once, by iteration or by pages")
            state.reading = way
        }
    }

    /// Reads the page after what the last read covered (after the checkpoint, or
    /// `startingAfter`, the first time); nil once stopped.
    fileprivate func readNextPage() async throws -> LogPage? {
        let position = state.withLock { $0.readPosition }
        return try await read(after: position == nil ? try await start() : position!)
    }

    /// Loads the starting position: the stored checkpoint, else `startingAfter`.
    private func start() async throws -> Int64 {
        var position = startingAfter
        if let name, let stored = try await store.loadCheckpoint(name) { position = stored }
        state.withLock { state in
            state.tracker = CheckpointTracker(startingAfter: position)
            state.persisted = position
            state.readPosition = position
        }
        return position
    }

    private func read(after position: Int64) async throws -> LogPage? {
        if state.withLock({ $0.stopped }) { return nil }
        let page = try await store.readAll(after: position, filter: filter, maxCount: pageSize)
        state.withLock { state in
            state.tracker!.delivered(page.events.map(\.position), scannedThrough: page.scannedThrough)
            state.caughtUp = page.events.count < pageSize
            state.readPosition = page.scannedThrough
        }
        return page
    }

    /// Waits for the head to pass `position`, at most `limit`. Returns false when the
    /// subscription was stopped.
    fileprivate func waitForEvents(after position: Int64, atMost limit: Duration) async throws -> Bool {
        // Filter-skipped positions are progress too: persist them before idling.
        if state.withLock({ $0.tracker!.safePosition - $0.persisted > 0 }) { try await commit() }
        let store = self.store
        let waitTask = Task<Bool, any Error> {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask { try await store.waitForHead(after: position); return true }
                group.addTask { try await Task.sleep(for: limit); return false }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        }
        let stopped = state.withLock { state in
            state.waitTask = waitTask
            return state.stopped
        }
        if stopped { waitTask.cancel() }
        do {
            _ = try await withTaskCancellationHandler {
                try await waitTask.value
            } onCancel: {
                waitTask.cancel()
            }
        } catch is CancellationError {
            if state.withLock({ $0.stopped }) { return false }
            throw CancellationError()
        }
        return !state.withLock { $0.stopped }
    }

    public struct Iterator: AsyncIteratorProtocol {
        private let subscription: Subscription
        private var buffer: [RecordedEvent] = []
        private var index = 0

        fileprivate init(subscription: Subscription) { self.subscription = subscription }

        public mutating func next() async throws -> RecordedEvent? {
            while true {
                if subscription.isStopped { return nil }
                if index < buffer.count {
                    defer { index += 1 }
                    return buffer[index]
                }
                try Task.checkCancellation()
                guard let page = try await subscription.readNextPage() else { return nil }
                buffer = page.events
                index = 0
                if buffer.isEmpty, try await !subscription.waitForEvents(after: page.scannedThrough, atMost: subscription.pollInterval) {
                    return nil
                }
            }
        }
    }
}

extension EventStore {
    /// A subscription to the log (see `Subscription`).
    ///
    /// - Parameters:
    ///   - name: The durable checkpoint's name; the subscription starts after the stored
    ///     checkpoint. Nil keeps no checkpoint.
    ///   - filter: Which events are delivered; the checkpoint moves over the others too.
    ///   - pageSize: Events per read.
    ///   - startingAfter: Where to start when no checkpoint is stored (0: the beginning of the log).
    ///   - checkpointEvery: How many positions the safe position moves before it is persisted.
    ///   - pollInterval: The longest wait for new events before reading again (a writer in
    ///     another process does not wake this one's waits).
    public func subscribe(name: String? = nil, filter: EventFilter = .all, pageSize: Int = 512,
                          startingAfter: Int64 = 0, checkpointEvery: Int64 = 256,
                          pollInterval: Duration = .seconds(1)) -> Subscription {
        Subscription(store: self, name: name, filter: filter, pageSize: pageSize,
                     startingAfter: startingAfter, checkpointEvery: checkpointEvery, pollInterval: pollInterval)
    }
}
