import EventStore
import Synchronization

/// In-process locks on aggregates, so commands on the same aggregates take turns instead of
/// racing: with optimistic concurrency alone, commands touching a shared stream in one group
/// commit all but one fail and decide again, and under load (twenty-line orders from dozens of
/// callers) nearly every command loses a race. A decision locks each aggregate as it loads it;
/// when one is taken it never waits holding others (no deadlock): it lets go of all of them,
/// waits until that one is free, and decides again. Expected versions stay the guarantee (another
/// process, a stale cache); the locks only keep this process's writers out of each other's way.
final class StreamLocks: Sendable {
    private struct Held {
        var owner: UInt64
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let table = Mutex<[StreamName: Held]>([:])
    private let nextOwner = Atomic<UInt64>(1)

    func newOwner() -> UInt64 { nextOwner.add(1, ordering: .relaxed).oldValue }

    /// Takes `stream` for `owner`; false when another owner holds it.
    func tryLock(_ stream: StreamName, owner: UInt64) -> Bool {
        table.withLock { t in
            if let held = t[stream] { return held.owner == owner }
            t[stream] = Held(owner: owner)
            return true
        }
    }

    func unlock(_ streams: some Sequence<StreamName>, owner: UInt64) {
        var woken: [CheckedContinuation<Void, Never>] = []
        table.withLock { t in
            for s in streams where t[s]?.owner == owner {
                woken += t.removeValue(forKey: s)!.waiters
            }
        }
        for w in woken { w.resume() }
    }

    /// Returns once `stream` is (or was, for a moment) free.
    func waitUntilFree(_ stream: StreamName) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let free = table.withLock { t -> Bool in
                guard t[stream] != nil else { return true }
                t[stream]!.waiters.append(c)
                return false
            }
            if free { c.resume() }
        }
    }
}

/// Thrown by a decision that found an aggregate locked by another command.
struct StreamBusy: Error {
    var stream: StreamName
}
