import BusinessKeys
import EventStore
import Gateway
import Prometheus

/// What the console needs from the daemon, as values and closures.
public struct ConsoleServices: Sendable {
    /// The principal of an API key or token: the same check as bearer tokens
    /// (`GatewayServices.authenticate`, constant-time).
    public var authenticate: @Sendable (_ key: [UInt8]) -> Principal?
    public var sessions: ConsoleSessions
    public var store: any EventStore
    /// The dead-letter operations of the API (replay, dry run, discard): one code path for both.
    public var deadLetters: DeadLetterRoutes
    public var index: BusinessKeyIndex
    public var metrics: PrometheusCollectorRegistry
    public var status: @Sendable () async -> ConsoleStatus

    public init(authenticate: @escaping @Sendable ([UInt8]) -> Principal?, sessions: ConsoleSessions, store: any EventStore, deadLetters: DeadLetterRoutes,
                index: BusinessKeyIndex, metrics: PrometheusCollectorRegistry, status: @escaping @Sendable () async -> ConsoleStatus) {
        self.authenticate = authenticate
        self.sessions = sessions
        self.store = store
        self.deadLetters = deadLetters
        self.index = index
        self.metrics = metrics
        self.status = status
    }
}
