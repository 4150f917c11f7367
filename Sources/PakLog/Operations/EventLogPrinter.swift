import Codecs
import EventStore
import Foundation
import JSON

/// Prints events as JSON lines for `paklog events read`: one object per event with its position,
/// stream, version, type, ids, time, metadata and data. Works on the running daemon's store
/// (SQLite WAL lets a second process read while the daemon writes).
public struct EventLogPrinter {
    public enum Selection: Sendable, Equatable {
        case stream(StreamName)
        case all(EventFilter)
    }

    public let store: any EventStore
    public let output: (String) -> Void

    public init(store: any EventStore, output: @escaping (String) -> Void = { print($0) }) {
        self.store = store
        self.output = output
    }

    /// Prints what `selection` holds from `from` (a stream version, or a global position after
    /// which to read); with `follow`, keeps polling for new events until the task is cancelled.
    public func run(_ selection: Selection, from: Int64, follow: Bool, pageSize: Int = 500) async throws {
        switch selection {
        case .stream(let stream):
            var next = from
            while true {
                let events = try await store.readStream(stream, from: next, direction: .forward, maxCount: pageSize)
                events.forEach { output(Self.line($0)) }
                if let last = events.last { next = last.streamVersion + 1 }
                if events.count == pageSize { continue }
                guard follow else { return }
                try await Task.sleep(for: .milliseconds(200))
            }
        case .all(let filter):
            // The daemon writes in another process, whose commits wake no wait here: poll.
            let subscription = store.subscribe(filter: filter, pageSize: pageSize, startingAfter: from, pollInterval: .milliseconds(200))
            while let events = try await subscription.nextPage(waitingAtMost: follow ? nil : .zero) {
                events.forEach { output(Self.line($0)) }
                if !follow, subscription.isCaughtUp { return }
            }
        }
    }

    /// One JSON line. The event data is JSON already (the store validates it), so it is written
    /// as stored, except that line breaks become spaces: in valid JSON a raw CR or LF can only be
    /// whitespace between tokens (an embedded pretty-printed webhook body, say), and one event must
    /// stay one line.
    public static func line(_ e: RecordedEvent) -> String {
        var s = "{\"position\":\(e.position),\"stream\":\(quote(e.stream.rawValue)),\"version\":\(e.streamVersion)"
        s += ",\"type\":\(quote(e.type)),\"id\":\(quote(e.id.uuidString.lowercased()))"
        s += ",\"recordedAt\":\(quote(UTCTimestamp(millisecondsSince1970: EventTime.milliseconds(e.recordedAt)).rfc3339))"
        if let c = e.metadata.correlationId { s += ",\"correlationId\":\(quote(c))" }
        if let c = e.metadata.causationId { s += ",\"causationId\":\(quote(c))" }
        if let c = e.metadata.source { s += ",\"source\":\(quote(c))" }
        if !e.metadata.extra.isEmpty {
            s += ",\"metadata\":{" + e.metadata.extra.keys.sorted().map { "\(quote($0)):\(quote(e.metadata.extra[$0]!))" }.joined(separator: ",") + "}"
        }
        let data = e.data.contains(where: { $0 == 0x0A || $0 == 0x0D }) ? e.data.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 } : e.data
        s += ",\"data\":" + String(decoding: data, as: UTF8.self) + "}"
        return s
    }

    static func quote(_ text: String) -> String { JSONWriter.quoted(text) }
}
