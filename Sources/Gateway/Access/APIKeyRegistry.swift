import EventStore
import Foundation
import Synchronization

/// The API keys the gateway accepts, read from the log and kept current: `refresh` reads what
/// was appended since (a key created or revoked by `paklog keys` while the daemon runs), and
/// the daemon calls it every second.
public final class APIKeyRegistry: Sendable {
    private let store: any EventStore
    private let state = Mutex<(keys: [String: APIKey], after: Int64)>(([:], 0))

    public init(store: any EventStore) { self.store = store }

    public func refresh() async throws {
        var (keys, after) = state.withLock { ($0.keys, $0.after) }
        let read = try await APIKeyEvents.read(store, after: after, into: &keys)
        after = read
        state.withLock { $0 = (keys, max($0.after, after)) }
    }

    /// The principal of `token`, if it is one of the keys and not revoked.
    public func principal(for token: [UInt8]) -> Principal? {
        guard let (id, secret) = APIKey.parse(token), let key = state.withLock({ $0.keys[id] }), key.accepts(secret: secret) else { return nil }
        return Principal(id: key.id, name: key.name, scopes: key.scopes)
    }

    /// Refreshes every `interval` until cancelled (a failed read is tried again next time).
    public func follow(every interval: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            try? await refresh()
            try? await Task.sleep(for: interval)
        }
    }
}
