import Foundation

/// How a failed delivery is redelivered, with Apache Camel's redelivery-policy names
/// (camel.apache.org, "Exception Clause" / RedeliveryPolicy): the n-th redelivery waits
/// `redeliveryDelay × backOffMultiplier^(n-1)`, at most `maximumRedeliveryDelay`, spread by
/// ±`collisionAvoidanceFactor` (jitter) so that many failed messages do not return in lockstep.
/// A partner's `Retry-After` (RFC 9110 §10.2.3) is honoured as a lower bound on the next delay.
public struct RetryPolicy: Sendable, Equatable {
    /// Redeliveries after the first attempt; 0 means one attempt only. Default 5.
    public var maximumRedeliveries: Int
    /// Delay before the first redelivery. Default 1 s.
    public var redeliveryDelay: Duration
    /// Growth of the delay per redelivery (1 = fixed delay). Default 2.
    public var backOffMultiplier: Double
    /// Cap of the computed delay. Default 60 s.
    public var maximumRedeliveryDelay: Duration
    /// Jitter: the delay is multiplied by a random factor in `1 ± collisionAvoidanceFactor`
    /// (Camel's name; 0 disables it). Default 0.15, Camel's value when collision avoidance is on.
    public var collisionAvoidanceFactor: Double
    /// Whether a `Retry-After` from the endpoint raises the next delay to at least that long.
    /// Default true.
    public var honourRetryAfter: Bool
    /// The longest `Retry-After` that is obeyed; a longer one is clamped to this. Default 1 h.
    public var maximumRetryAfter: Duration

    public init(
        maximumRedeliveries: Int = 5,
        redeliveryDelay: Duration = .seconds(1),
        backOffMultiplier: Double = 2,
        maximumRedeliveryDelay: Duration = .seconds(60),
        collisionAvoidanceFactor: Double = 0.15,
        honourRetryAfter: Bool = true,
        maximumRetryAfter: Duration = .seconds(3600)
    ) {
        self.maximumRedeliveries = maximumRedeliveries
        self.redeliveryDelay = redeliveryDelay
        self.backOffMultiplier = backOffMultiplier
        self.maximumRedeliveryDelay = maximumRedeliveryDelay
        self.collisionAvoidanceFactor = collisionAvoidanceFactor
        self.honourRetryAfter = honourRetryAfter
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// Every setting that cannot work, naming the setting and its value.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if maximumRedeliveries < 0 { errors.append("maximumRedeliveries must not be negative, got \(maximumRedeliveries)") }
        if redeliveryDelay < .zero { errors.append("redeliveryDelay must not be negative, got \(redeliveryDelay)") }
        if !(backOffMultiplier >= 1) { errors.append("backOffMultiplier must be at least 1, got \(backOffMultiplier)") }
        if maximumRedeliveryDelay < redeliveryDelay {
            errors.append("maximumRedeliveryDelay (\(maximumRedeliveryDelay)) must not be less than redeliveryDelay (\(redeliveryDelay))")
        }
        if !(collisionAvoidanceFactor >= 0 && collisionAvoidanceFactor < 1) {
            errors.append("collisionAvoidanceFactor must be in [0, 1), got \(collisionAvoidanceFactor)")
        }
        if maximumRetryAfter < .zero { errors.append("maximumRetryAfter must not be negative, got \(maximumRetryAfter)") }
        return errors
    }

    /// The delay before redelivery number `redelivery` (1-based) without jitter or Retry-After.
    public func backOffDelay(forRedelivery redelivery: Int) -> Duration {
        precondition(redelivery >= 1, "redeliveries are counted from 1")
        let base = redeliveryDelay.timeInterval
        let cap = maximumRedeliveryDelay.timeInterval
        // Computed in floating point and capped before it can overflow a Duration.
        let grown = base * pow(backOffMultiplier, Double(redelivery - 1))
        // Whole microseconds: no partner cares for less, and it keeps equal delays equal.
        return .microseconds(Int64(((grown.isFinite ? min(grown, cap) : cap) * 1e6).rounded()))
    }

    /// What to do after attempt number `attempt` (1-based) failed retryably.
    ///
    /// - Parameters:
    ///   - retryAfter: the endpoint's Retry-After, if it sent one.
    ///   - random: a value in [0, 1) that drives the jitter (injected so the decision is pure).
    public func decision(afterFailedAttempt attempt: Int, at now: Date, retryAfter: Duration?, random: Double) -> RetryDecision {
        precondition(attempt >= 1, "attempts are counted from 1")
        let redelivery = attempt  // attempt 1 failing leads to redelivery 1
        guard redelivery <= maximumRedeliveries else { return .exhausted }
        var delay = backOffDelay(forRedelivery: redelivery).timeInterval
        if collisionAvoidanceFactor > 0 {
            delay *= 1 + collisionAvoidanceFactor * (2 * random - 1)
        }
        if honourRetryAfter, let retryAfter {
            delay = max(delay, min(retryAfter, maximumRetryAfter).timeInterval)
        }
        return .redeliver(at: now + max(delay, 0), redelivery: redelivery)
    }
}

/// The outcome of asking a `RetryPolicy` what follows a failed attempt.
public enum RetryDecision: Sendable, Equatable {
    /// Try again at `at`; this will be redelivery number `redelivery`.
    case redeliver(at: Date, redelivery: Int)
    /// No redeliveries left: dead-letter the message.
    case exhausted
}
