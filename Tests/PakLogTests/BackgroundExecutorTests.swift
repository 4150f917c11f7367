import Foundation
import Testing
@testable import PakLog

@Suite("Background executor")
struct BackgroundExecutorTests {
    private static func niceValue() -> Int32 {
        errno = 0
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
    }

    @Test("tasks that prefer it run on its threads, which are nicer than the caller's")
    func runsOnNicerThreads() async throws {
        let executor = BackgroundExecutor(name: "test.background", threads: 1, niceness: 3)
        let callers = Self.niceValue()
        let (inside, children) = await withTaskExecutorPreference(executor) {
            // Child tasks inherit the preference.
            let children = await withTaskGroup(of: Int32.self) { group in
                for _ in 0..<4 { group.addTask { Self.niceValue() } }
                return await group.reduce(into: [Int32]()) { $0.append($1) }
            }
            return (Self.niceValue(), children)
        }
        let expected = min(callers + 3, 19)
        #expect(inside == expected)
        #expect(children == Array(repeating: expected, count: 4))
        #expect(Self.niceValue() == callers, "the caller's own thread is left alone")
    }

    @Test("many tasks on one worker thread all complete")
    func manyTasks() async {
        let executor = BackgroundExecutor(name: "test.background.many", threads: 1, niceness: 0)
        let sum = await withTaskGroup(of: Int.self, returning: Int.self) { group in
            for i in 1...1_000 {
                group.addTask(executorPreference: executor) {
                    await Task.yield()
                    return i
                }
            }
            return await group.reduce(0, +)
        }
        #expect(sum == 500_500)
    }
}
