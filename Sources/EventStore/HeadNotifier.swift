import Synchronization

/// The committed head position of the log, and the tasks waiting for it to move.
///
/// The writer calls `advance(to:)` after each commit has returned; `wait(after:)` checks the head
/// and registers under the same lock, so a commit between a reader's last read and its wait can
/// never be missed.
final class HeadNotifier: Sendable {
    private struct Waiter {
        var after: Int64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var head: Int64
        var waiters: [UInt64: Waiter] = [:]
        var nextWaiterID: UInt64 = 0
        var closed = false
    }

    private let state: Mutex<State>

    init(head: Int64) { state = Mutex(State(head: head)) }

    var head: Int64 { state.withLock { $0.head } }

    func advance(to head: Int64) {
        let ready: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            guard head > state.head else { return [] }
            state.head = head
            var ready: [CheckedContinuation<Void, any Error>] = []
            for (id, waiter) in state.waiters where waiter.after < head {
                ready.append(waiter.continuation)
                state.waiters[id] = nil
            }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Fails every present and future waiter with `EventStoreError.closed`.
    func close() {
        let waiting: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            state.closed = true
            defer { state.waiters = [:] }
            return state.waiters.values.map(\.continuation)
        }
        for continuation in waiting { continuation.resume(throwing: EventStoreError.closed) }
    }

    func wait(after position: Int64) async throws {
        let id: UInt64? = try state.withLock { state in
            if state.closed { throw EventStoreError.closed }
            if state.head > position { return nil }
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if state.closed { return .failure(EventStoreError.closed) }
                    if state.head > position { return .success(()) }
                    // Cancellation sets the flag before running the handler: either the handler
                    // runs after this registration and finds the waiter, or the flag is seen here.
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = Waiter(after: position, continuation: continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }
}
