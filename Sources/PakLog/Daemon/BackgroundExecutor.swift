import Dispatch
import DequeModule
import Foundation
import Synchronization

/// Runs the integration engine's tasks (route consumers, dispatchers) on threads of their own,
/// at a lower scheduling priority than the HTTP event loops.
///
/// Why: the daemon makes SwiftNIO's event loops Swift Concurrency's global executor (see
/// `PakLogDaemon`), so a task that maps a page of messages would otherwise hold a loop that
/// partners' requests are waiting on. Accepting is the part with a partner on the line; what was
/// accepted is durable in the log and can be worked off a moment later, so under overload the
/// backlog grows (visible as route lag) instead of webhook latency.
final class BackgroundExecutor: TaskExecutor, @unchecked Sendable {
    private let queue = Mutex(Deque<UnownedJob>())
    private let ready = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - threads: worker threads (at least one).
    ///   - niceness: added to each worker's nice value (Linux keeps nice values per thread, and
    ///     glibc's nice(3) changes the calling thread's; raising it needs no privilege).
    init(name: String, threads: Int, niceness: Int32) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in
                _ = nice(niceness)
                work()
            }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.withLock { $0.append(job) }
        ready.signal()
    }

    private func work() {
        while true {
            ready.wait()
            guard let job = queue.withLock({ $0.popFirst() }) else { continue }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
