import EventStore
import Synchronization

/// The last known state of recently used aggregates, each with the stream version it was folded
/// to. It is only a shortcut: a command appends with the cached version as its expected version,
/// so a stale entry costs a `wrongExpectedVersion` and a reload, never a wrong decision.
final class AggregateCache: Sendable {
    struct Entry: Sendable {
        var version: Int64
        var state: any AggregateState
    }

    private let entries = Mutex<[StreamName: Entry]>([:])
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func get(_ stream: StreamName) -> Entry? { entries.withLock { $0[stream] } }

    /// Keeps `entry` unless a newer version of the stream is already cached.
    func put(_ stream: StreamName, _ entry: Entry) {
        entries.withLock { map in
            if let old = map[stream], old.version >= entry.version { return }
            if map.count >= capacity { map.removeAll(keepingCapacity: true) }  // rare, and a miss only costs a read
            map[stream] = entry
        }
    }

    func remove(_ streams: some Sequence<StreamName>) {
        entries.withLock { map in for s in streams { map.removeValue(forKey: s) } }
    }
}
