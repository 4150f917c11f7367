import Gateway
import StrictYAML

extension YAMLMapping {
    /// `requestsPerSecond` and `burst` (`http.rateLimit`, a webhook source's `rateLimit`), each
    /// defaulting to `base`'s; a bad value is reported on its node.
    public func rateLimit(base: RateLimiter.Limit) -> RateLimiter.Limit {
        var l = base
        if let v = optional("requestsPerSecond")?.double(), v > 0 { l.requestsPerSecond = v } else if let n = optional("requestsPerSecond") {
            n.report("requestsPerSecond is a number above 0")
        }
        if let v = optional("burst")?.int(in: 1...1_000_000) { l.burst = v }
        return l
    }
}
