import EventStore
import Foundation
import JSON
import Logging
import Mapping
import Messaging
import StoreTestSupport
import Synchronization
import Testing
@testable import PakLog

/// The daemon hands the engine its `BackgroundExecutor`; route work must really run there, also
/// inside the unstructured tasks the consumers and dispatchers start (which do not inherit a
/// caller's executor preference).
@Suite("Engine on the background executor")
struct EngineExecutorTests {
    /// Records the nice value of each thread a mapping runs on.
    final class NiceRecorder: MessageTransform, Sendable {
        let seen = Mutex<[Int32]>([])
        var mappingName: String { "nice-recorder" }
        var mappingVersion: String { "1" }
        func apply(_ input: JSONValue) throws -> JSONValue? {
            errno = 0
            let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            seen.withLock { $0.append(nice) }
            return input
        }
    }

    @Test("route consumers map on the executor's (nicer) threads")
    func routeWorkRunsOnExecutor() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let recorder = NiceRecorder()
        let route = RouteDefinition(name: "nice", from: .adapter("sensor"), steps: [
            .transform(recorder), .to([.stream("mapped", eventType: "Mapped")]),
        ])
        let executor = BackgroundExecutor(name: "test.engine", threads: 1, niceness: 6)
        let engine = try MessagingEngine(store: store, routes: [route], endpoints: [], pollInterval: .milliseconds(10), executor: executor)
        for index in 0..<3 {
            _ = try await engine.inbox.accept(Envelope(source: "sensor", body: Array(#"{"reading":\#(index)}"#.utf8), idempotencyKey: "r-\(index)"))
        }
        let running = Task { try await engine.run() }
        let deadline = ContinuousClock.now + .seconds(30)
        while recorder.seen.withLock({ $0.count }) < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        running.cancel()
        try await running.value
        await store.close()
        errno = 0
        let callers = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #expect(recorder.seen.withLock { $0 } == Array(repeating: min(callers + 6, 19), count: 3))
    }
}
