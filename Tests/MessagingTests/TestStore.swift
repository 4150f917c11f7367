import EventStore
import Foundation
import Logging

/// A real SQLite event store in a fresh temporary directory, which a test can close and reopen
/// (a restart).
final class TestStore: Sendable {
    let directory: URL
    var path: String { directory.appendingPathComponent("events.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("paklog-messaging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func open() throws -> SQLiteEventStore {
        try SQLiteEventStore(path: path, durability: .normal, logger: Logger(label: "test.store"))
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

/// Polls `condition` until it holds or `timeout` passes (the condition is the assertion's
/// subject; the timeout only bounds a hang).
func eventually(timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}
