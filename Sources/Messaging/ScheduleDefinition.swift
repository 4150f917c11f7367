/// When a scheduled job fires.
public enum ScheduleDefinition: Sendable, Equatable {
    /// Periodically: slot `k` is due at `anchor + k * every + jitter(job, k)`, where the anchor is
    /// fixed the first time the job is seen (and kept in its cursor) and the jitter is a
    /// deterministic fraction `[0, jitter)` of `every` drawn from the job's name and `k`, so that
    /// a restart computes the same times. Jobs of several daemons started together spread out.
    ///
    /// - Precondition: `every` is positive and `0 <= jitter < 1`.
    case every(Duration, jitter: Double = 0)
    /// Once, at the time stored by `Scheduler.schedule(timer:at:)` (or committed with
    /// `Scheduler.arming(timer:at:)`); nothing until then, and nothing after it fired.
    case timer

    /// `every`'s period in milliseconds (at least 1).
    var periodMilliseconds: Int64 {
        guard case .every(let period, _) = self else { return 0 }
        let (seconds, attoseconds) = period.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
