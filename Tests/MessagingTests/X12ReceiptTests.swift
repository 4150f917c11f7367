import EventStore
import Foundation
import JSON
import StoreTestSupport
import Testing
import X12
import X12Exchange
@testable import Messaging

@Suite("X12 receipts: control numbers checked and our 997s queued in the transaction that stores the file")
struct X12ReceiptTests {
    static let nineForty = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Mappings/x12/fixtures/940-two-orders.x12")

    /// The fixture with its ISA13/IEA02 and GS06/GE02 replaced.
    func file(isa13: Int, gs06: Int) throws -> [UInt8] {
        let text = try String(contentsOf: Self.nineForty, encoding: .utf8)
        let padded = String(repeating: "0", count: 9 - String(isa13).count) + String(isa13)
        return Array(text.replacingOccurrences(of: "000000101", with: padded).replacingOccurrences(of: "*101*", with: "*\(gs06)*")
            .replacingOccurrences(of: "GE*2*101", with: "GE*2*\(gs06)").utf8)
    }

    func envelope(_ bytes: [UInt8], key: String) -> Envelope {
        Envelope(source: "acme-files", partner: "acme", headers: ["content-type": "application/edi-x12"], body: bytes, idempotencyKey: key)
    }

    func replies(_ store: some EventStore) async throws -> [String] {
        try await store.readStream(OutboxEvent.stream(forEndpoint: "acme-drop"), from: 0, direction: .forward, maxCount: 100).compactMap {
            guard case .queued(let m)? = try OutboxEvent.decode($0) else { return nil }
            return m.raw.map { String(decoding: $0.bytes, as: UTF8.self) }
        }
    }

    @Test("a new file is stored and answered; its repeat is dead-lettered with the reason and a TA1 025; a gap is routed with a header")
    func checksAndReplies() async throws {
        let test = try TestStore()
        let store = try test.open()
        let receipt = X12Receipt(partner: "acme", acknowledgeBy: "acme-drop")
        let first = try await receipt.commit(envelope(try file(isa13: 101, gs06: 101), key: "f1"), idempotencyKey: "acme-files:f1", store: store)
        #expect(first.refused == nil && first.outOfSequence == nil && first.replies == 1)
        var sent = try await replies(store)
        #expect(sent.count == 1)
        #expect(sent[0].contains("AK1*OW*101") && sent[0].contains("AK9*A*2*2*2"), "\(sent[0])")
        #expect(sent[0].contains("*000000001*0*P*"), "our first ISA13 towards acme: \(sent[0])")
        #expect(try await store.readStream(EnvelopeEvent.stream(forSource: "acme-files"), from: 0, direction: .forward, maxCount: 10).count == 1)

        // The same key again: nothing is written, nothing is answered twice.
        let again = try await receipt.commit(envelope(try file(isa13: 101, gs06: 101), key: "f1"), idempotencyKey: "acme-files:f1", store: store)
        #expect(again.result.wasDuplicate && again.replies == 0)
        #expect(try await replies(store).count == 1)

        // Another file repeating ISA13 101: not routed, kept with the reason; TA1 R 025.
        let repeated = try await receipt.commit(envelope(try file(isa13: 101, gs06: 102), key: "f2"), idempotencyKey: "acme-files:f2", store: store)
        #expect(repeated.refused?.contains("ISA13 000000101 was already received from acme") == true, "\(String(describing: repeated.refused))")
        let dead = try await store.readStream(SourceDeadLetters.stream(forSource: "acme-files"), from: 0, direction: .forward, maxCount: 10)
        #expect(dead.count == 1 && dead[0].metadata.extra["reason"]?.contains("X12 control numbers repeat") == true)
        #expect(try await store.readStream(EnvelopeEvent.stream(forSource: "acme-files"), from: 0, direction: .forward, maxCount: 10).count == 1)
        sent = try await replies(store)
        #expect(sent.count == 2 && sent[1].contains("TA1*000000101*") && sent[1].contains("*R*025"), "\(sent)")
        #expect(sent[1].contains("*000000002*0*P*"), "the next number: \(sent[1])")

        // ISA13 105 after 101: routed, with the gap named.
        let gap = try await receipt.commit(envelope(try file(isa13: 105, gs06: 105), key: "f3"), idempotencyKey: "acme-files:f3", store: store)
        #expect(gap.refused == nil && gap.outOfSequence == "expected 102, received 105")
        let stored = try await store.readStream(EnvelopeEvent.stream(forSource: "acme-files"), from: 0, direction: .forward, maxCount: 10)
        #expect(try EnvelopeEvent.decode(stored.last!).headers["x12-out-of-sequence"] == "expected 102, received 105")
        await store.close()
    }

    @Test("a partner's 997 is stored and checked but not answered; without acknowledgeBy nothing is queued")
    func acknowledgmentsAreNotAcknowledged() async throws {
        let test = try TestStore()
        let store = try test.open()
        let ack = Array("ISA*00*          *00*          *ZZ*ACME3PL        *ZZ*PAKLOG         *261201*1200*U*00401*000000007*0*P*>~GS*FA*ACME3PL*PAKLOG*20261201*1200*7*X*004010~ST*997*0001~AK1*SW*1~AK9*A*1*1*1~SE*4*0001~GE*1*7~IEA*1*000000007~".utf8)
        let outcome = try await X12Receipt(partner: "acme", acknowledgeBy: "acme-drop").commit(envelope(ack, key: "a1"), idempotencyKey: "acme-files:a1", store: store)
        #expect(outcome.refused == nil && outcome.replies == 0)
        #expect(try await replies(store).isEmpty)
        #expect(try await store.loadCursor(X12ControlNumberLedger.outboundCursor("acme")) == nil, "no number taken")
        #expect(try await store.loadCursor(X12ControlNumberLedger.inboundCursor("acme")) != nil, "the 997's ISA13 is remembered")

        let silent = try await X12Receipt(partner: "acme", acknowledgeBy: nil).commit(envelope(try file(isa13: 8, gs06: 8), key: "s1"), idempotencyKey: "acme-files:s1", store: store)
        #expect(silent.replies == 0 && silent.refused == nil)
        #expect(try await replies(store).isEmpty)
        await store.close()
    }
}
