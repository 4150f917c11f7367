import EventStore
import Foundation

/// Queues messages for an endpoint by hand (CLI, tests, replays); routes queue theirs inside
/// their own transactions.
public struct Outbox: Sendable {
    public let store: any EventStore

    public init(store: any EventStore) { self.store = store }

    /// Appends `messages` to their endpoints' outbox streams in one transaction. Queuing the same
    /// message id again is a no-op.
    @discardableResult
    public func enqueue(_ messages: [OutboxMessage]) async throws -> AppendResult {
        var byEndpoint: [String: [NewEvent]] = [:]
        var order: [String] = []
        for m in messages {
            if byEndpoint[m.endpoint] == nil { order.append(m.endpoint) }
            byEndpoint[m.endpoint, default: []].append(OutboxEvent.queued(m).newEvent())
        }
        return try await store.append(AppendTransaction(appends: order.map {
            StreamAppend(stream: OutboxEvent.stream(forEndpoint: $0), events: byEndpoint[$0]!)
        }))
    }
}
