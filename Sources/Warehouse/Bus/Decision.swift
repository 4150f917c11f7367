import EventStore
import Foundation
import JSON

/// One attempt at deciding a command: the aggregates it loaded (each with the version it was
/// loaded at, the expected version of its append), the events it decided per stream, and the
/// reasons it found to refuse. Events decided on a loaded aggregate are folded into it at once,
/// so the rest of the decision sees them (two lines of one SKU allocate from what is left).
public final class Decision {
    public let command: CommandEnvelope
    public let now: Date
    public let settings: WarehouseSettings
    let fields: CommandFields
    private let bus: CommandBus

    struct Loaded {
        var version: Int64
        /// Nil only for a moment while an event is folded in (so that this is its only owner),
        /// and after the decision handed its states to the cache.
        var state: (any AggregateState)?
        /// Set when the state was loaded ahead of the log (see `AggregateCache.Entry`).
        var lastEventId: UUID?
        /// As it was loaded: durable unless it came from an append not yet committed.
        var entry: AggregateCache.Entry? {
            state.map { AggregateCache.Entry(version: version, state: $0, isDurable: lastEventId == nil, lastEventId: lastEventId) }
        }
    }

    private(set) var loaded: [StreamName: Loaded] = [:]
    /// The aggregates this decision has locked, to be unlocked when it is done.
    private(set) var locked: [StreamName] = []
    /// Streams in the order they were first written, with their events.
    private(set) var writes: [(stream: StreamName, events: [DomainEvent])] = []
    private var writeIndex: [StreamName: Int] = [:]
    private var extraReasons: [ValidationReason] = []
    /// Who holds this decision's locks (`StreamLocks`).
    let owner: UInt64

    init(command: CommandEnvelope, now: Date, settings: WarehouseSettings, bus: CommandBus, owner: UInt64) {
        self.owner = owner
        self.command = command
        self.now = now
        self.settings = settings
        self.bus = bus
        self.fields = CommandFields(command.body)
    }

    /// Every reason found so far (field problems and business rules).
    public var reasons: [ValidationReason] { fields.reasons + extraReasons }

    public var isRefused: Bool { !reasons.isEmpty }

    public func reject(_ code: String, _ path: String, _ message: String) {
        extraReasons.append(ValidationReason(code: code, path: path, message: message))
    }

    /// The aggregate in `stream`, as this decision has changed it so far.
    public func load<S: AggregateState>(_ type: S.Type, _ stream: StreamName) async throws -> S {
        if let l = loaded[stream] {
            guard let s = l.state as? S else { preconditionFailure("\(stream) loaded as \(String(describing: l.state)) and as \(S.self)") }
            return s
        }
        guard bus.locks.tryLock(stream, owner: owner) else { throw StreamBusy(stream: stream) }
        locked.append(stream)
        let (version, state, lastEventId) = try await bus.loadAggregate(type, stream, owned: true)
        loaded[stream] = Loaded(version: version, state: state, lastEventId: lastEventId)
        return state
    }

    /// The version `stream` was loaded at (-1: it did not exist).
    func loadedVersion(_ stream: StreamName) -> Int64? { loaded[stream]?.version }

    /// Decides `event` on the loaded aggregate in `stream` and folds it in.
    public func emit<S: AggregateState>(_ event: DomainEvent, to stream: StreamName, as type: S.Type) async throws {
        _ = try await load(type, stream)
        // Out of the box first, so that the fold below mutates the only copy.
        var state = loaded[stream]!.state as! S
        loaded[stream]!.state = nil
        defer { loaded[stream]!.state = state }
        try state.apply(event)
        appendWrite(event, stream)
    }

    /// Lets go of the states this decision owns and returns them: those of the streams it wrote
    /// when `written` (for the cache, ahead of the log), else those it only read (unchanged).
    func handOver(written: Bool) -> [StreamName: Loaded] {
        var out: [StreamName: Loaded] = [:]
        for (stream, l) in loaded where (writeIndex[stream] != nil) == written && l.state != nil {
            out[stream] = l
            loaded[stream]!.state = nil
        }
        return out
    }

    /// Decides `event` on a stream that is only written, never read to decide (pick records):
    /// appended whatever the stream holds.
    public func record(_ event: DomainEvent, to stream: StreamName) {
        precondition(loaded[stream] == nil, "\(stream) is an aggregate of this decision: emit to it")
        appendWrite(event, stream)
    }

    private func appendWrite(_ event: DomainEvent, _ stream: StreamName) {
        if let i = writeIndex[stream] {
            writes[i].events.append(event)
        } else {
            writeIndex[stream] = writes.count
            writes.append((stream, [event]))
        }
    }

    /// The appends that carry this decision: loaded streams with their loaded version expected.
    func appends(metadata: EventMetadata) -> [StreamAppend] {
        writes.map { w in
            let expected: ExpectedVersion
            if let l = loaded[w.stream] {
                expected = l.version == -1 ? .noStream : l.lastEventId.map { .exactEvent(l.version, id: $0) } ?? .exact(l.version)
            } else {
                expected = .any
            }
            return StreamAppend(stream: w.stream, events: w.events.map { NewEvent(type: $0.type, data: $0.data.serialized(), metadata: metadata) }, expectedVersion: expected)
        }
    }
}
