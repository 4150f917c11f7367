import EventStore
import Foundation
import Metrics

/// The stream where a source keeps what it received but could not accept for processing.
public enum SourceDeadLetters {
    public static let type = "MessageRejected"

    public static func stream(forSource source: String) -> StreamName { DeadLetterStream.stream(.source, source) }
}

extension Inbox {
    /// Keeps a message that arrived intact but cannot be processed (a correctly signed body that
    /// is not JSON, say) in `dlq-source-<source>`, with the reason, so that nothing the partner sent is
    /// lost and the operator sees exactly what came. Deduplicated on the same key as `accept`.
    public func reject(_ envelope: Envelope, reason: String) async throws -> Receipt {
        let rejection = Self.rejectionAppend(for: envelope, reason: reason)
        let stream = rejection.stream
        let result = try await store.append(AppendTransaction(
            appends: [StreamAppend(stream: stream, events: rejection.events)],
            idempotencyKey: rejection.idempotencyKey))
        Counter(label: "paklog_messages_rejected_total", dimensions: [("source", envelope.source)]).increment()
        let position = result.positions.first ?? 0
        return Receipt(messageId: envelope.id, stream: stream, position: position, duplicate: result.wasDuplicate)
    }

    /// What `reject` writes, as one append carrying its own key `rejected:<source>:<key>`, for a
    /// source that commits its rejections in the same transaction as its accepted messages and
    /// its cursor (a poller's page).
    public static func rejectionAppend(for envelope: Envelope, reason: String) -> StreamAppend {
        var event = EnvelopeEvent.encode(envelope)
        event.type = SourceDeadLetters.type
        event.metadata.extra["reason"] = reason
        return StreamAppend(stream: SourceDeadLetters.stream(forSource: envelope.source), events: [event],
                            idempotencyKey: "rejected:" + idempotencyKey(of: envelope))
    }
}
