import EventStore
import Foundation
import Synchronization

/// The last known state of recently used aggregates, each with the stream version it was folded
/// to. It is only a shortcut: a command appends with the cached version as its expected version,
/// so a stale entry costs a `wrongExpectedVersion` and a reload, never a wrong decision.
///
/// An entry may be ahead of the log: a command's states are cached when its append is queued,
/// so the next command on those aggregates decides while the first one's commit runs. Such an
/// entry is not durable until the commit returns; commands may build on it (their expected
/// versions fail if it never commits), queries do not see it.
final class AggregateCache: Sendable {
    struct Entry: Sendable {
        var version: Int64
        var state: any AggregateState
        /// False while the append that produced it may still fail.
        var isDurable = true
        /// The id of the stream's event at `version`, when known: a command deciding on an entry
        /// that is not durable expects exactly that event (`ExpectedVersion.exactEvent`).
        var lastEventId: UUID?
    }

    private let entries = Mutex<[StreamName: Entry]>([:])
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func get(_ stream: StreamName) -> Entry? { entries.withLock { $0[stream] } }

    /// Removes and returns the entry. A decision owns an aggregate's state while it holds the
    /// aggregate's lock: with no other reference to it, folding its events in copies nothing
    /// (a SKU's reservations can run into thousands).
    func take(_ stream: StreamName) -> Entry? { entries.withLock { $0.removeValue(forKey: stream) } }

    /// Marks the entry at `version` durable, if it is still cached.
    func markDurable(_ stream: StreamName, version: Int64) {
        entries.withLock { map in
            if map[stream]?.version == version { map[stream]!.isDurable = true }
        }
    }

    /// Keeps `entry` unless a newer version of the stream is already cached (or the same one,
    /// unless `entry` confirms it durable).
    func put(_ stream: StreamName, _ entry: Entry) {
        entries.withLock { map in
            if let old = map[stream], old.version > entry.version || (old.version == entry.version && (old.isDurable || !entry.isDurable)) { return }
            if map.count >= capacity { map.removeAll(keepingCapacity: true) }  // rare, and a miss only costs a read
            map[stream] = entry
        }
    }

    func remove(_ streams: some Sequence<StreamName>) {
        entries.withLock { map in for s in streams { map.removeValue(forKey: s) } }
    }
}
