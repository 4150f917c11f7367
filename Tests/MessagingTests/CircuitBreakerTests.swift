import Foundation
import Testing
@testable import Messaging

/// The resilience4j semantics, one behaviour per test, with an injected clock (plain `Date`s).
@Suite("CircuitBreaker")
struct CircuitBreakerTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    let fast = Duration.milliseconds(5)

    func countBased(window: Int = 10, minimum: Int = 10, failureRate: Double = 50, halfOpen: Int = 2,
                    slowRate: Double = 100, slowAfter: Duration = .seconds(1)) -> CircuitBreaker {
        CircuitBreaker(configuration: CircuitBreakerConfiguration(
            failureRateThreshold: failureRate, slowCallRateThreshold: slowRate, slowCallDurationThreshold: slowAfter,
            slidingWindowType: .countBased, slidingWindowSize: window, minimumNumberOfCalls: minimum,
            waitDurationInOpenState: .seconds(30), permittedNumberOfCallsInHalfOpenState: halfOpen), now: t0)
    }

    /// Records `n` calls; returns the transitions they caused.
    func record(_ breaker: inout CircuitBreaker, failures: Int = 0, successes: Int = 0, duration: Duration? = nil, at now: Date) -> [CircuitBreakerTransition] {
        var out: [CircuitBreakerTransition] = []
        for success in Array(repeating: false, count: failures) + Array(repeating: true, count: successes) {
            let (permission, t) = breaker.tryAcquirePermission(now: now)
            out += t
            guard permission == .permitted else { continue }
            if let t = breaker.onResult(success: success, duration: duration ?? fast, now: now) { out.append(t) }
        }
        return out
    }

    @Test("a new breaker is CLOSED and permits calls")
    func startsClosed() {
        var breaker = countBased()
        #expect(breaker.state == .closed)
        #expect(breaker.tryAcquirePermission(now: t0).0 == .permitted)
    }

    @Test("below minimumNumberOfCalls even 100% failures do not open the breaker")
    func minimumNumberOfCallsGuards() {
        var breaker = countBased(window: 10, minimum: 5)
        _ = record(&breaker, failures: 4, at: t0)
        #expect(breaker.state == .closed)
    }

    @Test("the breaker opens when the failure rate reaches the threshold exactly")
    func opensAtThreshold() {
        var breaker = countBased(window: 10, minimum: 10, failureRate: 50)
        let transitions = record(&breaker, failures: 5, successes: 5, at: t0)
        #expect(breaker.state == .open)
        #expect(transitions.count == 1)
        #expect(transitions.first?.reason == .failureRateExceeded)
        #expect(transitions.first?.failureRate == 50)
    }

    @Test("a failure rate below the threshold keeps the breaker CLOSED")
    func staysClosedBelowThreshold() {
        var breaker = countBased(window: 10, minimum: 10, failureRate: 50)
        _ = record(&breaker, failures: 4, successes: 6, at: t0)
        #expect(breaker.state == .closed)
    }

    @Test("a count-based window only sees the last slidingWindowSize calls")
    func countWindowSlides() {
        var breaker = countBased(window: 4, minimum: 4, failureRate: 75)
        _ = record(&breaker, failures: 2, at: t0)            // F F
        _ = record(&breaker, successes: 4, at: t0)           // window now S S S S
        _ = record(&breaker, failures: 2, at: t0)            // window S S F F = 50%
        #expect(breaker.state == .closed)
        _ = record(&breaker, failures: 1, at: t0)            // S F F F = 75%
        #expect(breaker.state == .open)
    }

    @Test("for a count-based window minimumNumberOfCalls is capped at slidingWindowSize")
    func minimumCappedByWindow() {
        var breaker = countBased(window: 3, minimum: 100)
        _ = record(&breaker, failures: 3, at: t0)
        #expect(breaker.state == .open)
    }

    @Test("OPEN rejects calls until waitDurationInOpenState has elapsed, and says until when")
    func openSheds() {
        var breaker = countBased(window: 2, minimum: 2)
        _ = record(&breaker, failures: 2, at: t0)
        #expect(breaker.tryAcquirePermission(now: t0 + 29).0 == .rejected(until: t0 + 30))
        #expect(breaker.state == .open)
    }

    @Test("the first request after the wait moves OPEN to HALF_OPEN and is permitted")
    func halfOpensAfterWait() {
        var breaker = countBased(window: 2, minimum: 2)
        _ = record(&breaker, failures: 2, at: t0)
        let (permission, transitions) = breaker.tryAcquirePermission(now: t0 + 30)
        #expect(permission == .permitted)
        #expect(breaker.state == .halfOpen)
        #expect(transitions.map(\.reason) == [.waitDurationElapsed])
    }

    @Test("HALF_OPEN admits only permittedNumberOfCallsInHalfOpenState trial calls")
    func halfOpenLimitsTrials() {
        var breaker = countBased(window: 2, minimum: 2, halfOpen: 2)
        _ = record(&breaker, failures: 2, at: t0)
        #expect(breaker.tryAcquirePermission(now: t0 + 30).0 == .permitted)
        #expect(breaker.tryAcquirePermission(now: t0 + 30).0 == .permitted)
        #expect(breaker.tryAcquirePermission(now: t0 + 30).0 == .rejected(until: nil))
    }

    @Test("HALF_OPEN closes when the trial calls succeed")
    func halfOpenCloses() {
        var breaker = countBased(window: 2, minimum: 2, halfOpen: 2)
        _ = record(&breaker, failures: 2, at: t0)
        let transitions = record(&breaker, successes: 2, at: t0 + 31)
        #expect(breaker.state == .closed)
        #expect(transitions.map(\.to) == [.halfOpen, .closed])
    }

    @Test("HALF_OPEN re-opens when the trial calls fail at the threshold rate")
    func halfOpenReopens() {
        var breaker = countBased(window: 2, minimum: 2, failureRate: 50, halfOpen: 2)
        _ = record(&breaker, failures: 2, at: t0)
        let transitions = record(&breaker, failures: 1, successes: 1, at: t0 + 31)
        #expect(breaker.state == .open)
        #expect(transitions.map(\.to) == [.halfOpen, .open])
        #expect(breaker.openUntil == t0 + 61)
    }

    @Test("HALF_OPEN decides only after all trial calls have completed")
    func halfOpenWaitsForAllTrials() {
        var breaker = countBased(window: 2, minimum: 2, halfOpen: 3)
        _ = record(&breaker, failures: 2, at: t0)
        _ = record(&breaker, failures: 2, at: t0 + 31)
        #expect(breaker.state == .halfOpen)
    }

    @Test("after closing, the old failures are forgotten")
    func closingResetsWindow() {
        var breaker = countBased(window: 4, minimum: 4, halfOpen: 1)
        _ = record(&breaker, failures: 4, at: t0)
        _ = record(&breaker, successes: 1, at: t0 + 31)
        #expect(breaker.state == .closed)
        _ = record(&breaker, failures: 3, at: t0 + 32)
        #expect(breaker.state == .closed)
    }

    @Test("slow calls open the breaker at slowCallRateThreshold even when they succeed")
    func slowCallsOpen() {
        var breaker = countBased(window: 4, minimum: 4, slowRate: 50, slowAfter: .milliseconds(100))
        _ = record(&breaker, successes: 2, duration: .milliseconds(150), at: t0)
        _ = record(&breaker, successes: 1, at: t0)
        #expect(breaker.state == .closed)
        let transitions = record(&breaker, successes: 1, duration: .milliseconds(101), at: t0)
        #expect(breaker.state == .open)
        #expect(transitions.first?.reason == .slowCallRateExceeded)
    }

    @Test("a call exactly at slowCallDurationThreshold is not slow")
    func thresholdDurationIsNotSlow() {
        var breaker = countBased(window: 1, minimum: 1, slowRate: 100, slowAfter: .milliseconds(100))
        _ = record(&breaker, successes: 1, duration: .milliseconds(100), at: t0)
        #expect(breaker.state == .closed)
    }

    @Test("a time-based window forgets calls older than slidingWindowSize seconds")
    func timeWindowForgets() {
        var breaker = CircuitBreaker(configuration: CircuitBreakerConfiguration(
            slidingWindowType: .timeBased, slidingWindowSize: 10, minimumNumberOfCalls: 4), now: t0)
        _ = record(&breaker, failures: 3, at: t0)
        // ten seconds later those three failures have slid out; one more failure is 1 of 1 call.
        _ = record(&breaker, failures: 1, at: t0 + 10)
        #expect(breaker.state == .closed)
        #expect(breaker.metrics(now: t0 + 10).totalCalls == 1)
    }

    @Test("a time-based window adds up the calls of its seconds")
    func timeWindowAggregates() {
        var breaker = CircuitBreaker(configuration: CircuitBreakerConfiguration(
            slidingWindowType: .timeBased, slidingWindowSize: 10, minimumNumberOfCalls: 4), now: t0)
        _ = record(&breaker, failures: 1, at: t0)
        _ = record(&breaker, failures: 1, at: t0 + 3)
        _ = record(&breaker, successes: 1, at: t0 + 6)
        #expect(breaker.state == .closed)
        _ = record(&breaker, failures: 1, at: t0 + 9)  // 3 of 4 within the last 10 s
        #expect(breaker.state == .open)
    }

    @Test("time-based minimumNumberOfCalls is not capped by the window size")
    func timeWindowMinimum() {
        var breaker = CircuitBreaker(configuration: CircuitBreakerConfiguration(
            slidingWindowType: .timeBased, slidingWindowSize: 2, minimumNumberOfCalls: 5), now: t0)
        _ = record(&breaker, failures: 4, at: t0)
        #expect(breaker.state == .closed)
        _ = record(&breaker, failures: 1, at: t0)
        #expect(breaker.state == .open)
    }

    @Test("a late result of a call admitted before the breaker opened is ignored")
    func lateResultWhileOpen() {
        var breaker = countBased(window: 2, minimum: 2)
        #expect(breaker.tryAcquirePermission(now: t0).0 == .permitted) // in flight
        _ = record(&breaker, failures: 2, at: t0)
        #expect(breaker.onResult(success: true, duration: fast, now: t0) == nil)
        #expect(breaker.state == .open)
    }

    @Test("HALF_OPEN re-opens after maxWaitDurationInHalfOpenState when trials hang")
    func halfOpenMaxWait() {
        var breaker = CircuitBreaker(configuration: CircuitBreakerConfiguration(
            slidingWindowSize: 1, minimumNumberOfCalls: 1, waitDurationInOpenState: .seconds(10),
            permittedNumberOfCallsInHalfOpenState: 1, maxWaitDurationInHalfOpenState: .seconds(5)), now: t0)
        _ = record(&breaker, failures: 1, at: t0)
        #expect(breaker.tryAcquirePermission(now: t0 + 10).0 == .permitted)
        #expect(breaker.tick(now: t0 + 14) == nil)
        #expect(breaker.tick(now: t0 + 15)?.reason == .halfOpenWaitExpired)
        #expect(breaker.state == .open)
    }

    @Test("a breaker restored from an OPEN transition stays OPEN until its wait ends")
    func restoresOpen() {
        let config = CircuitBreakerConfiguration(waitDurationInOpenState: .seconds(30))
        var breaker = CircuitBreaker(configuration: config, restoring: CircuitBreakerTransition(from: .closed, to: .open, at: t0, reason: .failureRateExceeded))
        #expect(breaker.state == .open)
        #expect(breaker.tryAcquirePermission(now: t0 + 10).0 == .rejected(until: t0 + 30))
        #expect(breaker.tryAcquirePermission(now: t0 + 30).0 == .permitted)
    }

    @Test("a breaker restored from HALF_OPEN starts fresh trial calls at once")
    func restoresHalfOpen() {
        let config = CircuitBreakerConfiguration(waitDurationInOpenState: .seconds(30))
        var breaker = CircuitBreaker(configuration: config, restoring: CircuitBreakerTransition(from: .open, to: .halfOpen, at: t0, reason: .waitDurationElapsed))
        #expect(breaker.tryAcquirePermission(now: t0).0 == .permitted)
        #expect(breaker.state == .halfOpen)
    }

    @Test("invalid settings are each named")
    func validation() {
        let errors = CircuitBreakerConfiguration(failureRateThreshold: 0, slidingWindowSize: 0, permittedNumberOfCallsInHalfOpenState: 0).validationErrors()
        #expect(errors.count == 3)
    }
}
