import EventStore
import Foundation
import JSON
import Logging
import Metrics
import Synchronization

/// Runs periodic jobs and one-shot timers durably: each schedule slot is fired once, never twice,
/// across restarts and crashes.
///
/// How: a job's progress lives in a cursor of the event store (`schedule-<job>`: the anchor of its
/// slots and the last slot fired; `timer-<name>`: the time and whether it fired). A firing runs
/// the job's action, then commits the transaction the action returned together with the cursor
/// update `lastSlot = k`, compare-and-set against the cursor it started from. So the firing's
/// effects are durable exactly when the slot is; a crash before the commit fires the same slot
/// again after the restart (its effects were not written), and two schedulers on one store cannot
/// both commit a slot (the second gets a cursor conflict and drops its firing). Slots missed
/// while the daemon was down are coalesced: the latest due one fires once, then the job goes on
/// on schedule. The pure slot arithmetic is in `PeriodicSlots`; this is its I/O shell.
///
/// Time comes from the injected `MessagingClock`: `fireIfDue(_:)` is one step that tests drive
/// with a controlled clock; `run(_:)` repeats it in the caller's task until cancelled.
///
/// Metrics (swift-metrics, dimension `job`): `paklog_scheduler_firings_total`,
/// `paklog_scheduler_failures_total`, `paklog_scheduler_last_run_timestamp_seconds` and
/// `paklog_scheduler_next_run_timestamp_seconds`.
///
/// ```swift
/// let scheduler = Scheduler(store: store, logger: logger)
/// let job = ScheduledJob(name: "prune", schedule: .every(.seconds(86_400), jitter: 0.05)) { _ in
///     try await store.pruneIdempotencyKeys(recordedBefore: Date() - 30 * 86_400)
///     return nil
/// }
/// await scheduler.run(job)  // until the task is cancelled
/// ```
public final class Scheduler: Sendable {
    public let store: any EventStore
    private let clock: any MessagingClock
    private let logger: Logger
    private let jobs = Mutex<[String: JobState]>([:])
    /// The longest `run` sleeps before looking again: wall-clock jumps and timers armed by others
    /// are noticed within this.
    private let maximumSleep: Duration

    private struct JobState {
        var status: SchedulerStatus
        /// After a failure: no new attempt before this (milliseconds since 1970).
        var retryNotBefore: Int64?
        let metrics: JobMetrics
    }

    private struct JobMetrics {
        let firings: Counter
        let failures: Counter
        let lastRun: Gauge
        let nextRun: Gauge

        init(job: String) {
            let dimensions = [("job", job)]
            firings = Counter(label: "paklog_scheduler_firings_total", dimensions: dimensions)
            failures = Counter(label: "paklog_scheduler_failures_total", dimensions: dimensions)
            lastRun = Gauge(label: "paklog_scheduler_last_run_timestamp_seconds", dimensions: dimensions)
            nextRun = Gauge(label: "paklog_scheduler_next_run_timestamp_seconds", dimensions: dimensions)
        }
    }

    public init(store: any EventStore, clock: any MessagingClock = SystemClock(), maximumSleep: Duration = .seconds(1),
                logger: Logger = Logger(label: "paklog.messaging.scheduler")) {
        self.store = store
        self.clock = clock
        self.maximumSleep = maximumSleep
        self.logger = logger
    }

    // MARK: Running

    /// Fires `job` whenever it is due, until the calling task is cancelled. Failures are logged,
    /// counted and shown in `status()`; the job is tried again after its `retryDelay` (or at its
    /// next slot, if that comes first).
    public func run(_ job: ScheduledJob) async {
        // A job that stops (its source removed by a reload) leaves the status page with it.
        defer { jobs.withLock { _ = $0.removeValue(forKey: job.name) } }
        while !Task.isCancelled {
            do {
                try await fireIfDue(job)
            } catch is CancellationError {
                return
            } catch {
                // Recorded by fireIfDue; the loop goes on.
            }
            let now = EventTime.milliseconds(clock.now())
            let wake = jobs.withLock { state -> Int64? in
                guard let s = state[job.name] else { return nil }
                let next = s.status.nextRun.map(EventTime.milliseconds)
                switch (next, s.retryNotBefore) {
                case let (n?, r?): return max(n, r)
                case let (n?, nil): return n
                case let (nil, r?): return r
                case (nil, nil): return nil
                }
            }
            var pause = maximumSleep
            if let wake { pause = min(pause, .milliseconds(max(0, wake - now))) }
            try? await Task.sleep(for: max(pause, .milliseconds(1)))
        }
    }

    /// Fires `job` once if it is due now and commits the firing; returns it, or nil when nothing
    /// was due (or another scheduler committed the slot first). Throws what the action threw
    /// (nothing is committed then), or the store's error.
    @discardableResult
    public func fireIfDue(_ job: ScheduledJob) async throws -> ScheduledFiring? {
        let now = EventTime.milliseconds(clock.now())
        ensureTracked(job)
        if let notBefore = jobs.withLock({ $0[job.name]?.retryNotBefore }), now < notBefore { return nil }
        guard let due = try await dueFiring(job, now: now) else { return nil }
        let firing = ScheduledFiring(job: job.name, slot: due.slot, scheduledAt: date(due.scheduledAt), firedAt: date(now))
        var transaction: AppendTransaction
        do {
            transaction = try await job.action(firing) ?? AppendTransaction(appends: [])
            // A firing cancelled before its commit commits nothing: it is fired again later.
            try Task.checkCancellation()
        } catch {
            recordFailure(job, error: error, now: now, nextSlot: due.nextSlotTime)
            throw error
        }
        let cursor = CursorUpdate(name: job.cursorName, value: due.progress.encoded(), expected: .value(due.previous))
        transaction.cursors.append(cursor)
        do {
            let result = try await store.append(transaction)
            if result.wasDuplicate, transaction.idempotencyKey != nil {
                // The action's key was committed before, so nothing of this transaction (cursor
                // included) was written; the slot still has to count as fired.
                try await store.append(AppendTransaction(appends: [], cursors: [cursor]))
            }
        } catch EventStoreError.cursorConflict {
            logger.notice("scheduled slot committed by another scheduler; this firing is dropped",
                          metadata: ["job": "\(job.name)", "slot": "\(due.slot)"])
            return nil
        } catch {
            recordFailure(job, error: error, now: now, nextSlot: due.nextSlotTime)
            throw error
        }
        recordSuccess(job, firing: firing, nextRun: due.nextRunAfterCommit)
        return firing
    }

    // MARK: Timers

    /// Arms (or re-arms) the timer `name` to fire once at `date`; durable when this returns. Its
    /// job (`ScheduledJob` with schedule `.timer` and the same name) fires it.
    public func schedule(timer name: String, at date: Date) async throws {
        _ = try await store.append(AppendTransaction(appends: [], cursors: [Self.arming(timer: name, at: date)]))
    }

    /// The cursor update that arms the timer `name` for `date`, for committing together with the
    /// events that made the timer necessary (a saga's timeout with its step).
    public static func arming(timer name: String, at date: Date) -> CursorUpdate {
        CursorUpdate(name: "timer-\(name)", value: ScheduleProgress.timer(at: EventTime.milliseconds(date), firedAt: nil).encoded(), expected: .any)
    }

    // MARK: Status

    /// Every job this scheduler runs (or has fired with `fireIfDue`), by name.
    public func status() -> [SchedulerStatus] {
        jobs.withLock { $0.values.map(\.status) }.sorted { $0.job < $1.job }
    }

    /// `status()` as lines for `/readyz`.
    public func statusLines() -> [String] { status().map(\.line) }

    // MARK: Plumbing

    private struct DueFiring {
        var slot: Int64
        var scheduledAt: Int64
        /// The cursor as read (the compare-and-set expectation).
        var previous: [UInt8]
        /// The cursor after this firing.
        var progress: ScheduleProgress
        /// When the slot after this one is due (nil for a timer).
        var nextSlotTime: Int64?
        var nextRunAfterCommit: Int64?
    }

    /// Reads the job's cursor (creating a periodic job's anchor the first time) and says what is
    /// due at `now`; records the next run time either way.
    private func dueFiring(_ job: ScheduledJob, now: Int64) async throws -> DueFiring? {
        switch job.schedule {
        case .every(_, let jitter):
            let every = job.schedule.periodMilliseconds
            var stored = try await store.loadCursor(job.cursorName)
            if stored == nil {
                // The anchor is fixed once, durably, so that a restart computes the same slots.
                let initial = ScheduleProgress.periodic(anchor: now, every: every, lastSlot: -1, firedAt: nil).encoded()
                do {
                    _ = try await store.append(AppendTransaction(appends: [], cursors: [CursorUpdate(name: job.cursorName, value: initial, expected: .absent)]))
                } catch EventStoreError.cursorConflict {}
                stored = try await store.loadCursor(job.cursorName)
            }
            guard let stored, case let .periodic(anchor, storedEvery, lastSlot, firedAt)? = ScheduleProgress(decoding: stored.value) else {
                throw SchedulerError.unreadableCursor(job.cursorName)
            }
            let slots = PeriodicSlots(job: job.name, anchor: anchor, storedEvery: storedEvery, lastSlot: lastSlot, every: every, jitter: jitter)
            noteStored(job, lastRun: firedAt, nextRun: slots.nextTime(at: now))
            guard let slot = slots.slotToFire(at: now) else { return nil }
            return DueFiring(slot: slot, scheduledAt: slots.time(of: slot), previous: stored.value,
                             progress: .periodic(anchor: slots.anchor, every: every, lastSlot: slot, firedAt: now),
                             nextSlotTime: slots.time(of: slot + 1), nextRunAfterCommit: slots.time(of: slot + 1))
        case .timer:
            guard let stored = try await store.loadCursor(job.cursorName) else {
                noteStored(job, lastRun: nil, nextRun: nil)
                return nil
            }
            guard case let .timer(at, firedAt)? = ScheduleProgress(decoding: stored.value) else {
                throw SchedulerError.unreadableCursor(job.cursorName)
            }
            noteStored(job, lastRun: firedAt, nextRun: firedAt == nil ? at : nil)
            guard firedAt == nil, at <= now else { return nil }
            return DueFiring(slot: 0, scheduledAt: at, previous: stored.value, progress: .timer(at: at, firedAt: now),
                             nextSlotTime: nil, nextRunAfterCommit: nil)
        }
    }

    private func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    private func ensureTracked(_ job: ScheduledJob) {
        jobs.withLock { state in
            if state[job.name] == nil {
                state[job.name] = JobState(status: SchedulerStatus(job: job.name), metrics: JobMetrics(job: job.name))
            }
        }
    }

    private func noteStored(_ job: ScheduledJob, lastRun: Int64?, nextRun: Int64?) {
        jobs.withLock { state in
            guard var s = state[job.name] else { return }
            if let lastRun { s.status.lastRun = date(lastRun) }
            s.status.nextRun = nextRun.map(date)
            if let nextRun { s.metrics.nextRun.record(Double(nextRun) / 1000) }
            state[job.name] = s
        }
    }

    private func recordSuccess(_ job: ScheduledJob, firing: ScheduledFiring, nextRun: Int64?) {
        jobs.withLock { state in
            guard var s = state[job.name] else { return }
            s.status.lastRun = firing.firedAt
            s.status.nextRun = nextRun.map(date)
            s.status.lastError = nil
            s.retryNotBefore = nil
            s.metrics.firings.increment()
            s.metrics.lastRun.record(firing.firedAt.timeIntervalSince1970)
            if let nextRun { s.metrics.nextRun.record(Double(nextRun) / 1000) }
            state[job.name] = s
        }
        logger.debug("scheduled job fired", metadata: ["job": "\(job.name)", "slot": "\(firing.slot)"])
    }

    private func recordFailure(_ job: ScheduledJob, error: any Error, now: Int64, nextSlot: Int64?) {
        let (seconds, attoseconds) = job.retryDelay.components
        var retry = now + max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        if let nextSlot { retry = min(retry, max(now, nextSlot)) }
        let cancelled = error is CancellationError
        jobs.withLock { state in
            guard var s = state[job.name] else { return }
            s.retryNotBefore = retry
            if !cancelled {
                s.status.failures += 1
                s.status.lastError = "\(error)"
                s.metrics.failures.increment()
            }
            state[job.name] = s
        }
        if !cancelled {
            logger.error("scheduled job failed; it is tried again", metadata: [
                "job": "\(job.name)", "error": "\(error)", "retryAt": "\(date(retry))"])
        }
    }
}

/// What can go wrong in the scheduler itself (the actions' own errors pass through unchanged).
public enum SchedulerError: Error, Equatable, CustomStringConvertible {
    /// The job's cursor holds something that is not this kind of schedule's progress (a job that
    /// was periodic and is now a timer under the same name, say).
    case unreadableCursor(String)

    public var description: String {
        switch self {
        case .unreadableCursor(let name): "cursor '\(name)' does not hold a schedule's progress"
        }
    }
}
