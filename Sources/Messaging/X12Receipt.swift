import EventStore
import Foundation
import X12
import X12Exchange

/// How an X12 file received from a trading partner is stored, whatever brought it (AS2, SFTP):
/// in one transaction with
/// - the check of its ISA13s and GS06s against what the partner sent before
///   (`X12ControlNumberLedger.check`): a file repeating any of them is kept in the source's dead
///   letters with the reason instead of being routed a second time;
/// - the partner's 997/999 (and a TA1 when asked for, or for a repeated ISA13: note 025), queued
///   to `acknowledgeBy` with our next control numbers towards the partner.
/// A concurrent receipt from the same partner conflicts on a cursor; the whole is then checked
/// and numbered again.
public struct X12Receipt: Sendable {
    /// The partner profile's name (the cursors `x12-inbound-<partner>`, `x12-outbound-<partner>`).
    public var partner: String
    /// The endpoint the replies are queued to; nil sends none.
    public var acknowledgeBy: String?

    public init(partner: String, acknowledgeBy: String?) {
        self.partner = partner
        self.acknowledgeBy = acknowledgeBy
    }

    public struct Outcome: Sendable {
        public var result: AppendResult
        /// Why the file was dead-lettered rather than routed (it repeats control numbers).
        public var refused: String?
        /// "expected N, received M" when ISA13 skipped or went back (routed all the same).
        public var outOfSequence: String?
        /// Reply interchanges queued.
        public var replies: Int
    }

    /// Whether `bytes` is worth a receipt check: an X12 interchange.
    public static func applies(to bytes: [UInt8]) -> Bool { bytes.starts(with: Array("ISA".utf8)) }

    /// Stores `envelope` (an X12 file from `partner`) with `extra` appends (an MDN, say) under
    /// the transaction's `idempotencyKey`; a repeat of a committed key writes nothing.
    public func commit(_ envelope: Envelope, with extra: [StreamAppend] = [], idempotencyKey: String, store: any EventStore) async throws -> Outcome {
        if let stored = try await store.lookupIdempotencyKey(idempotencyKey) {
            return Outcome(result: stored, refused: nil, outOfSequence: nil, replies: 0)
        }
        let received = X12Document(parsing: envelope.body)
        let ledger = X12ControlNumberLedger(store: store)
        var attempt = 0
        while true {
            attempt += 1
            let check = try await ledger.check(received.interchanges, from: partner)
            var document = received
            document.errors += check.duplicates
            let refused = check.duplicates.isEmpty ? nil : check.duplicates.map(\.description).joined(separator: "; ")
            let sequence = check.outOfSequence.map { "expected \($0.expected), received \($0.received)" }
            var stored = envelope
            if let sequence { stored.headers["x12-out-of-sequence"] = sequence }
            // The transaction's key guards the whole receipt; the appends carry none of their own.
            let own = refused.map { Inbox.rejectionAppend(for: stored, reason: "X12 control numbers repeat: \($0)") } ?? Inbox.append(for: stored)
            var appends = [StreamAppend(stream: own.stream, events: own.events)] + extra
            var cursors = [check.update]
            var replies = 0
            if let endpoint = acknowledgeBy {
                let (queued, update) = try await self.replies(to: document, for: stored, endpoint: endpoint, ledger: ledger)
                if let update { cursors.append(update) }
                appends += queued
                replies = queued.count
            }
            do {
                let result = try await store.append(AppendTransaction(appends: appends, idempotencyKey: idempotencyKey, cursors: cursors))
                return Outcome(result: result, refused: refused, outOfSequence: sequence, replies: replies)
            } catch EventStoreError.cursorConflict(let name) where attempt < 8 && cursors.contains(where: { $0.name == name }) {
                continue
            }
        }
    }

    /// The reply interchanges to `document`, numbered from the partner's counter, as outbox
    /// messages to `endpoint`, and the counter's update (nil when nothing is to be answered).
    private func replies(to document: X12Document, for envelope: Envelope, endpoint: String, ledger: X12ControlNumberLedger) async throws
        -> ([StreamAppend], CursorUpdate?)
    {
        let stamp = X12Stamp(envelope.receivedAt)
        // First without numbers, to learn which interchanges get an answer and of how many groups.
        let draft = X12Acknowledger.acknowledge(document) { _ in .init(interchangeControlNumber: 0, groupControlNumber: 0, date: stamp.date, time: stamp.time) }
        // Acknowledgments are not acknowledged (X12.6): a file of 997s/999s gets a TA1 at most.
        let answered = draft.filter { reply in
            reply.bytes != nil && (reply.ta1 != nil || document.interchanges[reply.interchange - 1].groups.contains { $0.functionalIdentifier != "FA" })
        }
        guard !answered.isEmpty else { return ([], nil) }
        let (numbers, update) = try await ledger.reserve(partner: partner, interchanges: answered.map { max($0.groups.count, 1) })
        var byInterchange: [Int: X12OutboundNumbers] = [:]
        for (reply, n) in zip(answered, numbers) { byInterchange[reply.interchange] = n }
        let final = X12Acknowledger.acknowledge(document) { n in
            .init(interchangeControlNumber: byInterchange[n]?.interchange ?? 0, groupControlNumber: byInterchange[n]?.firstGroup ?? 0,
                  date: stamp.date, time: stamp.time)
        }
        var appends: [StreamAppend] = []
        for reply in final {
            guard let bytes = reply.bytes, let numbers = byInterchange[reply.interchange] else { continue }
            let kind = reply.groups.isEmpty ? "TA1" : (reply.groups.first?.version == nil ? "997" : "999")
            let message = OutboxMessage(
                id: DeterministicEventID.make(cause: envelope.id, step: "x12-reply[\(reply.interchange)]"), endpoint: endpoint,
                correlationId: envelope.id.uuidString.lowercased(),
                headers: ["filename": "\(kind)-\(partner)-\(numbers.interchange).x12", "x12.set": kind, "x12.partner": partner],
                body: .null, raw: RawBody(bytes: bytes, mediaType: X12RouteOutput.mediaType), enqueuedAt: envelope.receivedAt)
            appends.append(StreamAppend(stream: OutboxEvent.stream(forEndpoint: endpoint), events: [OutboxEvent.queued(message).newEvent()]))
        }
        return (appends, update)
    }
}
