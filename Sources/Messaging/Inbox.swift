import EventStore
import Foundation
import Logging
import Metrics

/// What the inbox answers once a message is durable; the transport may acknowledge its partner
/// only after getting one.
public struct Receipt: Sendable, Equatable {
    /// The id under which the message is stored (the first delivery's id for a duplicate).
    public var messageId: UUID
    public var stream: StreamName
    /// Global position of the `MessageReceived` event.
    public var position: Int64
    /// True when this was a redelivery of a message already accepted: nothing new was written.
    public var duplicate: Bool

    public init(messageId: UUID, stream: StreamName, position: Int64, duplicate: Bool) {
        self.messageId = messageId
        self.stream = stream
        self.position = position
        self.duplicate = duplicate
    }
}

/// Accepts inbound envelopes into the log (the ack rule and the effectively-once rule of the
/// design card): one transaction holds the `MessageReceived` event and the idempotency key
/// `<source>:<key>`, so a partner's redelivery returns the first receipt and writes nothing.
public struct Inbox: Sendable {
    public let store: any EventStore
    private let logger: Logger

    public init(store: any EventStore, logger: Logger = Logger(label: "paklog.messaging.inbox")) {
        self.store = store
        self.logger = logger
    }

    /// The idempotency key the store sees for `envelope`.
    public static func idempotencyKey(of envelope: Envelope) -> String { "\(envelope.source):\(envelope.idempotencyKey)" }

    /// What `accept` writes for `envelope`, as one append carrying its own key `<source>:<key>`,
    /// for a source that commits several envelopes in one transaction with its cursor (a
    /// poller's page): an envelope accepted before is skipped (`AppendResult.skippedAppends`),
    /// the rest are written.
    public static func append(for envelope: Envelope, bodyIsJSON: Bool = false) -> StreamAppend {
        StreamAppend(stream: EnvelopeEvent.stream(forSource: envelope.source), events: [EnvelopeEvent.encode(envelope, bodyIsJSON: bodyIsJSON)],
                     idempotencyKey: idempotencyKey(of: envelope))
    }

    /// Appends `envelope` durably; returns only after the commit is on disk. A duplicate returns the
    /// first delivery's receipt (same message id and position) with `duplicate == true`.
    ///
    /// - Parameter bodyIsJSON: true when the transport has already checked the body with
    ///   `JSONText.validate`, which saves a pass over it (see `EnvelopeEvent.encode`).
    public func accept(_ envelope: Envelope, bodyIsJSON: Bool = false) async throws -> Receipt {
        let stream = EnvelopeEvent.stream(forSource: envelope.source)
        let key = Self.idempotencyKey(of: envelope)
        let result = try await store.append(AppendTransaction(
            appends: [StreamAppend(stream: stream, events: [EnvelopeEvent.encode(envelope, bodyIsJSON: bodyIsJSON)])],
            idempotencyKey: key))
        if !result.wasDuplicate, let position = result.positions.first {
            Counter(label: "paklog_messages_received_total", dimensions: [("source", envelope.source)]).increment()
            return Receipt(messageId: envelope.id, stream: stream, position: position, duplicate: false)
        }
        Counter(label: "paklog_messages_duplicate_total", dimensions: [("source", envelope.source)]).increment()
        return try await firstReceipt(key: key, stream: stream, envelope: envelope)
    }

    /// The receipt of the first delivery under `key`: the store remembers that commit's positions.
    private func firstReceipt(key: String, stream: StreamName, envelope: Envelope) async throws -> Receipt {
        guard let first = try await store.lookupIdempotencyKey(key), let position = first.positions.first else {
            throw InboxError.duplicateWithoutRecord(key: key)
        }
        let page = try await store.readAll(after: position - 1, filter: .all, maxCount: 1)
        guard let event = page.events.first, event.position == position else { throw InboxError.duplicateWithoutRecord(key: key) }
        logger.debug("duplicate delivery", metadata: ["idempotencyKey": "\(key)", "firstMessageId": "\(event.id)"])
        return Receipt(messageId: event.id, stream: event.stream, position: position, duplicate: true)
    }
}

public enum InboxError: Error, Equatable, CustomStringConvertible {
    /// The store reported a duplicate key but has no record of the first commit.
    case duplicateWithoutRecord(key: String)

    public var description: String {
        switch self {
        case .duplicateWithoutRecord(let key): "the store reports idempotency key '\(key)' as used but has no record of its first commit"
        }
    }
}
