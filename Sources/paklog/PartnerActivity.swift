import AdapterKit
import EventStore
import Foundation
import Logging
import Messaging
import PakLog

/// What the log says of one partner's exchanges, for `paklog partners show`: the last file
/// received from it by each of its sources, and per endpoint to it the last delivery event and
/// the deliveries still waiting for an MDN or a 997.
struct PartnerActivity {
    let configuration: PakLogConfiguration
    let partner: String

    /// The report's lines; the store is read, never written.
    func lines(store: SQLiteEventStore) async throws -> [String] {
        var out: [String] = []
        for source in configuration.sources where source.configuration.partnerNames.contains(partner) {
            out.append("  source \(source.name) (\(source.type)): " + (try await lastReceived(source.name, store: store) ?? "nothing received yet"))
        }
        for endpoint in configuration.endpoints where endpoint.configuration.partnerNames.contains(partner) {
            let (last, ledger) = try await outbox(endpoint.name, store: store)
            out.append("  endpoint \(endpoint.name) (\(endpoint.type)): " + (last ?? "nothing sent yet")
                       + ", \(ledger.deliveredCount) delivered, \(ledger.deadLetteredCount) dead-lettered")
            let pending = ledger.pending.values
            let awaiting = pending.filter { $0.awaitingKey != nil }
            let retrying = pending.count - awaiting.count
            if retrying > 0 { out.append("    \(retrying) not yet delivered") }
            for delivery in awaiting {
                let since = delivery.attempts.last.map { Self.time($0.at) } ?? "-"
                out.append("    awaiting \(delivery.awaitingKey!.hasPrefix("x12:") ? "997" : "MDN") \(delivery.awaitingKey!) since \(since) (message \(delivery.message.id.uuidString.lowercased()))")
            }
        }
        if out.isEmpty { out.append("  no source or endpoint of this configuration names partner '\(partner)'") }
        return out
    }

    /// The newest envelope of `source` from this partner (an AS2 source serves several).
    private func lastReceived(_ source: String, store: SQLiteEventStore) async throws -> String? {
        let recent = try await store.readStream(EnvelopeEvent.stream(forSource: source), from: nil, direction: .backward, maxCount: 500)
        for event in recent {
            guard let envelope = try? EnvelopeEvent.decode(event), envelope.partner == nil || envelope.partner == partner else { continue }
            let name = envelope.headers["filename"] ?? envelope.headers["message-id"] ?? envelope.idempotencyKey
            return "last received \(Self.time(envelope.receivedAt)): \(name), \(envelope.body.count) bytes"
        }
        return nil
    }

    /// The endpoint's outbox folded as its dispatcher folds it, and its newest event.
    private func outbox(_ endpoint: String, store: SQLiteEventStore) async throws -> (String?, OutboxLedger) {
        var ledger = OutboxLedger()
        var last: RecordedEvent?
        var from: Int64 = 0
        let stream = OutboxEvent.stream(forEndpoint: endpoint)
        while true {
            let page = try await store.readStream(stream, from: from, direction: .forward, maxCount: 1_000)
            for event in page {
                if let decoded = try? OutboxEvent.decode(event) { ledger.apply(decoded, version: event.streamVersion) }
                last = event
            }
            guard let end = page.last, page.count == 1_000 else { break }
            from = end.streamVersion + 1
        }
        return (last.map { "last \($0.type) \(Self.time($0.recordedAt))" }, ledger)
    }

    static func time(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
