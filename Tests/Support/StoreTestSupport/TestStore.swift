import EventStore
import Foundation
import Logging

/// A real SQLite event store in a fresh temporary directory, which a test can close and reopen
/// (a restart). The directory goes when the value does. Shared by the test targets that need a
/// store beside the module they test.
public final class TestStore: Sendable {
    public let directory: URL
    public var path: String { directory.appendingPathComponent("events.sqlite").path }

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("paklog-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Opens the store with `durability: .normal` (the tests are about behaviour, not fsync).
    public func open() throws -> SQLiteEventStore {
        try SQLiteEventStore(path: path, durability: .normal, logger: Logger(label: "test.store"))
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}
