/// One delivery target as configured: what delivers, how failures are retried, when to stop
/// calling it, how many deliveries may run at once, and the exchange around each call.
public struct EndpointDefinition: Sendable {
    /// Names the streams `outbox-<name>`, `reply-<name>`, `dlq-endpoint-<name>`, `breaker-<name>`
    /// and the metrics' `endpoint`.
    public var name: String
    public var endpoint: any Endpoint
    public var retryPolicy: RetryPolicy
    /// nil: no circuit breaker.
    public var circuitBreaker: CircuitBreakerConfiguration?
    /// Deliveries in flight at most (per endpoint, so one slow partner never holds up another).
    /// Default 8.
    public var maximumConcurrentDeliveries: Int
    /// InOut: each accepted call's answer is recorded in `reply-<name>` for routes to read.
    public var exchangePattern: ExchangePattern
    /// Set when a delivery is complete only once the partner acknowledges it by another path.
    public var acknowledgment: AcknowledgmentPolicy?
    /// How messages with an ordering key are delivered.
    public var ordering: OrderingPolicy

    public init(name: String, endpoint: any Endpoint, retryPolicy: RetryPolicy = RetryPolicy(),
                circuitBreaker: CircuitBreakerConfiguration? = CircuitBreakerConfiguration(), maximumConcurrentDeliveries: Int = 8,
                exchangePattern: ExchangePattern = .inOnly, acknowledgment: AcknowledgmentPolicy? = nil, ordering: OrderingPolicy = OrderingPolicy()) {
        self.name = name
        self.endpoint = endpoint
        self.retryPolicy = retryPolicy
        self.circuitBreaker = circuitBreaker
        self.maximumConcurrentDeliveries = maximumConcurrentDeliveries
        self.exchangePattern = exchangePattern
        self.acknowledgment = acknowledgment
        self.ordering = ordering
    }

    /// Every problem with the definition, each naming the endpoint and the setting.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if name.isEmpty { errors.append("endpoint name must not be empty") }
        if maximumConcurrentDeliveries < 1 { errors.append("endpoint '\(name)': maximumConcurrentDeliveries must be at least 1, got \(maximumConcurrentDeliveries)") }
        errors += retryPolicy.validationErrors().map { "endpoint '\(name)': retryPolicy: \($0)" }
        errors += (circuitBreaker?.validationErrors() ?? []).map { "endpoint '\(name)': circuitBreaker: \($0)" }
        if let a = acknowledgment, a.timeout <= .zero { errors.append("endpoint '\(name)': acknowledgment.timeout must be positive, got \(a.timeout)") }
        return errors
    }
}

/// Camel's exchange patterns.
public enum ExchangePattern: String, Sendable, Equatable, CaseIterable {
    /// Fire and forget: the answer only decides delivered, retry or dead letter.
    case inOnly = "InOnly"
    /// Request-reply: the answer is recorded as an event correlated to the message.
    case inOut = "InOut"
}

/// A delivery that the partner confirms later and by another path (an asynchronous MDN, a 997,
/// a carrier's webhook): after the call succeeds the message waits, up to `timeout`, for a
/// correlated acknowledgment (a route's `acknowledge:<endpoint>` destination).
public struct AcknowledgmentPolicy: Sendable {
    /// What to do when no acknowledgment came within the timeout.
    public enum OnTimeout: String, Sendable, Equatable, CaseIterable {
        /// Count it as a failed attempt and send again per the redelivery policy (then dead-letter).
        case redeliver
        /// Dead-letter at once (and raise it on `error-events`).
        case deadLetter
    }

    /// Over `{headers, body, reply}` of the delivered message (`reply`: `{statusCode, headers,
    /// body}` of the answer): the key the acknowledgment will carry. nil: the key the endpoint
    /// reports, else the message id.
    public var key: RouteExpression?
    public var timeout: Duration
    public var onTimeout: OnTimeout

    public init(key: RouteExpression? = nil, timeout: Duration, onTimeout: OnTimeout = .redeliver) {
        self.key = key
        self.timeout = timeout
        self.onTimeout = onTimeout
    }
}

/// Ordered delivery (the resequencer's guarantee on the outbound side): messages with the same
/// ordering key go one at a time, in queue order, across retries and restarts.
public struct OrderingPolicy: Sendable {
    public enum OnDeadLetter: String, Sendable, Equatable, CaseIterable {
        /// The next message of the key goes on.
        case `continue`
        /// The key waits until the dead letter is replayed (the replay goes first) or discarded.
        case hold
    }

    /// Over `{headers, body}` of each message a route queues here (a `to:` entry's own key wins).
    public var key: RouteExpression?
    public var onDeadLetter: OnDeadLetter

    public init(key: RouteExpression? = nil, onDeadLetter: OnDeadLetter = .continue) {
        self.key = key
        self.onDeadLetter = onDeadLetter
    }
}
