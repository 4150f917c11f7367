/// Delays between reconnection attempts: exponential, capped, with jitter.
///
/// Many gateways reconnecting to one partner's server after it restarts would otherwise knock
/// in lockstep; the jitter spreads them. Pure: the caller supplies the random number (or a
/// generator), so that tests and the caller's loop control it.
///
/// ```swift
/// var failures = 0
/// while true {
///     do { try await run(SFTPConnection.connect(settings, logger: logger)); failures = 0 }
///     catch { failures += 1; try await Task.sleep(for: backoff.delay(afterFailures: failures)) }
/// }
/// ```
public struct SFTPBackoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration
    public var multiplier: Double
    /// Fraction of the delay that is random: 0.2 gives a delay in [0.8 d, d].
    public var jitter: Double

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(300), multiplier: Double = 2, jitter: Double = 0.2) {
        precondition(initial > .zero && maximum >= initial, "SFTPBackoff needs 0 < initial <= maximum")
        precondition(multiplier >= 1 && (0...1).contains(jitter), "SFTPBackoff needs multiplier >= 1 and jitter in 0...1")
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.jitter = jitter
    }

    /// The delay before the next attempt after `failures` consecutive failures (1 or more),
    /// with `unitRandom` in `0..<1` choosing where in the jitter band it falls.
    public func delay(afterFailures failures: Int, unitRandom: Double) -> Duration {
        let initialSeconds = seconds(initial)
        let maximumSeconds = seconds(maximum)
        // Capped exponent: past the cap the power only overflows to infinity.
        let exponent = Double(min(max(failures, 1) - 1, 64))
        let base = min(initialSeconds * power(multiplier, exponent), maximumSeconds)
        let random = min(max(unitRandom, 0), 1)
        let value = base * (1 - jitter * random)
        return .nanoseconds(Int64((value * 1e9).rounded()))
    }

    /// ``delay(afterFailures:unitRandom:)`` with a number drawn from `generator`.
    public func delay(afterFailures failures: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        delay(afterFailures: failures, unitRandom: Double.random(in: 0..<1, using: &generator))
    }

    private func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// Repeated multiplication (the exponent is a small whole number): no Foundation for one `pow`.
private func power(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    var remaining = Int(exponent)
    while remaining > 0 && result.isFinite { result *= base; remaining -= 1 }
    return result
}
