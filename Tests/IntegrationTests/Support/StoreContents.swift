import EventStore
import Foundation
import Logging

/// The whole log of a daemon's store file, read with the EventStore module after the daemon has
/// stopped (or been killed): what was really kept, independent of what the daemon answered.
struct StoreContents {
    let events: [RecordedEvent]

    static func read(path: String) async throws -> StoreContents {
        let store = try SQLiteEventStore(path: path, durability: .full, logger: Logger(label: "e2e.store-reader"))
        var events: [RecordedEvent] = []
        var after: Int64 = 0
        while true {
            let page = try await store.readAll(after: after, filter: .all, maxCount: 1000)
            events += page.events
            guard page.scannedThrough > after else { break }
            after = page.scannedThrough
        }
        await store.close()
        return StoreContents(events: events)
    }

    func stream(_ name: String) -> [RecordedEvent] { events.filter { $0.stream.rawValue == name } }

    /// Events of a topic (`order-events`): every stream of its category (`order-…`).
    func topic(_ topic: String) -> [RecordedEvent] {
        let category = String(topic.dropLast("-events".count))
        return events.filter { $0.stream.category == category }
    }

    /// The partner's idempotency keys (`webhook-id`s) of the messages in `inbox-<source>`.
    func inboxKeys(source: String) -> [String] {
        stream("inbox-\(source)").compactMap { event in
            event.metadata.extra["idempotencyKey"] ?? (json(event)?["idempotencyKey"] as? String)
        }
    }

    /// Every `orderId` value found anywhere in the events' data (the canonical order may sit at
    /// the top or under a body field, depending on the event type).
    func orderIds(in events: [RecordedEvent]) -> [String] {
        events.compactMap { event in json(event).flatMap { Self.find("orderId", in: $0) } }
    }

    func json(_ event: RecordedEvent) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(event.data))) as? [String: Any]
    }

    func types(in events: [RecordedEvent]) -> [String: Int] {
        events.reduce(into: [:]) { $0[$1.type, default: 0] += 1 }
    }

    /// A summary of the log per stream category and type, for failure messages.
    var overview: String {
        var counts: [String: Int] = [:]
        for e in events { counts["\(e.stream.category)/\(e.type)", default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    }

    static func find(_ key: String, in value: Any) -> String? {
        if let object = value as? [String: Any] {
            if let found = object[key] as? String { return found }
            for nested in object.values { if let found = find(key, in: nested) { return found } }
        } else if let array = value as? [Any] {
            for nested in array { if let found = find(key, in: nested) { return found } }
        }
        return nil
    }
}
