import EventStore
import Synchronization

/// One lane for decisions on contended aggregates. Optimistic concurrency alone livelocks when
/// many writers hit one stream: a group commit lets only one of them win per batch, and the
/// losers retry into the next batch together. A stream that just caused a conflict is "hot" for
/// a moment; a decision that loads a hot stream, or retries after losing, waits for the lane, so
/// those decisions run one at a time and each wins. Decisions on cold streams never wait.
final class ContentionLane: Sendable {
    private struct State {
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        var hot: [StreamName: ContinuousClock.Instant] = [:]
    }

    private let state = Mutex(State())
    private let hotFor: Duration

    init(hotFor: Duration = .seconds(1)) { self.hotFor = hotFor }

    func markHot(_ stream: StreamName) {
        let until = ContinuousClock.now + hotFor
        state.withLock { s in
            if s.hot.count > 10_000 { s.hot = s.hot.filter { $0.value > .now } }
            s.hot[stream] = until
        }
    }

    func isHot(_ stream: StreamName) -> Bool {
        state.withLock { s in
            guard let until = s.hot[stream] else { return false }
            if until > .now { return true }
            s.hot.removeValue(forKey: stream)
            return false
        }
    }

    func acquire() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resume = state.withLock { s -> Bool in
                if s.held { s.waiters.append(c); return false }
                s.held = true
                return true
            }
            if resume { c.resume() }
        }
    }

    func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty { s.held = false; return nil }
            return s.waiters.removeFirst()  // the lane passes straight to the next waiter
        }
        next?.resume()
    }
}
