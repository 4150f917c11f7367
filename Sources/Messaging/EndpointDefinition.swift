/// One delivery target as configured: what delivers, how failures are retried, when to stop
/// calling it, and how many deliveries may run at once.
public struct EndpointDefinition: Sendable {
    /// Names the streams `outbox-<name>`, `dlq-endpoint-<name>`, `breaker-<name>` and the metrics'
    /// `endpoint`.
    public var name: String
    public var endpoint: any Endpoint
    public var retryPolicy: RetryPolicy
    /// nil: no circuit breaker.
    public var circuitBreaker: CircuitBreakerConfiguration?
    /// Deliveries in flight at most (per endpoint, so one slow partner never holds up another).
    /// Default 8.
    public var maximumConcurrentDeliveries: Int

    public init(name: String, endpoint: any Endpoint, retryPolicy: RetryPolicy = RetryPolicy(),
                circuitBreaker: CircuitBreakerConfiguration? = CircuitBreakerConfiguration(), maximumConcurrentDeliveries: Int = 8) {
        self.name = name
        self.endpoint = endpoint
        self.retryPolicy = retryPolicy
        self.circuitBreaker = circuitBreaker
        self.maximumConcurrentDeliveries = maximumConcurrentDeliveries
    }

    /// Every problem with the definition, each naming the endpoint and the setting.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if name.isEmpty { errors.append("endpoint name must not be empty") }
        if maximumConcurrentDeliveries < 1 { errors.append("endpoint '\(name)': maximumConcurrentDeliveries must be at least 1, got \(maximumConcurrentDeliveries)") }
        errors += retryPolicy.validationErrors().map { "endpoint '\(name)': retryPolicy: \($0)" }
        errors += (circuitBreaker?.validationErrors() ?? []).map { "endpoint '\(name)': circuitBreaker: \($0)" }
        return errors
    }
}
