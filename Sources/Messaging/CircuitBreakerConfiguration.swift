/// Settings of one endpoint's circuit breaker, with resilience4j's names, meanings and defaults
/// (resilience4j CircuitBreakerConfig, documented at resilience4j.readme.io/docs/circuitbreaker and
/// mirrored by Camel's "Resilience4j Configuration" EIP page).
public struct CircuitBreakerConfiguration: Sendable, Equatable {
    /// How the CLOSED state's sliding window is measured.
    public enum SlidingWindowType: String, Sendable, Equatable, CaseIterable {
        /// The last `slidingWindowSize` calls.
        case countBased = "COUNT_BASED"
        /// The calls of the last `slidingWindowSize` seconds (one bucket per epoch second).
        case timeBased = "TIME_BASED"
    }

    /// Percentage (0 < x ≤ 100). When the failure rate is equal to or greater than this, the
    /// breaker opens. Default 50.
    public var failureRateThreshold: Double
    /// Percentage (0 < x ≤ 100) of calls slower than `slowCallDurationThreshold` at or above which
    /// the breaker opens. Default 100.
    public var slowCallRateThreshold: Double
    /// A call that takes longer than this is slow. Default 60 s.
    public var slowCallDurationThreshold: Duration
    /// Default `.countBased`.
    public var slidingWindowType: SlidingWindowType
    /// Calls (count-based) or seconds (time-based). Default 100.
    public var slidingWindowSize: Int
    /// Calls needed in the window before a rate is computed; with fewer, the breaker never opens.
    /// For a count-based window resilience4j uses `min(minimumNumberOfCalls, slidingWindowSize)`;
    /// so do we. Default 100.
    public var minimumNumberOfCalls: Int
    /// How long OPEN sheds calls before the next call attempt moves it to HALF_OPEN. Default 60 s.
    public var waitDurationInOpenState: Duration
    /// Trial calls admitted in HALF_OPEN; once all of them have completed, their failure/slow
    /// rates decide between CLOSED and OPEN. Default 10.
    public var permittedNumberOfCallsInHalfOpenState: Int
    /// If non-zero, HALF_OPEN returns to OPEN after this long even if the trial calls have not all
    /// completed (resilience4j's `maxWaitDurationInHalfOpenState`; 0 waits indefinitely). Default 0.
    public var maxWaitDurationInHalfOpenState: Duration

    public init(
        failureRateThreshold: Double = 50,
        slowCallRateThreshold: Double = 100,
        slowCallDurationThreshold: Duration = .seconds(60),
        slidingWindowType: SlidingWindowType = .countBased,
        slidingWindowSize: Int = 100,
        minimumNumberOfCalls: Int = 100,
        waitDurationInOpenState: Duration = .seconds(60),
        permittedNumberOfCallsInHalfOpenState: Int = 10,
        maxWaitDurationInHalfOpenState: Duration = .zero
    ) {
        self.failureRateThreshold = failureRateThreshold
        self.slowCallRateThreshold = slowCallRateThreshold
        self.slowCallDurationThreshold = slowCallDurationThreshold
        self.slidingWindowType = slidingWindowType
        self.slidingWindowSize = slidingWindowSize
        self.minimumNumberOfCalls = minimumNumberOfCalls
        self.waitDurationInOpenState = waitDurationInOpenState
        self.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState
        self.maxWaitDurationInHalfOpenState = maxWaitDurationInHalfOpenState
    }

    /// Every setting that resilience4j would refuse, each naming the setting and the value.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if !(failureRateThreshold > 0 && failureRateThreshold <= 100) {
            errors.append("failureRateThreshold must be in (0, 100], got \(failureRateThreshold)")
        }
        if !(slowCallRateThreshold > 0 && slowCallRateThreshold <= 100) {
            errors.append("slowCallRateThreshold must be in (0, 100], got \(slowCallRateThreshold)")
        }
        if slowCallDurationThreshold <= .zero { errors.append("slowCallDurationThreshold must be positive, got \(slowCallDurationThreshold)") }
        if slidingWindowSize < 1 { errors.append("slidingWindowSize must be at least 1, got \(slidingWindowSize)") }
        if minimumNumberOfCalls < 1 { errors.append("minimumNumberOfCalls must be at least 1, got \(minimumNumberOfCalls)") }
        if waitDurationInOpenState < .zero { errors.append("waitDurationInOpenState must not be negative, got \(waitDurationInOpenState)") }
        if permittedNumberOfCallsInHalfOpenState < 1 {
            errors.append("permittedNumberOfCallsInHalfOpenState must be at least 1, got \(permittedNumberOfCallsInHalfOpenState)")
        }
        if maxWaitDurationInHalfOpenState < .zero {
            errors.append("maxWaitDurationInHalfOpenState must not be negative, got \(maxWaitDurationInHalfOpenState)")
        }
        return errors
    }
}
