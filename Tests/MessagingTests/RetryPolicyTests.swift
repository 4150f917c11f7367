import Foundation
import Testing
@testable import Messaging

@Suite("RetryPolicy")
struct RetryPolicyTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("the n-th redelivery waits redeliveryDelay × backOffMultiplier^(n-1)")
    func exponentialBackOff() {
        let policy = RetryPolicy(maximumRedeliveries: 10, redeliveryDelay: .milliseconds(100), backOffMultiplier: 3,
                                 maximumRedeliveryDelay: .seconds(100), collisionAvoidanceFactor: 0)
        #expect(policy.backOffDelay(forRedelivery: 1) == .milliseconds(100))
        #expect(policy.backOffDelay(forRedelivery: 2) == .milliseconds(300))
        #expect(policy.backOffDelay(forRedelivery: 3) == .milliseconds(900))
    }

    @Test("the computed delay never exceeds maximumRedeliveryDelay, even for huge exponents")
    func delayIsCapped() {
        let policy = RetryPolicy(maximumRedeliveries: 5000, redeliveryDelay: .seconds(1), backOffMultiplier: 2,
                                 maximumRedeliveryDelay: .seconds(30), collisionAvoidanceFactor: 0)
        #expect(policy.backOffDelay(forRedelivery: 6) == .seconds(30))
        #expect(policy.backOffDelay(forRedelivery: 4000) == .seconds(30))
    }

    @Test("after maximumRedeliveries redeliveries the policy is exhausted")
    func exhaustion() {
        let policy = RetryPolicy(maximumRedeliveries: 2, collisionAvoidanceFactor: 0)
        #expect(policy.decision(afterFailedAttempt: 1, at: t0, retryAfter: nil, random: 0.5) == .redeliver(at: t0 + 1, redelivery: 1))
        #expect(policy.decision(afterFailedAttempt: 2, at: t0, retryAfter: nil, random: 0.5) == .redeliver(at: t0 + 2, redelivery: 2))
        #expect(policy.decision(afterFailedAttempt: 3, at: t0, retryAfter: nil, random: 0.5) == .exhausted)
    }

    @Test("maximumRedeliveries 0 means a single attempt")
    func noRedeliveries() {
        #expect(RetryPolicy(maximumRedeliveries: 0).decision(afterFailedAttempt: 1, at: t0, retryAfter: nil, random: 0) == .exhausted)
    }

    @Test("jitter spreads the delay within ±collisionAvoidanceFactor")
    func jitterBounds() {
        let policy = RetryPolicy(maximumRedeliveries: 3, redeliveryDelay: .seconds(10), collisionAvoidanceFactor: 0.2)
        #expect(policy.decision(afterFailedAttempt: 1, at: t0, retryAfter: nil, random: 0) == .redeliver(at: t0 + 8, redelivery: 1))
        #expect(policy.decision(afterFailedAttempt: 1, at: t0, retryAfter: nil, random: 0.5) == .redeliver(at: t0 + 10, redelivery: 1))
        guard case .redeliver(let high, _) = policy.decision(afterFailedAttempt: 1, at: t0, retryAfter: nil, random: 0.999_999) else {
            Issue.record("expected a redelivery"); return
        }
        #expect(high.timeIntervalSince(t0) < 12 && high.timeIntervalSince(t0) > 11.99)
    }

    @Test("a Retry-After longer than the back-off raises the delay to it")
    func retryAfterIsALowerBound() {
        let policy = RetryPolicy(maximumRedeliveries: 3, redeliveryDelay: .seconds(1), collisionAvoidanceFactor: 0)
        #expect(policy.decision(afterFailedAttempt: 1, at: t0, retryAfter: .seconds(7), random: 0) == .redeliver(at: t0 + 7, redelivery: 1))
        #expect(policy.decision(afterFailedAttempt: 1, at: t0, retryAfter: .milliseconds(10), random: 0) == .redeliver(at: t0 + 1, redelivery: 1))
    }

    @Test("an absurd Retry-After is clamped to maximumRetryAfter")
    func retryAfterClamped() {
        let policy = RetryPolicy(maximumRedeliveries: 3, redeliveryDelay: .seconds(1), collisionAvoidanceFactor: 0, maximumRetryAfter: .seconds(120))
        #expect(policy.decision(afterFailedAttempt: 1, at: t0, retryAfter: .seconds(86_400), random: 0) == .redeliver(at: t0 + 120, redelivery: 1))
    }

    @Test("Retry-After is ignored when honourRetryAfter is off")
    func retryAfterIgnored() {
        let policy = RetryPolicy(maximumRedeliveries: 3, redeliveryDelay: .seconds(1), collisionAvoidanceFactor: 0, honourRetryAfter: false)
        #expect(policy.decision(afterFailedAttempt: 1, at: t0, retryAfter: .seconds(50), random: 0) == .redeliver(at: t0 + 1, redelivery: 1))
    }

    @Test("invalid settings are each named")
    func validation() {
        let errors = RetryPolicy(maximumRedeliveries: -1, backOffMultiplier: 0.5, collisionAvoidanceFactor: 1.5).validationErrors()
        #expect(errors.count == 3)
        #expect(errors.contains { $0.hasPrefix("maximumRedeliveries") })
        #expect(errors.contains { $0.hasPrefix("backOffMultiplier") })
        #expect(errors.contains { $0.hasPrefix("collisionAvoidanceFactor") })
    }
}
