import Collections
import EventStore
import Foundation
import JSON
import Mapping

/// The dead-letter API behind `paklog dlq …` and the REST console: list, show, replay
/// (optionally through the current mapping version, with a dry-run diff first) and discard.
/// Replaying and discarding append events (`DeadLetterReplayed`, `DeadLetterDiscarded`) to the
/// `dlq-endpoint-<endpoint>` stream; the log stays append-only.
public struct DeadLetters: Sendable {
    public let store: any EventStore
    private let clock: any MessagingClock

    public init(store: any EventStore, clock: any MessagingClock = SystemClock()) {
        self.store = store
        self.clock = clock
    }

    /// The dead letters of `endpoint`, oldest first, each with its current status.
    public func list(endpoint: String) async throws -> [DeadLetter] {
        var letters = OrderedDictionary<UUID, DeadLetter>()
        var from: Int64 = 0
        let stream = DeadLetter.stream(forEndpoint: endpoint)
        while true {
            let events = try await store.readStream(stream, from: from, direction: .forward, maxCount: 512)
            for event in events {
                switch event.type {
                case DeadLetter.type:
                    let letter = try DeadLetter(event: event)
                    letters[letter.message.id] = letter
                case DeadLetter.replayedType:
                    let p = try JSONFieldReader(eventType: event.type, data: event.data)
                    let id = try p.uuid("messageId")
                    letters[id]?.status = .replayed(asMessage: try p.uuid("replayMessageId"), at: try p.date("at"), mappingVersion: try p.optionalString("mappingVersion"))
                case DeadLetter.discardedType:
                    let p = try JSONFieldReader(eventType: event.type, data: event.data)
                    let id = try p.uuid("messageId")
                    letters[id]?.status = .discarded(at: try p.date("at"), reason: try p.string("reason"))
                default:
                    continue
                }
            }
            guard let last = events.last, events.count == 512 else { break }
            from = last.streamVersion + 1
        }
        return Array(letters.values)
    }

    /// One dead letter by its message id.
    public func show(endpoint: String, messageId: UUID) async throws -> DeadLetter? {
        try await list(endpoint: endpoint).first { $0.message.id == messageId }
    }

    /// What a replay would send, without writing anything: the body as dead-lettered and, when
    /// `remap` is given, the body the current mapping makes of the recorded mapping input, with
    /// their differences.
    public func replayPlan(endpoint: String, messageId: UUID, remap: (any MessageTransform)? = nil) async throws -> ReplayPlan {
        guard let letter = try await show(endpoint: endpoint, messageId: messageId) else {
            throw DeadLetterError.notFound(endpoint: endpoint, messageId: messageId)
        }
        var message = letter.message
        if let remap {
            guard let input = letter.message.mappingInput else { throw DeadLetterError.noMappingInput(messageId: messageId) }
            guard let body = try remap.apply(input) else { throw DeadLetterError.mappingDropped(messageId: messageId, mapping: remap.mappingName, version: remap.mappingVersion) }
            message.body = body
            message.mappingName = remap.mappingName
            message.mappingVersion = remap.mappingVersion
        }
        let replayCount = try await replayCountSoFar(endpoint: endpoint, messageId: messageId)
        message.id = DeterministicEventID.make(cause: messageId, step: "replay-\(replayCount + 1)")
        // A key held by this dead letter is released by its replay, which goes first.
        message.replayOf = messageId
        message.enqueuedAt = EventTime.truncated(clock.now())
        return ReplayPlan(deadLetter: letter, message: message,
                          differences: JSONDifference.differences(expected: letter.message.body, actual: message.body))
    }

    /// Queues the planned message again on its endpoint's outbox and marks the dead letter replayed,
    /// in one transaction. Returns the queued message.
    @discardableResult
    public func replay(_ plan: ReplayPlan) async throws -> OutboxMessage {
        var o = OrderedDictionary<String, JSONValue>()
        o["messageId"] = .string(plan.deadLetter.message.id.uuidString.lowercased())
        o["replayMessageId"] = .string(plan.message.id.uuidString.lowercased())
        o["at"] = EventTime.encode(plan.message.enqueuedAt)
        o["mappingVersion"] = plan.message.mappingVersion.map(JSONValue.string) ?? .null
        let marker = NewEvent(id: DeterministicEventID.make(cause: plan.message.id, step: "replayed"), type: DeadLetter.replayedType,
                              data: JSONValue.object(o).serialized())
        _ = try await store.append(AppendTransaction(appends: [
            StreamAppend(stream: OutboxEvent.stream(forEndpoint: plan.message.endpoint), events: [OutboxEvent.queued(plan.message).newEvent()]),
            StreamAppend(stream: DeadLetter.stream(forEndpoint: plan.deadLetter.message.endpoint), events: [marker]),
        ]))
        return plan.message
    }

    /// Marks a dead letter as discarded (nothing is deleted). A message with an ordering key also
    /// releases the key, in case it held it (`onDeadLetter: hold`).
    public func discard(endpoint: String, messageId: UUID, reason: String) async throws {
        guard let letter = try await show(endpoint: endpoint, messageId: messageId) else { throw DeadLetterError.notFound(endpoint: endpoint, messageId: messageId) }
        let now = clock.now()
        var o = OrderedDictionary<String, JSONValue>()
        o["messageId"] = .string(messageId.uuidString.lowercased())
        o["at"] = EventTime.encode(now)
        o["reason"] = .string(reason)
        var appends = [StreamAppend(stream: DeadLetter.stream(forEndpoint: endpoint),
                                    events: [NewEvent(type: DeadLetter.discardedType, data: JSONValue.object(o).serialized())])]
        if let key = letter.message.orderingKey {
            appends.append(StreamAppend(stream: OutboxEvent.stream(forEndpoint: endpoint),
                                        events: [OutboxEvent.orderingKeyReleased(key: key, messageId: messageId, at: EventTime.truncated(now)).newEvent(id: UUID.timeOrdered())]))
        }
        try await store.append(AppendTransaction(appends: appends))
    }

    private func replayCountSoFar(endpoint: String, messageId: UUID) async throws -> Int {
        let events = try await store.readStream(DeadLetter.stream(forEndpoint: endpoint), from: 0, direction: .forward, maxCount: 100_000)
        let id = messageId.uuidString.lowercased()
        return try events.filter { $0.type == DeadLetter.replayedType }
            .filter { try JSONFieldReader(eventType: $0.type, data: $0.data).string("messageId") == id }.count
    }
}

/// A replay, before it is done: what would be sent and how it differs from the dead letter.
public struct ReplayPlan: Sendable {
    public var deadLetter: DeadLetter
    /// The message that `replay` queues (a new id, so the outbox treats it as a new delivery).
    public var message: OutboxMessage
    /// Empty when the body is unchanged.
    public var differences: [JSONDifference]
}

public enum DeadLetterError: Error, Equatable, CustomStringConvertible {
    case notFound(endpoint: String, messageId: UUID)
    case noMappingInput(messageId: UUID)
    case mappingDropped(messageId: UUID, mapping: String, version: String)

    public var description: String {
        switch self {
        case let .notFound(endpoint, id): "no dead letter \(id) for endpoint '\(endpoint)'"
        case .noMappingInput(let id): "dead letter \(id) has no recorded mapping input (no transform produced it), so it cannot be re-mapped"
        case let .mappingDropped(id, mapping, version): "mapping '\(mapping)' version \(version) drops dead letter \(id)"
        }
    }
}
