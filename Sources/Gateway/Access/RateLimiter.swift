import Foundation
import Synchronization

/// Token buckets per credential and route class (the route's scope): each holds `burst`
/// requests and refills at `requestsPerSecond`. A request that finds its bucket empty is
/// answered 429 with `Retry-After`; every answer carries the IETF `RateLimit-Policy` and
/// `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers-10 §3–4: quota `q` over window
/// `w` seconds; remaining `r`, seconds `t` until the bucket is full again).
public final class RateLimiter: Sendable {
    /// One route class's limit.
    public struct Limit: Sendable, Equatable {
        public var requestsPerSecond: Double
        public var burst: Int

        public init(requestsPerSecond: Double, burst: Int) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
        }

        /// The window in which a full bucket refills, in whole seconds (at least 1).
        var window: Int { max(1, Int((Double(burst) / requestsPerSecond).rounded(.up))) }
    }

    /// What one request got.
    public struct Decision: Sendable, Equatable {
        public var allowed: Bool
        public var policy: String
        public var state: String
        /// Seconds until one request is allowed again (when not allowed).
        public var retryAfter: Int
    }

    let defaultLimit: Limit
    let limits: [String: Limit]
    private let buckets = Mutex<[String: (tokens: Double, at: Double)]>([:])
    private let now: @Sendable () -> Double

    /// - Parameters:
    ///   - limits: per route class (scope), replacing `defaultLimit` for it.
    ///   - now: seconds on a monotonic clock (tests pass their own).
    public init(defaultLimit: Limit, limits: [String: Limit] = [:],
                now: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) {
        self.defaultLimit = defaultLimit
        self.limits = limits
        self.now = now
    }

    /// Takes one request from `credential`'s bucket for `routeClass`.
    public func take(credential: String, routeClass: String) -> Decision {
        let limit = limits[routeClass] ?? defaultLimit
        let key = credential + "\u{0}" + routeClass
        let t = now()
        let (allowed, tokens) = buckets.withLock { buckets -> (Bool, Double) in
            var bucket = buckets[key] ?? (Double(limit.burst), t)
            bucket.tokens = min(Double(limit.burst), bucket.tokens + (t - bucket.at) * limit.requestsPerSecond)
            bucket.at = t
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[key] = bucket
            return (allowed, bucket.tokens)
        }
        let name = Self.policyName(routeClass)
        let untilFull = Int(((Double(limit.burst) - tokens) / limit.requestsPerSecond).rounded(.up))
        let retry = allowed ? 0 : max(1, Int(((1 - tokens) / limit.requestsPerSecond).rounded(.up)))
        return Decision(allowed: allowed, policy: "\"\(name)\";q=\(limit.burst);w=\(limit.window)",
                        state: "\"\(name)\";r=\(Int(tokens.rounded(.down)));t=\(max(0, untilFull))", retryAfter: retry)
    }

    /// A structured-field string may hold printable ASCII but `"` and `\` need escapes; scope
    /// names (`orders:read`) have neither.
    static func policyName(_ routeClass: String) -> String { routeClass.filter { $0 != "\"" && $0 != "\\" } }
}
