import Foundation
import GRDB
import GRDBSQLite
import Logging
import Metrics
import Synchronization

/// Counters of the group-commit writer since the store opened.
public struct GroupCommitStatistics: Sendable, Equatable {
    /// SQLite transactions run (one fsync each when they commit).
    public var batches = 0
    /// Append transactions handled in them.
    public var transactions = 0
    public var largestBatch = 0
    /// Average append transactions per batch.
    public var averageBatchSize: Double { batches == 0 ? 0 : Double(transactions) / Double(batches) }
}

/// The store's single writer: a dedicated thread that drains every queued `AppendTransaction`,
/// runs each in its own savepoint inside one `BEGIN IMMEDIATE` transaction, commits once (one
/// fsync for the whole batch), and only then resumes the callers.
///
/// Batch window. EventStoreDB's writer flushes when its queue is empty, or when the time since the
/// last flush reaches that flush's own duration plus 2 ms. This writer gets the same adaptation
/// without a timer: it never waits for more work when it has some (the queue-empty rule), and
/// everything that arrives while a commit is running, i.e. during one fsync, forms the next batch.
/// A slower disk therefore makes batches larger by itself. `maximumBatchSize` caps a batch so a
/// large backlog is split and the first callers are not held behind an unbounded transaction
/// (the role of EventStoreDB's time bound).
///
/// One refinement, measured to matter: right after a commit the writer resumes all its callers,
/// and the first of them to append again used to find the writer idle and commit alone, leaving
/// the rest for the next fsync (16 concurrent appenders averaged ~11 per batch). So when the
/// queue holds fewer transactions than the previous batch had, the writer lingers until it holds
/// as many or a quarter of the previous commit's duration has passed (at most 2 ms). A lone
/// appender (previous batch of 1) never lingers; when concurrency drops, a batch waits at most
/// that quarter commit.
///
/// After a commit the writer stays awake for up to `spinAfterCommit` (60 µs), yielding the CPU
/// between looks at the queue, before it sleeps. A caller that appends in a loop, resumed by that
/// commit, is back within that time; finding the writer awake, its append needs no wakeup, and
/// waking a sleeping thread (futex, then an idle vCPU on a virtual machine) cost tens of
/// microseconds per batch: with batches of 100 events, (a) of EventStoreBenchmark went from a
/// median of 0.72 to 0.80 of raw sqlite3 (six alternating runs of (a) alone, one binary), and the
/// one-fsync-per-append comparator of (b) rose by about a third. The cost is bounded by 60 µs
/// of a yielding thread per commit, and an idle store does not spin.
///
/// The fsync runs on this thread, never on Swift's cooperative pool; callers suspend on a
/// continuation.
final class GroupCommitWriter: Sendable {
    private struct Pending {
        var transaction: AppendTransaction
        var continuation: CheckedContinuation<AppendResult, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var writerSleeping = false
        /// While the writer lingers: wake it once the queue holds this many (0: on any append).
        var lingerTarget = 0
        var closing = false
        var finished = false
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
        /// Test hook: while set, the writer leaves the queue alone (see `hold()`).
        var held = false
        var statistics = GroupCommitStatistics()
    }

    private let pool: DatabasePool
    private let walPath: String
    private let heads: HeadNotifier
    private let logger: Logger
    private let maximumBatchSize: Int
    private let walCheckpointThreshold: Int
    private let state = Mutex(State())
    private let wakeup = DispatchSemaphore(value: 0)
    private let committedAppends = Counter(label: "paklog_eventstore_appends_total", dimensions: [("outcome", "committed")])
    private let duplicateAppends = Counter(label: "paklog_eventstore_appends_total", dimensions: [("outcome", "duplicate")])
    private let failedAppends = Counter(label: "paklog_eventstore_appends_total", dimensions: [("outcome", "failed")])
    private let batchSize = Recorder(label: "paklog_eventstore_batch_size")
    private let commitDuration = Metrics.Timer(label: "paklog_eventstore_commit_duration_seconds")

    /// Milliseconds a connection waits on a lock held by another connection or process.
    static let busyTimeoutMilliseconds: Int32 = 5000
    /// How long a scheduled WAL checkpoint waits for readers to leave the WAL before it gives up
    /// until next time (writes queue meanwhile, so keep it short).
    private static let checkpointBusyMilliseconds: Int32 = 200
    /// Upper bound of the linger (see the type's documentation).
    private static let maximumLinger = Duration.milliseconds(2)
    /// How many commits pass between checks of the WAL size.
    private static let walCheckInterval = 16

    private let checkpointer: WALCheckpointer

    init(pool: DatabasePool, path: String, heads: HeadNotifier, logger: Logger, maximumBatchSize: Int, walCheckpointThreshold: Int,
         checkpointer: WALCheckpointer) {
        self.pool = pool
        self.checkpointer = checkpointer
        self.walPath = path + "-wal"
        self.heads = heads
        self.logger = logger
        self.maximumBatchSize = max(1, maximumBatchSize)
        self.walCheckpointThreshold = walCheckpointThreshold
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "paklog.eventstore.writer"
        thread.start()
    }

    /// Queues `transaction` and returns once its batch is committed (or it failed).
    /// Cancelling the calling task does not withdraw a queued append: it may already be durable.
    /// `whenQueued` runs once the transaction is in the queue, i.e. its commit order is fixed
    /// (the writer may already be running it, or even have committed it).
    nonisolated(nonsending) func submit(_ transaction: AppendTransaction, whenQueued: (@Sendable () -> Void)? = nil) async throws -> AppendResult {
        try await withCheckedThrowingContinuation { continuation in
            let (accepted, wake) = state.withLock { state -> (Bool, Bool) in
                if state.closing { return (false, false) }
                state.queue.append(Pending(transaction: transaction, continuation: continuation))
                let wake = state.writerSleeping && state.queue.count >= state.lingerTarget
                if wake { state.writerSleeping = false }
                return (true, wake)
            }
            if !accepted { continuation.resume(throwing: EventStoreError.closed); return }
            whenQueued?()
            if wake { wakeup.signal() }
        }
    }

    /// Refuses new appends, lets the writer commit everything already queued, and returns when
    /// the writer thread has finished.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (finished, wake) = state.withLock { state -> (Bool, Bool) in
                if state.finished { return (true, false) }
                state.closing = true
                state.closeWaiters.append(continuation)
                let wake = state.writerSleeping
                state.writerSleeping = false
                return (false, wake)
            }
            if finished { continuation.resume() }
            if wake { wakeup.signal() }
        }
    }

    /// Asks the writer to finish without waiting for it (the store's deinit).
    func requestStop() {
        let wake = state.withLock { state -> Bool in
            state.closing = true
            let wake = state.writerSleeping
            state.writerSleeping = false
            return wake
        }
        if wake { wakeup.signal() }
    }

    /// Test hook: keeps queued appends waiting until `release()`, so a test can build one batch.
    func hold() { state.withLock { $0.held = true } }

    func release() {
        let wake = state.withLock { state -> Bool in
            state.held = false
            let wake = state.writerSleeping
            state.writerSleeping = false
            return wake
        }
        if wake { wakeup.signal() }
    }

    /// Appends waiting for the writer.
    var queuedCount: Int { state.withLock { $0.queue.count } }

    /// Batches (SQLite transactions) the writer has run, committed or not.
    var batchCount: Int { state.withLock { $0.statistics.batches } }

    var statistics: GroupCommitStatistics { state.withLock { $0.statistics } }

    private enum Next {
        case batch([Pending])
        case sleep
        case linger
        case spin
        case finish([CheckedContinuation<Void, Never>])
    }

    private func run() {
        var commitsSinceWALCheck = 0
        var previousBatchSize = 0
        var lingerBudget = Duration.zero
        var lingered = false
        var spinUntil: ContinuousClock.Instant?
        var lastSlowCommitWarning: ContinuousClock.Instant?
        var slowCommitsNotLogged = 0
        let clock = ContinuousClock()
        while true {
            let next: Next = state.withLock { state in
                if state.queue.isEmpty || (state.held && !state.closing) {
                    if state.closing {
                        state.finished = true
                        defer { state.closeWaiters = [] }
                        return .finish(state.closeWaiters)
                    }
                    state.lingerTarget = 0
                    if let until = spinUntil, !state.held, clock.now < until { return .spin }
                    state.writerSleeping = true
                    return .sleep
                }
                let lingerWanted = !lingered && lingerBudget > .zero
                if lingerWanted, !state.closing, previousBatchSize > state.queue.count {
                    state.lingerTarget = previousBatchSize
                    state.writerSleeping = true
                    return .linger
                }
                state.lingerTarget = 0
                state.writerSleeping = false
                if state.queue.count <= maximumBatchSize {
                    defer { state.queue = [] }
                    return .batch(state.queue)
                }
                let batch = Array(state.queue.prefix(maximumBatchSize))
                state.queue.removeFirst(maximumBatchSize)
                return .batch(batch)
            }
            switch next {
            case .spin:
                sched_yield()
            case .sleep:
                wakeup.wait()
            case .linger:
                let nanoseconds = Int(lingerBudget.components.attoseconds / 1_000_000_000) + Int(lingerBudget.components.seconds) * 1_000_000_000
                _ = wakeup.wait(timeout: .now() + .nanoseconds(nanoseconds))
                lingered = true
            case .finish(let waiters):
                for waiter in waiters { waiter.resume() }
                return
            case .batch(let batch):
                lingered = false
                let started = clock.now
                let applying = commit(batch)
                let duration = clock.now - started
                if duration >= Self.slowCommit {
                    // The time to the next write is set by this one: say where it went (statements,
                    // or SQLite's COMMIT: the WAL fsync plus any automatic checkpoint). At most one
                    // line a minute: a slow disk must not flood the log.
                    if let last = lastSlowCommitWarning, last.duration(to: clock.now) < .seconds(60) {
                        slowCommitsNotLogged += 1
                    } else {
                        logger.warning("slow event store commit", metadata: [
                            "milliseconds": "\(Self.milliseconds(duration))", "statementsMilliseconds": "\(Self.milliseconds(applying))",
                            "transactions": "\(batch.count)", "slowCommitsSincePreviousWarning": "\(slowCommitsNotLogged)"])
                        lastSlowCommitWarning = clock.now
                        slowCommitsNotLogged = 0
                    }
                }
                commitDuration.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
                batchSize.record(batch.count)
                lingerBudget = min(duration / 4, Self.maximumLinger)
                previousBatchSize = batch.count
                spinUntil = clock.now + Self.spinAfterCommit
                state.withLock {
                    $0.statistics.batches += 1
                    $0.statistics.transactions += batch.count
                    $0.statistics.largestBatch = max($0.statistics.largestBatch, batch.count)
                }
                commitsSinceWALCheck += 1
                if commitsSinceWALCheck >= Self.walCheckInterval {
                    commitsSinceWALCheck = 0
                    checkpointWALIfLarge()
                }
            }
        }
    }

    /// Commits `batch`; returns the time spent before SQLite's COMMIT.
    private func commit(_ batch: [Pending]) -> Duration {
        let clock = ContinuousClock()
        let started = clock.now
        var applying = Duration.zero
        let recordedAt = Date().timeIntervalSince1970
        var outcomes: [Result<AppendResult, any Error>] = []
        outcomes.reserveCapacity(batch.count)
        do {
            try pool.writeWithoutTransaction { db in
                let connection = db.sqliteConnection!
                try db.inTransaction(.immediate) {
                    let writer = AppendTransactionWriter(db)
                    for pending in batch {
                        do {
                            outcomes.append(.success(try writer.apply(pending.transaction, recordedAt: recordedAt)))
                        } catch {
                            // SQLite rolls the whole transaction back on some errors (disk full,
                            // I/O): then nothing of this batch can commit.
                            if sqlite3_get_autocommit(connection) != 0 { throw error }
                            outcomes.append(.failure(Self.storeError(error)))
                        }
                    }
                    applying = clock.now - started
                    return .commit
                }
            }
        } catch {
            let failure = Self.storeError(error)
            logger.error("event store batch commit failed", metadata: ["error": "\(failure)", "transactions": "\(batch.count)"])
            // Answers decided inside the failed transaction (wrong version …) stay true; every
            // success is withdrawn, and transactions not reached fail with the commit's error.
            outcomes = batch.indices.map { index in
                if index < outcomes.count, case .failure = outcomes[index] { return outcomes[index] }
                return .failure(failure)
            }
        }
        var head: Int64 = 0
        for outcome in outcomes {
            switch outcome {
            case .success(let result) where result.wasDuplicate:
                duplicateAppends.increment()
            case .success(let result):
                committedAppends.increment()
                if let last = result.positions.last, last > head { head = last }
            case .failure:
                failedAppends.increment()
            }
        }
        if head > 0 { heads.advance(to: head) }
        for (pending, outcome) in zip(batch, outcomes) {
            pending.continuation.resume(with: outcome)
        }
        return applying
    }

    /// How long the writer stays awake after a commit for the next append (see the type's
    /// documentation).
    static let spinAfterCommit = Duration.microseconds(60)

    /// Commits at least this long are logged.
    static let slowCommit = Duration.milliseconds(100)

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    static func storeError(_ error: any Error) -> EventStoreError {
        switch error {
        case let error as EventStoreError: error
        case let error as DatabaseError: .storage(error.description)
        default: .storage(String(describing: error))
        }
    }

    /// Keeps the WAL bounded: readers that never pause starve SQLite's passive auto-checkpoint,
    /// so past the threshold the writer runs a TRUNCATE checkpoint, which waits briefly for
    /// readers to move off the WAL and then empties it (https://www.sqlite.org/wal.html).
    private func checkpointWALIfLarge() {
        var info = stat()
        guard stat(walPath, &info) == 0, Int(info.st_size) > walCheckpointThreshold else { return }
        let (code, logFrames, checkpointed) = checkpointer.exclusively { pool.writeWithoutTransaction { db -> (Int32, Int32, Int32) in
            let connection = db.sqliteConnection!
            sqlite3_busy_timeout(connection, Self.checkpointBusyMilliseconds)
            defer { sqlite3_busy_timeout(connection, Self.busyTimeoutMilliseconds) }
            var logFrames: Int32 = 0
            var checkpointed: Int32 = 0
            let code = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_TRUNCATE, &logFrames, &checkpointed)
            return (code, logFrames, checkpointed)
        } }
        if code != SQLITE_OK {
            logger.debug("WAL checkpoint incomplete, retrying later", metadata: [
                "code": "\(code)", "walFrames": "\(logFrames)", "checkpointed": "\(checkpointed)"])
        }
    }
}
