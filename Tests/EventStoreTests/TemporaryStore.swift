import Foundation
import Logging
@testable import EventStore

/// A store in a fresh temporary directory, removed afterwards.
func withTemporaryStore<T>(
    configuration: SQLiteEventStore.Configuration = .init(),
    _ body: (SQLiteEventStore, String) async throws -> T
) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eventstore-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("events.sqlite").path
    let store = try SQLiteEventStore(path: path, configuration: configuration, logger: Logger(label: "test.eventstore"))
    do {
        let result = try await body(store, path)
        await store.close()
        return result
    } catch {
        await store.close()
        throw error
    }
}

func event(_ type: String = "Happened", json: String = #"{"n":1}"#, id: UUID = UUID(), metadata: EventMetadata = EventMetadata()) -> NewEvent {
    NewEvent(id: id, type: type, data: Array(json.utf8), metadata: metadata)
}

/// Reads the whole log.
func readEverything(_ store: some EventStore, filter: EventFilter = .all) async throws -> [RecordedEvent] {
    var events: [RecordedEvent] = []
    var after: Int64 = 0
    while true {
        let page = try await store.readAll(after: after, filter: filter, maxCount: 1000)
        events += page.events
        if page.scannedThrough == after { return events }
        after = page.scannedThrough
    }
}
