import Foundation

/// One endpoint's circuit breaker as a pure value-type state machine (no I/O, no clock of its
/// own: every input carries `now`). The semantics are resilience4j's
/// (resilience4j.readme.io/docs/circuitbreaker):
///
/// - CLOSED records every call in a sliding window. Once the window holds at least
///   `minimumNumberOfCalls` calls, the breaker opens when the failure rate or the slow-call rate is
///   equal to or greater than its threshold.
/// - OPEN rejects every call. The first permission request after `waitDurationInOpenState` moves it
///   to HALF_OPEN (resilience4j's default, `automaticTransitionFromOpenToHalfOpenEnabled = false`).
/// - HALF_OPEN admits `permittedNumberOfCallsInHalfOpenState` trial calls and rejects the rest.
///   When all trial calls have completed, it opens again if either rate is at or above its
///   threshold, and closes otherwise. With `maxWaitDurationInHalfOpenState` > 0 it re-opens when
///   the trial calls take longer than that in total.
/// - Every transition starts a fresh window.
///
/// The caller persists the returned `CircuitBreakerTransition`s (stream `breaker-<endpoint>`), and
/// can rebuild a breaker from the last one with `init(configuration:restoring:)`.
public struct CircuitBreaker: Sendable, Equatable {
    public enum State: String, Sendable, Equatable, Codable, CaseIterable {
        case closed = "CLOSED"
        case open = "OPEN"
        case halfOpen = "HALF_OPEN"
    }

    /// The answer to "may I call the endpoint now?".
    public enum Permission: Sendable, Equatable {
        case permitted
        /// Rejected; `until` is when OPEN will admit a trial call (nil while HALF_OPEN is full).
        case rejected(until: Date?)
    }

    public let configuration: CircuitBreakerConfiguration
    public private(set) var state: State
    /// When the current state began.
    public private(set) var stateSince: Date

    private var window: CallOutcomeWindow
    /// HALF_OPEN only: trial calls still to be admitted.
    private var halfOpenPermitsLeft = 0

    /// A new breaker, CLOSED since `now`.
    public init(configuration: CircuitBreakerConfiguration, now: Date) {
        self.configuration = configuration
        self.state = .closed
        self.stateSince = now
        self.window = Self.closedWindow(configuration)
    }

    /// A breaker in the state its last persisted transition left it in (e.g. after a restart,
    /// an OPEN breaker stays OPEN until its wait has elapsed). HALF_OPEN is restored as OPEN whose
    /// wait has already elapsed, so the next request starts a fresh set of trial calls.
    public init(configuration: CircuitBreakerConfiguration, restoring last: CircuitBreakerTransition) {
        self.init(configuration: configuration, now: last.at)
        switch last.to {
        case .closed: break
        case .open: enter(.open, at: last.at)
        case .halfOpen:
            enter(.open, at: last.at - configuration.waitDurationInOpenState.timeInterval)
        }
    }

    /// When OPEN, the earliest moment a trial call will be admitted.
    public var openUntil: Date? {
        state == .open ? stateSince + configuration.waitDurationInOpenState.timeInterval : nil
    }

    /// Asks to make one call. A permitted call must be followed by exactly one `onResult`.
    public mutating func tryAcquirePermission(now: Date) -> (Permission, [CircuitBreakerTransition]) {
        var transitions: [CircuitBreakerTransition] = []
        switch state {
        case .closed:
            return (.permitted, [])
        case .open:
            guard let until = openUntil, now >= until else { return (.rejected(until: openUntil), []) }
            transitions.append(enter(.halfOpen, at: now, reason: .waitDurationElapsed))
            halfOpenPermitsLeft -= 1
            return (.permitted, transitions)
        case .halfOpen:
            if let t = expireHalfOpen(now: now) {
                return (.rejected(until: openUntil), [t])
            }
            guard halfOpenPermitsLeft > 0 else { return (.rejected(until: nil), []) }
            halfOpenPermitsLeft -= 1
            return (.permitted, [])
        }
    }

    /// Records the outcome of a permitted call that took `duration`. A call is slow when it took
    /// longer than `slowCallDurationThreshold`; a failed slow call counts as both.
    public mutating func onResult(success: Bool, duration: Duration, now: Date) -> CircuitBreakerTransition? {
        let slow = duration > configuration.slowCallDurationThreshold
        switch state {
        case .open:
            // A call admitted before the breaker opened finished late: resilience4j ignores it.
            return nil
        case .closed:
            let totals = window.record(failed: !success, slow: slow, now: now)
            let minimum = configuration.slidingWindowType == .countBased
                ? min(configuration.minimumNumberOfCalls, configuration.slidingWindowSize)
                : configuration.minimumNumberOfCalls
            guard totals.totalCalls >= minimum, let reason = exceeded(totals) else { return nil }
            return enter(.open, at: now, reason: reason, snapshot: totals)
        case .halfOpen:
            let totals = window.record(failed: !success, slow: slow, now: now)
            guard totals.totalCalls >= configuration.permittedNumberOfCallsInHalfOpenState else { return nil }
            if let reason = exceeded(totals) {
                return enter(.open, at: now, reason: reason, snapshot: totals)
            }
            return enter(.closed, at: now, reason: .trialCallsSucceeded, snapshot: totals)
        }
    }

    /// Time-driven transitions without a call (HALF_OPEN past `maxWaitDurationInHalfOpenState`).
    public mutating func tick(now: Date) -> CircuitBreakerTransition? {
        state == .halfOpen ? expireHalfOpen(now: now) : nil
    }

    /// The current window's totals (for gauges and the ops console).
    public mutating func metrics(now: Date) -> CallOutcomeSnapshot { window.snapshot(now: now) }

    // MARK: - Internals

    private func exceeded(_ totals: CallOutcomeSnapshot) -> CircuitBreakerTransition.Reason? {
        if totals.failureRate >= configuration.failureRateThreshold { return .failureRateExceeded }
        if totals.slowCallRate >= configuration.slowCallRateThreshold { return .slowCallRateExceeded }
        return nil
    }

    private mutating func expireHalfOpen(now: Date) -> CircuitBreakerTransition? {
        let limit = configuration.maxWaitDurationInHalfOpenState
        guard limit > .zero, now >= stateSince + limit.timeInterval else { return nil }
        return enter(.open, at: now, reason: .halfOpenWaitExpired)
    }

    @discardableResult
    private mutating func enter(_ next: State, at now: Date, reason: CircuitBreakerTransition.Reason = .restored,
                                snapshot: CallOutcomeSnapshot = CallOutcomeSnapshot()) -> CircuitBreakerTransition {
        let transition = CircuitBreakerTransition(from: state, to: next, at: now, reason: reason,
                                                  failureRate: snapshot.totalCalls == 0 ? nil : snapshot.failureRate,
                                                  slowCallRate: snapshot.totalCalls == 0 ? nil : snapshot.slowCallRate,
                                                  calls: snapshot.totalCalls)
        state = next
        stateSince = now
        switch next {
        case .closed, .open:
            window = Self.closedWindow(configuration)
            halfOpenPermitsLeft = 0
        case .halfOpen:
            window = CallOutcomeWindow(type: .countBased, size: configuration.permittedNumberOfCallsInHalfOpenState)
            halfOpenPermitsLeft = configuration.permittedNumberOfCallsInHalfOpenState
        }
        return transition
    }

    private static func closedWindow(_ c: CircuitBreakerConfiguration) -> CallOutcomeWindow {
        CallOutcomeWindow(type: c.slidingWindowType, size: c.slidingWindowSize)
    }
}

/// A state change of a circuit breaker, as persisted in `breaker-<endpoint>`.
public struct CircuitBreakerTransition: Sendable, Equatable, Codable {
    public enum Reason: String, Sendable, Equatable, Codable {
        case failureRateExceeded, slowCallRateExceeded, waitDurationElapsed, trialCallsSucceeded, halfOpenWaitExpired, restored
    }
    public var from: CircuitBreaker.State
    public var to: CircuitBreaker.State
    public var at: Date
    public var reason: Reason
    /// The rates that caused it (percent), when it was caused by recorded calls.
    public var failureRate: Double?
    public var slowCallRate: Double?
    public var calls: Int

    public init(from: CircuitBreaker.State, to: CircuitBreaker.State, at: Date, reason: Reason, failureRate: Double? = nil, slowCallRate: Double? = nil, calls: Int = 0) {
        self.from = from
        self.to = to
        self.at = at
        self.reason = reason
        self.failureRate = failureRate
        self.slowCallRate = slowCallRate
        self.calls = calls
    }
}

extension Duration {
    /// Seconds as a `TimeInterval` (for `Date` arithmetic).
    var timeInterval: TimeInterval {
        let c = components
        return TimeInterval(c.seconds) + TimeInterval(c.attoseconds) / 1e18
    }
}
