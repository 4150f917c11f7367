import EventStore
import Foundation
import JSON
import StoreTestSupport
import Testing
import X12
@testable import X12Exchange

private func outbound(_ numbers: X12OutboundNumbers, partner: String) -> AppendTransaction {
    AppendTransaction(appends: [StreamAppend(stream: StreamName("outbox-\(partner)"), events: [
        NewEvent(type: "X12InterchangeQueued", data: Array(#"{"isa13":\#(numbers.interchange),"gs06":\#(numbers.firstGroup)}"#.utf8)),
    ])])
}

private func interchange(_ isa13: String, groups: [String]) -> X12Interchange {
    var text = "ISA*00*          *00*          *ZZ*ACME3PL        *ZZ*PAKLOG         *261201*1200*U*00401*\(isa13)*0*P*:~"
    for g in groups { text += "GS*OW*ACME3PL*PAKLOG*20261201*1200*\(g)*X*004010~GE*0*\(g)~" }
    text += "IEA*\(groups.count)*\(isa13)~"
    return X12Document(parsing: Array(text.utf8)).interchanges[0]
}

@Suite("X12 control numbers per partner, kept in the event store")
struct ControlNumberLedgerTests {
    @Test func outboundNumbersAdvanceOnlyWithACommittedMessageAndSurviveARestart() async throws {
        let test = try TestStore()
        var store: SQLiteEventStore? = try test.open()
        let ledger = X12ControlNumberLedger(store: store!)
        let first = try await ledger.commit(partner: "acme", groups: 2) { outbound($0, partner: "acme") }
        #expect(first.numbers == X12OutboundNumbers(interchange: 1, firstGroup: 1, groupCount: 2))
        // A reservation whose message is never committed (the process dies before the append)
        // uses nothing up.
        _ = try await ledger.reserve(partner: "acme", groups: 1)
        store = nil
        let reopened = try test.open()
        let again = X12ControlNumberLedger(store: reopened)
        let second = try await again.commit(partner: "acme", groups: 1) { outbound($0, partner: "acme") }
        #expect(second.numbers == X12OutboundNumbers(interchange: 2, firstGroup: 3, groupCount: 1))
        let other = try await again.commit(partner: "globex", groups: 1) { outbound($0, partner: "globex") }
        #expect(other.numbers.interchange == 1)
        // The numbers are in the log with the messages: two for acme, in order.
        let events = try await reopened.readStream(StreamName("outbox-acme"), from: nil, direction: .forward, maxCount: 10)
        #expect(events.map { String(decoding: $0.data, as: UTF8.self) } == [#"{"isa13":1,"gs06":1}"#, #"{"isa13":2,"gs06":3}"#])
    }

    @Test func concurrentSendersNeverShareANumber() async throws {
        let test = try TestStore()
        let store = try test.open()
        let ledger = X12ControlNumberLedger(store: store)
        let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<40 {
                group.addTask { try await ledger.commit(partner: "acme", groups: 1, attempts: 100) { outbound($0, partner: "acme") }.numbers.interchange }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(numbers.sorted() == Array(1...40))
    }

    @Test func theCounterWrapsAfterNineDigits() async throws {
        let test = try TestStore()
        let store = try test.open()
        _ = try await store.append(AppendTransaction(appends: [], cursors: [
            CursorUpdate(name: X12ControlNumberLedger.outboundCursor("acme"), value: Array(#"{"interchange":999999999,"group":999999998}"#.utf8)),
        ]))
        let next = try await X12ControlNumberLedger(store: store).commit(partner: "acme", groups: 3) { outbound($0, partner: "acme") }
        #expect(next.numbers.interchange == 1)
        #expect([0, 1, 2].map(next.numbers.group) == [999_999_999, 1, 2])
    }

    @Test func aRepeatedInterchangeOrGroupFromAPartnerIsADuplicateEvenAfterARestart() async throws {
        let test = try TestStore()
        var store: SQLiteEventStore? = try test.open()
        let first = try await X12ControlNumberLedger(store: store!).check(interchange("000000101", groups: ["7"]), from: "acme")
        #expect(first.duplicates.isEmpty && first.outOfSequence == nil)
        _ = try await store!.append(AppendTransaction(appends: [], cursors: [first.update]))
        store = nil
        let reopened = try test.open()
        let ledger = X12ControlNumberLedger(store: reopened)
        let repeated = try await ledger.check(interchange("000000101", groups: ["7"]), from: "acme")
        #expect(repeated.duplicates.map(\.code) == [.interchange(.duplicateControlNumber), .group(.controlNumberNotUnique)])
        #expect(repeated.duplicates[1].position.group == 1)
        let skipped = try await ledger.check(interchange("000000105", groups: ["8", "8"]), from: "acme")
        #expect(skipped.outOfSequence?.expected == 102 && skipped.outOfSequence?.received == 105)
        #expect(skipped.duplicates.map(\.code) == [.group(.controlNumberNotUnique)])
        let otherPartner = try await ledger.check(interchange("000000101", groups: ["7"]), from: "globex")
        #expect(otherPartner.duplicates.isEmpty)
    }

    @Test func twoReceiptsCheckedAtOnceCannotBothCommit() async throws {
        let test = try TestStore()
        let store = try test.open()
        let ledger = X12ControlNumberLedger(store: store)
        let a = try await ledger.check(interchange("000000001", groups: ["1"]), from: "acme")
        let b = try await ledger.check(interchange("000000001", groups: ["1"]), from: "acme")
        _ = try await store.append(AppendTransaction(appends: [], cursors: [a.update]))
        await #expect(throws: EventStoreError.self) { _ = try await store.append(AppendTransaction(appends: [], cursors: [b.update])) }
    }
    @Test func theInterchangesOfOneFileAreCheckedTogetherAndAgainstEachOther() async throws {
        let test = try TestStore()
        let store = try test.open()
        let ledger = X12ControlNumberLedger(store: store)
        let file = try await ledger.check([interchange("000000001", groups: ["1"]), interchange("000000002", groups: ["2"]),
                                           interchange("000000002", groups: ["3"])], from: "acme")
        #expect(file.duplicates.map(\.code) == [.interchange(.duplicateControlNumber)], "the third repeats the second")
        #expect(file.outOfSequence == nil)
        _ = try await store.append(AppendTransaction(appends: [], cursors: [file.update]))
        let next = try await ledger.check(interchange("000000003", groups: ["3"]), from: "acme")
        #expect(next.outOfSequence == nil, "the last of the file was 2")
        #expect(next.duplicates.map(\.code) == [.group(.controlNumberNotUnique)], "GS06 3 came in the file")
    }

    @Test func severalInterchangesReservedAtOnceTakeConsecutiveNumbers() async throws {
        let test = try TestStore()
        let store = try test.open()
        let ledger = X12ControlNumberLedger(store: store)
        let (numbers, update) = try await ledger.reserve(partner: "acme", interchanges: [1, 3, 1])
        #expect(numbers.map(\.interchange) == [1, 2, 3])
        #expect(numbers.map(\.firstGroup) == [1, 2, 5])
        _ = try await store.append(AppendTransaction(appends: [], cursors: [update]))
        #expect(try await ledger.reserve(partner: "acme", groups: 1).numbers == X12OutboundNumbers(interchange: 4, firstGroup: 6, groupCount: 1))
    }
}
