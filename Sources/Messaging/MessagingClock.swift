import Foundation

/// Where the messaging engine gets wall-clock time (retry schedules and aggregation timeouts are
/// persisted as wall-clock times, so they survive restarts). Injected so tests can move time.
public protocol MessagingClock: Sendable {
    func now() -> Date
}

/// The system's wall clock.
public struct SystemClock: MessagingClock {
    public init() {}
    public func now() -> Date { Date() }
}
