import Metrics

/// The dispatcher's swift-metrics instruments for one endpoint (created once, labelled by
/// dimensions). `route` dimensions come from each message.
struct DispatcherMetrics: Sendable {
    let endpoint: String
    private let latency: Timer
    private let breaker: Gauge
    private let shedCalls: Counter

    init(endpoint: String) {
        self.endpoint = endpoint
        latency = Timer(label: "paklog_delivery_duration_seconds", dimensions: [("endpoint", endpoint)])
        breaker = Gauge(label: "paklog_circuit_breaker_state", dimensions: [("endpoint", endpoint)])
        shedCalls = Counter(label: "paklog_circuit_breaker_shed_total", dimensions: [("endpoint", endpoint)])
    }

    func record(_ events: [OutboxEvent], route: String?, duration: Duration) {
        guard !events.isEmpty else { return }
        latency.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        for event in events {
            let dimensions = [("endpoint", endpoint), ("route", route ?? "")]
            switch event {
            case .delivered: Counter(label: "paklog_messages_delivered_total", dimensions: dimensions).increment()
            case .attemptFailed(let a) where a.nextAttemptAt != nil:
                Counter(label: "paklog_messages_retried_total", dimensions: dimensions).increment()
            case .deadLettered: Counter(label: "paklog_messages_dead_lettered_total", dimensions: dimensions).increment()
            default: break
            }
        }
    }

    /// 0 CLOSED, 1 HALF_OPEN, 2 OPEN.
    func breakerState(_ state: CircuitBreaker.State) {
        switch state {
        case .closed: breaker.record(0)
        case .halfOpen: breaker.record(1)
        case .open: breaker.record(2)
        }
    }

    func shed() { shedCalls.increment() }
}
