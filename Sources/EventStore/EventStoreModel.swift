import Foundation

/// A stream name `category-id` (`order-4711`, `inbox-shopify`). The category is the part before
/// the first `-`; a name without `-` is its own category.
public struct StreamName: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) {
        precondition(!rawValue.isEmpty, "a stream name is never empty")
        self.rawValue = rawValue
    }

    public init(category: String, id: String) { self.init("\(category)-\(id)") }

    public init(stringLiteral value: String) { self.init(value) }

    public var category: String {
        guard let dash = rawValue.firstIndex(of: "-") else { return rawValue }
        return String(rawValue[..<dash])
    }

    /// The part after the category's `-` (empty for a name without `-`).
    public var id: String {
        guard let dash = rawValue.firstIndex(of: "-") else { return "" }
        return String(rawValue[rawValue.index(after: dash)...])
    }

    /// Why `id` cannot be a stream's id, or nil when it can. `events` is reserved: a stream
    /// `order-events` would sit in the category `order` beside the aggregates while its name says
    /// it is the topic `order-events`, which is the whole category (see `Topic`).
    public static func problem(withID id: String) -> String? {
        if id.isEmpty { return "is empty" }
        if id == Topic.suffix { return "is reserved: '<category>-\(Topic.suffix)' names a topic, the whole category, not one stream" }
        return nil
    }

    /// Why this name cannot be written to, or nil when it can (the store refuses the others).
    public var problem: String? {
        // Asked on every append: a name ending in neither `-` nor `events` (nearly all) is fine
        // without cutting its id out.
        guard rawValue.utf8.last == UInt8(ascii: "-") || rawValue.hasSuffix(Topic.suffix), rawValue.contains("-") else { return nil }
        return Self.problem(withID: id).map { "stream '\(rawValue)': its id \($0)" }
    }

    public var description: String { rawValue }
}

/// What the writer believes about a stream before appending (EventStoreDB's names).
public enum ExpectedVersion: Sendable, Equatable, CustomStringConvertible {
    /// Append whatever the stream holds.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream must hold at least one event.
    case streamExists
    /// The stream's last event must have this version (versions start at 0).
    case exact(Int64)
    /// The stream's last event must have this version and be the event with this id. A writer
    /// that decided on an append not yet committed (see `EventStore.append(_:whenOrdered:)`)
    /// expects that append's last event: if it never commits, whatever else took its version
    /// does not satisfy the expectation, as a bare version could.
    case exactEvent(Int64, id: UUID)

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no stream"
        case .streamExists: "stream exists"
        case .exact(let v): "\(v)"
        case .exactEvent(let v, let id): "\(v) (event \(id))"
        }
    }
}

/// Where an event came from and what caused it.
public struct EventMetadata: Sendable, Equatable, Codable {
    public var correlationId: String?
    public var causationId: String?
    public var source: String?
    /// Free-form string pairs (trace context, partner, mapping version …).
    public var extra: [String: String]

    public init(correlationId: String? = nil, causationId: String? = nil, source: String? = nil, extra: [String: String] = [:]) {
        self.correlationId = correlationId
        self.causationId = causationId
        self.source = source
        self.extra = extra
    }
}

/// An event to append. `data` is the event's JSON body as UTF-8 bytes.
public struct NewEvent: Sendable, Equatable {
    public var id: UUID
    public var type: String
    public var data: [UInt8]
    public var metadata: EventMetadata

    public init(id: UUID = .timeOrdered(), type: String, data: [UInt8], metadata: EventMetadata = EventMetadata()) {
        self.id = id
        self.type = type
        self.data = data
        self.metadata = metadata
    }
}

/// An event as stored: its stream version and its global position in the log.
public struct RecordedEvent: Sendable, Equatable {
    public var id: UUID
    public var stream: StreamName
    /// 0-based version within its stream.
    public var streamVersion: Int64
    /// 1-based position in the whole log; strictly increasing in commit order.
    public var position: Int64
    public var type: String
    public var data: [UInt8]
    public var metadata: EventMetadata
    /// When the store committed it.
    public var recordedAt: Date

    public init(id: UUID, stream: StreamName, streamVersion: Int64, position: Int64, type: String, data: [UInt8], metadata: EventMetadata, recordedAt: Date) {
        self.id = id
        self.stream = stream
        self.streamVersion = streamVersion
        self.position = position
        self.type = type
        self.data = data
        self.metadata = metadata
        self.recordedAt = recordedAt
    }
}

/// One stream's part of an atomic append.
public struct StreamAppend: Sendable, Equatable {
    public var stream: StreamName
    public var events: [NewEvent]
    public var expectedVersion: ExpectedVersion
    /// The idempotency key of this append alone (an inbound item's `<source>:<key>`). When it is
    /// already committed, or an earlier append of the same transaction carries it, this append is
    /// skipped (not an error: see `AppendResult.skippedAppends`) while the rest of the transaction
    /// is written; otherwise the key is committed with it. This lets a poller store a page whose
    /// items overlap the previous page's without storing any item twice.
    public var idempotencyKey: String?

    public init(stream: StreamName, events: [NewEvent], expectedVersion: ExpectedVersion = .any, idempotencyKey: String? = nil) {
        self.stream = stream
        self.events = events
        self.expectedVersion = expectedVersion
        self.idempotencyKey = idempotencyKey
    }
}

/// Everything that must become durable together, in one transaction: events on one or more
/// streams, optionally an idempotency key that caused them, and optionally a subscription
/// checkpoint that consuming the cause moves (the effectively-once rule of the design card).
public struct AppendTransaction: Sendable, Equatable {
    public var appends: [StreamAppend]
    /// If set and already committed, nothing is written and the first commit's result is returned.
    public var idempotencyKey: String?
    /// If set, the named checkpoint is moved to this position in the same transaction.
    public var checkpoint: Checkpoint?
    /// Cursors moved in the same transaction, each checked against its expectation first; one
    /// mismatch fails the whole transaction with `EventStoreError.cursorConflict`. A transaction
    /// that repeats a committed one (rules 1 and 3 of the store's idempotency) writes nothing and
    /// checks no cursor.
    public var cursors: [CursorUpdate]

    public init(appends: [StreamAppend], idempotencyKey: String? = nil, checkpoint: Checkpoint? = nil, cursors: [CursorUpdate] = []) {
        self.appends = appends
        self.idempotencyKey = idempotencyKey
        self.checkpoint = checkpoint
        self.cursors = cursors
    }
}

/// A named subscription position: every event at or before `position` was handled.
public struct Checkpoint: Sendable, Equatable, Codable {
    public var name: String
    public var position: Int64
    public init(name: String, position: Int64) {
        self.name = name
        self.position = position
    }
}

/// The outcome of a committed append.
public struct AppendResult: Sendable, Equatable {
    /// Per stream in the transaction, in order: the stream version of its last event after the append.
    public var streamVersions: [StreamName: Int64]
    /// Global positions of the appended events, in append order. For an idempotent no-op these are
    /// the positions of the original events (`SQLiteEventStore` returns them both for a repeated
    /// idempotency key and for repeated event ids).
    public var positions: [Int64]
    /// True when nothing new was written: the idempotency key or every event id was already there.
    public var wasDuplicate: Bool
    /// Indexes into the transaction's `appends` of those skipped because their own
    /// `StreamAppend.idempotencyKey` was already committed; they add nothing to `positions` or
    /// `streamVersions`.
    public var skippedAppends: Set<Int>

    public init(streamVersions: [StreamName: Int64], positions: [Int64], wasDuplicate: Bool, skippedAppends: Set<Int> = []) {
        self.streamVersions = streamVersions
        self.positions = positions
        self.wasDuplicate = wasDuplicate
        self.skippedAppends = skippedAppends
    }
}

/// Which events a log read or subscription sees.
public enum EventFilter: Sendable, Equatable {
    case all
    /// Streams whose category is one of these.
    case categories(Set<String>)
    /// Streams whose category is `category` (`order`, `inbox`, `dlq` …).
    public static func category(_ c: String) -> EventFilter { .categories([c]) }

    public func matches(_ stream: StreamName) -> Bool {
        switch self {
        case .all: true
        case .categories(let set): set.contains(stream.category)
        }
    }
}

/// A page of the log: the matching events and how far the read looked, so that a filter that
/// matches nothing still lets its reader's checkpoint move.
public struct LogPage: Sendable, Equatable {
    public var events: [RecordedEvent]
    /// The highest global position examined by this read (0 if the log is empty).
    public var scannedThrough: Int64
    public init(events: [RecordedEvent], scannedThrough: Int64) {
        self.events = events
        self.scannedThrough = scannedThrough
    }
}

public enum ReadDirection: Sendable, Equatable { case forward, backward }

/// How hard each commit goes to disk (SQLite `PRAGMA synchronous`).
public enum Durability: String, Sendable, Codable, CaseIterable {
    /// fsync on every commit of the WAL: an acknowledged append survives power loss.
    case full
    /// fsync only at checkpoints: survives a process crash, not a power loss.
    case normal
}

/// A stored aggregate snapshot.
public struct Snapshot: Sendable, Equatable {
    public var stream: StreamName
    public var version: Int64
    public var state: [UInt8]
    public init(stream: StreamName, version: Int64, state: [UInt8]) {
        self.stream = stream
        self.version = version
        self.state = state
    }
}

/// What can go wrong when writing to or reading from the store.
public enum EventStoreError: Error, Equatable, CustomStringConvertible {
    /// The stream's actual version did not satisfy the expectation (`actual` is -1 for no stream).
    case wrongExpectedVersion(stream: StreamName, expected: ExpectedVersion, actual: Int64)
    /// An event id already exists with different content (or in another stream).
    case idempotencyConflict(eventId: UUID, stream: StreamName)
    /// Some, but not all, of a batch's event ids already exist (EventStoreDB: CorruptedIdempotency).
    case partialDuplicateBatch(stream: StreamName, existing: Int, total: Int)
    /// The event's data is not valid JSON.
    case invalidEventData(eventId: UUID, reason: String)
    /// The stream's name cannot be written to (`StreamName.problem`).
    case invalidStreamName(stream: StreamName, reason: String)
    /// A cursor did not hold what its `CursorUpdate.expected` required (another writer moved it);
    /// nothing of the transaction was written.
    case cursorConflict(name: String)
    /// A cursor's name is empty or its value is not JSON.
    case invalidCursor(name: String, reason: String)
    /// The store has been closed.
    case closed
    /// The database failed; `message` is SQLite's.
    case storage(String)

    public var description: String {
        switch self {
        case let .wrongExpectedVersion(stream, expected, actual):
            "wrong expected version for stream '\(stream)': expected \(expected), actual \(actual == -1 ? "no stream" : String(actual))"
        case let .idempotencyConflict(id, stream):
            "event \(id) already exists with different content (stream '\(stream)')"
        case let .partialDuplicateBatch(stream, existing, total):
            "\(existing) of \(total) event ids in the batch for stream '\(stream)' already exist; a batch is either all new or all repeated"
        case let .invalidEventData(id, reason):
            "event \(id) has invalid JSON data: \(reason)"
        case let .invalidStreamName(_, reason):
            reason
        case .cursorConflict(let name):
            // The values are not echoed: a cursor may hold a partner's page token.
            "cursor '\(name)' does not hold the expected value: another writer moved it"
        case let .invalidCursor(name, reason):
            "cursor '\(name)': \(reason)"
        case .closed:
            "the event store is closed"
        case .storage(let message):
            "storage error: \(message)"
        }
    }
}
