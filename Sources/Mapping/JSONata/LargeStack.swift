import Foundation

/// Runs work on a thread of its own with a large stack, for evaluations that recurse deeply (a
/// naive `$fib(30)`, the official suite's recursion cases): Linux gives a main thread 8 MiB and
/// Swift's cooperative threads less, while `JSONataExpression.Limits.stackBudgetBytes` may allow
/// more. The stack is reserved address space; only what the evaluation touches is used.
public enum LargeStack {
    /// 1 GiB.
    public static let defaultSize = 1 << 30

    /// `work()`, run on a new thread with a `size`-byte stack; the calling task suspends
    /// meanwhile (no thread of Swift's cooperative pool is held).
    public static func run<Result: Sendable>(size: Int = defaultSize, _ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.stackSize = size
            thread.start()
        }
    }

    /// `work()`, run on a new thread with a `size`-byte stack; the caller's thread waits. For
    /// synchronous callers only (a command's main thread), never on Swift's cooperative pool.
    public static func runBlocking<Result: Sendable>(size: Int = defaultSize, _ work: @escaping @Sendable () -> Result) -> Result {
        let box = ResultBox<Result>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = work()
            done.signal()
        }
        thread.stackSize = size
        thread.start()
        done.wait()
        return box.value!
    }
}

/// The result, handed from the worker thread to the waiting one.
private final class ResultBox<Value>: @unchecked Sendable {
    // @unchecked: written by the worker before it signals the semaphore, read only after the
    // waiting thread's wait returns.
    var value: Value?
}
