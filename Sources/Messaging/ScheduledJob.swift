import EventStore

/// A job the `Scheduler` runs: its name (its cursor is `schedule-<name>`, or `timer-<name>` for
/// a timer), when it fires, and what it does.
///
/// The action returns what it wants committed for this firing (or nil for nothing); the
/// scheduler commits it together with the slot's cursor, so a firing's effects are durable
/// exactly when the slot counts as fired. An action that throws, or is cancelled, commits nothing
/// and its slot is fired again (after `retryDelay`, or after a restart).
///
/// ```swift
/// let job = ScheduledJob(name: "nightly-report", schedule: .every(.seconds(86_400), jitter: 0.1)) { firing in
///     AppendTransaction(appends: [StreamAppend(stream: "report-nightly", events: [
///         NewEvent(id: DeterministicEventID.make(namespace: DeterministicEventID.namespace, name: "report/\(firing.slot)"),
///                  type: "ReportDue", data: Array("{}".utf8))])])
/// }
/// ```
public struct ScheduledJob: Sendable {
    public var name: String
    public var schedule: ScheduleDefinition
    /// How soon a failed firing is tried again (never later than the next slot).
    public var retryDelay: Duration
    public var action: @Sendable (ScheduledFiring) async throws -> AppendTransaction?

    public init(name: String, schedule: ScheduleDefinition, retryDelay: Duration = .seconds(60),
                action: @escaping @Sendable (ScheduledFiring) async throws -> AppendTransaction?) {
        if case .every(let period, let jitter) = schedule {
            precondition(period > .zero, "a periodic job's period is positive")
            precondition(jitter >= 0 && jitter < 1, "a periodic job's jitter is a fraction in [0, 1)")
        }
        precondition(!name.isEmpty, "a scheduled job has a name")
        self.name = name
        self.schedule = schedule
        self.retryDelay = retryDelay
        self.action = action
    }

    /// The cursor that holds this job's progress.
    public var cursorName: String {
        switch schedule {
        case .every: "schedule-\(name)"
        case .timer: "timer-\(name)"
        }
    }
}
