import Collections
import Foundation
import JSON

/// A message not yet delivered nor dead-lettered, with its attempts so far and when the next one
/// is due — all rebuilt from the outbox stream, so a restart resumes the schedule exactly.
public struct PendingDelivery: Sendable, Equatable {
    public var message: OutboxMessage
    public var attempts: [DeliveryAttempt]
    /// When the next attempt may start (the enqueue time for a message never tried).
    public var nextAttemptAt: Date

    /// Stream version of the message's `OutboxMessageQueued` event (-1 when not known).
    public var queuedVersion: Int64 = -1

    public var attemptCount: Int { attempts.count }

    public init(message: OutboxMessage, attempts: [DeliveryAttempt], nextAttemptAt: Date, queuedVersion: Int64 = -1) {
        self.message = message
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.queuedVersion = queuedVersion
    }
}

/// The pure fold of one `outbox-<endpoint>` stream: which messages are pending, and their
/// schedules. The dispatcher is its I/O shell; `OutboxLedger` is what a restart rebuilds.
public struct OutboxLedger: Sendable, Equatable {
    /// Pending messages in the order they were queued.
    public private(set) var pending: OrderedDictionary<UUID, PendingDelivery> = [:]
    public private(set) var deliveredCount = 0
    public private(set) var deadLetteredCount = 0
    /// The stream version of the last event folded in (-1: none).
    public private(set) var version: Int64 = -1

    public init() {}

    /// Folds one event; `version` is its stream version when it was read from the stream (nil
    /// when the dispatcher applies what it just recorded, before reading it back). Folding the
    /// same event twice changes nothing.
    public mutating func apply(_ event: OutboxEvent, version: Int64?) {
        if let version { self.version = max(self.version, version) }
        switch event {
        case .queued(let m):
            guard pending[m.id] == nil else { return }
            pending[m.id] = PendingDelivery(message: m, attempts: [], nextAttemptAt: m.enqueuedAt, queuedVersion: version ?? -1)
        case .attemptFailed(let a):
            guard var p = pending[a.messageId], a.attempt == p.attempts.count + 1 else { return }
            p.attempts.append(a)
            if let next = a.nextAttemptAt { p.nextAttemptAt = next }
            pending[a.messageId] = p
        case .delivered(let id, _, _, _, _):
            if pending.removeValue(forKey: id) != nil { deliveredCount += 1 }
        case .deadLettered(let id, _, _, _):
            if pending.removeValue(forKey: id) != nil { deadLetteredCount += 1 }
        }
    }

    /// The stream version before which every message is settled (delivered or dead-lettered): a
    /// restart may start folding after it. Events before it belong only to settled messages.
    public var settledThrough: Int64 {
        let oldestPending = pending.values.map(\.queuedVersion).filter { $0 >= 0 }.min()
        return oldestPending.map { $0 - 1 } ?? version
    }

    /// Starts a fold after `version` (from a saved `settledThrough`).
    public init(startingAfter version: Int64) {
        self.version = version
    }

    /// What to record after attempt `attempt` of `delivery` ended with `outcome` (pure: `now` and
    /// `random` are inputs). The events go to the outbox stream in one transaction, together with a
    /// dead letter when the last of them is `.deadLettered`.
    public static func record(outcome: DeliveryOutcome, of delivery: PendingDelivery, latency: Duration, policy: RetryPolicy,
                              now: Date, random: Double) -> [OutboxEvent] {
        let attempt = delivery.attemptCount + 1
        let id = delivery.message.id
        switch outcome {
        case .delivered(let status):
            return [.delivered(messageId: id, attempt: attempt, at: EventTime.truncated(now), statusCode: status,
                               latencyMilliseconds: Int((latency.timeInterval * 1000).rounded()))]
        case let .permanent(reason, status):
            return [.attemptFailed(DeliveryAttempt(messageId: id, attempt: attempt, at: now, error: reason, statusCode: status, retryable: false, nextAttemptAt: nil)),
                    .deadLettered(messageId: id, attempt: attempt, at: EventTime.truncated(now), reason: "permanent failure: \(reason)")]
        case let .retryable(reason, status, retryAfter):
            switch policy.decision(afterFailedAttempt: attempt, at: now, retryAfter: retryAfter, random: random) {
            case .redeliver(let at, _):
                return [.attemptFailed(DeliveryAttempt(messageId: id, attempt: attempt, at: now, error: reason, statusCode: status, retryable: true, nextAttemptAt: at))]
            case .exhausted:
                return [.attemptFailed(DeliveryAttempt(messageId: id, attempt: attempt, at: now, error: reason, statusCode: status, retryable: true, nextAttemptAt: nil)),
                        .deadLettered(messageId: id, attempt: attempt, at: EventTime.truncated(now),
                                      reason: "redeliveries exhausted after \(attempt) attempt\(attempt == 1 ? "" : "s")")]
            }
        }
    }
}
