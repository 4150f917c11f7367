import Foundation

/// One firing of a scheduled job, handed to its action.
public struct ScheduledFiring: Sendable, Equatable {
    /// The job's name.
    public var job: String
    /// The schedule slot being fired (0 for a timer). A firing that did not commit is fired again
    /// with the same slot, so effects derived from `job` and `slot` (event ids made with
    /// `DeterministicEventID`) are the same on the retry.
    public var slot: Int64
    /// When the slot was due.
    public var scheduledAt: Date
    /// When it actually fired (later than `scheduledAt` after downtime or a retry).
    public var firedAt: Date

    public init(job: String, slot: Int64, scheduledAt: Date, firedAt: Date) {
        self.job = job
        self.slot = slot
        self.scheduledAt = scheduledAt
        self.firedAt = firedAt
    }
}
