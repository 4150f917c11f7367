import Collections
import Foundation
import JSON

/// A message not yet delivered nor dead-lettered, with its attempts so far and when the next one
/// is due — all rebuilt from the outbox stream, so a restart resumes the schedule exactly.
public struct PendingDelivery: Sendable, Equatable {
    public var message: OutboxMessage
    public var attempts: [DeliveryAttempt]
    /// When the next attempt may start (the enqueue time for a message never tried); for a message
    /// awaiting its acknowledgment, the deadline.
    public var nextAttemptAt: Date

    /// Stream version of the message's `OutboxMessageQueued` event (-1 when not known).
    public var queuedVersion: Int64 = -1
    /// Set while the last call succeeded and its acknowledgment is awaited under this key.
    public var awaitingKey: String?
    /// Why a negative acknowledgment refused it (it is dead-lettered when next looked at).
    public var rejection: String?
    /// Every key it awaited an acknowledgment under (a late one still settles it).
    public var awaitedKeys: [String] = []

    public var attemptCount: Int { attempts.count }

    public init(message: OutboxMessage, attempts: [DeliveryAttempt], nextAttemptAt: Date, queuedVersion: Int64 = -1) {
        self.message = message
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.queuedVersion = queuedVersion
    }

    /// What is due for it: a call to the partner, or recording the end of a wait (no call).
    public enum Step: Sendable, Equatable {
        case call
        /// The acknowledgment did not come by the deadline.
        case acknowledgmentOverdue(key: String)
        /// A negative acknowledgment came.
        case acknowledgmentRejected(reason: String)
    }

    public var step: Step {
        if let rejection { return .acknowledgmentRejected(reason: rejection) }
        if let awaitingKey { return .acknowledgmentOverdue(key: awaitingKey) }
        return .call
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
    /// Ordering keys held by a dead letter (`onDeadLetter: hold`), with that message and the
    /// version it was queued at.
    public private(set) var heldKeys: [String: (messageId: UUID, queuedVersion: Int64)] = [:]
    /// Acknowledgments whose message was not (yet) awaiting them, oldest first: an answer can
    /// overtake the record of the call it answers.
    public private(set) var unmatchedAcknowledgments: OrderedDictionary<String, Acknowledgment> = [:]
    /// Whether a dead-lettered message holds its ordering key (the endpoint's `onDeadLetter`).
    public var holdKeysOnDeadLetter = false

    /// Acknowledgment keys of pending messages (every key a message awaited, so a late
    /// acknowledgment still settles a message being redelivered).
    private var acknowledgmentKeys: [String: UUID] = [:]
    /// Unmatched acknowledgments kept at most (older ones are dropped: they match nothing).
    static let unmatchedLimit = 10_000

    public init() {}

    /// Starts a fold after `version` (from a saved `settledThrough`).
    public init(startingAfter version: Int64) {
        self.version = version
    }

    public static func == (a: OutboxLedger, b: OutboxLedger) -> Bool {
        a.pending == b.pending && a.deliveredCount == b.deliveredCount && a.deadLetteredCount == b.deadLetteredCount && a.version == b.version
            && a.heldKeys.mapValues(\.messageId) == b.heldKeys.mapValues(\.messageId) && a.unmatchedAcknowledgments == b.unmatchedAcknowledgments
    }

    /// Folds one event; `version` is its stream version when it was read from the stream (nil
    /// when the dispatcher applies what it just recorded, before reading it back). Folding the
    /// same event twice changes nothing.
    public mutating func apply(_ event: OutboxEvent, version: Int64?) {
        if let version { self.version = max(self.version, version) }
        switch event {
        case .queued(let m):
            guard pending[m.id] == nil else { return }
            let delivery = PendingDelivery(message: m, attempts: [], nextAttemptAt: m.enqueuedAt, queuedVersion: version ?? -1)
            if let key = m.orderingKey, let replayed = m.replayOf, heldKeys[key]?.messageId == replayed {
                // The replay of the message that held the key goes before the key's others.
                heldKeys[key] = nil
                let index = pending.values.firstIndex { $0.message.orderingKey == key } ?? pending.count
                pending.updateValue(delivery, forKey: m.id, insertingAt: index)
            } else {
                pending[m.id] = delivery
            }
        case .attemptFailed(let a):
            guard var p = pending[a.messageId], a.attempt == p.attempts.count + 1 else { return }
            p.attempts.append(a)
            if let next = a.nextAttemptAt { p.nextAttemptAt = next }
            p.awaitingKey = nil
            p.rejection = nil
            pending[a.messageId] = p
        case .delivered(let id, _, _, _, _):
            if settle(id) != nil { deliveredCount += 1 }
        case .deadLettered(let id, _, _, _):
            if let p = settle(id) {
                deadLetteredCount += 1
                if holdKeysOnDeadLetter, let key = p.message.orderingKey { heldKeys[key] = (id, p.queuedVersion) }
            }
        case let .awaitingAcknowledgment(id, attempt, _, key, deadline):
            guard var p = pending[id], attempt == p.attempts.count + 1 else { return }
            p.awaitingKey = key
            p.awaitedKeys.append(key)
            p.nextAttemptAt = deadline
            pending[id] = p
            acknowledgmentKeys[key] = id
            if let early = unmatchedAcknowledgments.removeValue(forKey: key) { acknowledge(early) }
        case .acknowledged(let a):
            acknowledge(a)
        case let .orderingKeyReleased(key, id, _):
            if heldKeys[key]?.messageId == id { heldKeys[key] = nil }
        }
    }

    private mutating func acknowledge(_ a: Acknowledgment) {
        guard let id = acknowledgmentKeys[a.key], var p = pending[id] else {
            // Early (its message has not recorded the wait yet), or for a message settled since
            // (a second or late acknowledgment): kept in case it is the former.
            unmatchedAcknowledgments[a.key] = a
            if unmatchedAcknowledgments.count > Self.unmatchedLimit { unmatchedAcknowledgments.removeFirst() }
            return
        }
        if a.accepted {
            if settle(id) != nil { deliveredCount += 1 }
        } else {
            p.rejection = a.reason ?? "negative acknowledgment"
            p.nextAttemptAt = a.at
            pending[id] = p
        }
    }

    /// Removes a settled message and its acknowledgment keys.
    private mutating func settle(_ id: UUID) -> PendingDelivery? {
        guard let p = pending.removeValue(forKey: id) else { return nil }
        for key in p.awaitedKeys where acknowledgmentKeys[key] == id { acknowledgmentKeys[key] = nil }
        return p
    }

    /// The stream version before which every message is settled (delivered or dead-lettered, and
    /// not holding its ordering key): a restart may start folding after it.
    public var settledThrough: Int64 {
        let oldest = (pending.values.map(\.queuedVersion) + heldKeys.values.map(\.queuedVersion)).filter { $0 >= 0 }.min()
        return oldest.map { $0 - 1 } ?? version
    }

    /// Visits, oldest first, the pending messages whose next step may start at `now`: due, not in
    /// flight, and the first pending message of their ordering key (a key held by a dead letter
    /// starts none). `visit` returns false to stop. Returns when the next not-yet-due one is due
    /// (`now` when stopped early, `distantFuture` when nothing waits).
    public func forEachStartable(now: Date, inFlight: Set<UUID>, _ visit: (PendingDelivery) -> Bool) -> Date {
        var earliest = Date.distantFuture
        var keysTaken = Set<String>()
        for (id, delivery) in pending {
            if let key = delivery.message.orderingKey {
                // Only the oldest pending message of a key may go, whatever its state.
                guard heldKeys[key] == nil, keysTaken.insert(key).inserted else { continue }
            }
            guard !inFlight.contains(id) else { continue }
            guard delivery.nextAttemptAt <= now else {
                earliest = min(earliest, delivery.nextAttemptAt)
                continue
            }
            if !visit(delivery) { return now }
        }
        return earliest
    }

    /// What to record after attempt `attempt` of `delivery` ended with `outcome` (pure: `now` and
    /// `random` are inputs). The events go to the outbox stream in one transaction, together with a
    /// dead letter when the last of them is `.deadLettered`. With `awaiting`, a successful call
    /// waits for its acknowledgment instead of being delivered.
    public static func record(outcome: DeliveryOutcome, of delivery: PendingDelivery, latency: Duration, policy: RetryPolicy,
                              now: Date, random: Double, awaiting: (key: String, deadline: Date)? = nil) -> [OutboxEvent] {
        let attempt = delivery.attemptCount + 1
        let id = delivery.message.id
        switch outcome {
        case .delivered(let status, _):
            if let awaiting {
                return [.awaitingAcknowledgment(messageId: id, attempt: attempt, at: EventTime.truncated(now), key: awaiting.key,
                                                deadline: EventTime.truncated(awaiting.deadline))]
            }
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
