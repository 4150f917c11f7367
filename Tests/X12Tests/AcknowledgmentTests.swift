import Testing
@testable import X12

private let envelope = X12Acknowledger.Envelope(interchangeControlNumber: 42, groupControlNumber: 9, date: "20261203", time: "0700")

private func replies(_ bytes: [UInt8]) -> [X12Acknowledger.Reply] {
    X12Acknowledger.acknowledge(X12Document(parsing: bytes), lineEnding: .lf) { _ in envelope }
}

private func text(_ reply: X12Acknowledger.Reply?) -> String { String(decoding: reply?.bytes ?? [], as: UTF8.self) }

/// Our reply parsed back: no syntax, envelope or definition error (a 997/999 we send must be
/// valid against its own definition).
private func expectValid(_ reply: X12Acknowledger.Reply?, sourceLocation: SourceLocation = #_sourceLocation) {
    let document = X12Document(parsing: reply?.bytes ?? [])
    #expect(document.isValid, "\(document.errors)", sourceLocation: sourceLocation)
    #expect(document.allErrors.isEmpty, "\(document.allErrors)", sourceLocation: sourceLocation)
}

/// A 940 that is valid against its definition (SampleInterchange.valid940 lacks the mandatory W66).
private let body940 = [
    "GS*OW*SENDER*RECEIVER*20240101*1200*7*X*004010",
    "ST*940*0001", "W05*N*ORDER-1*PO-1", "N1*ST*ACME*9*123", "W66*PP*M", "LX*1", "W01*2*EA**VN*SKU-1", "SE*7*0001",
    "GE*1*7", "IEA*1*000000101",
]

@Suite("Acknowledgments: 997, 999 and TA1 we send, and those we receive")
struct AcknowledgmentTests {
    @Test func aSoundGroupIsAcceptedWithSenderAndReceiverSwapped() {
        let reply = replies(SampleInterchange().bytes(body940)).first
        #expect(reply?.ta1 == nil)
        #expect(text(reply) == """
            ISA*00*          *00*          *ZZ*RECEIVER       *ZZ*SENDER         *261203*0700*U*00401*000000042*0*P*:~
            GS*FA*RECEIVER*SENDER*20261203*0700*9*X*004010~
            ST*997*0001~
            AK1*OW*7~
            AK2*940*0001~
            AK5*A~
            AK9*A*1*1*1~
            SE*6*0001~
            GE*1*9~
            IEA*1*000000042~

            """)
        expectValid(reply)
    }

    @Test func setErrorsAreReportedSegmentBySegmentAndTheSetRejected() {
        var body = body940
        body[2] = "W05*Z*ORDER-1*PO-1"           // W0501: not an order status code
        body[6] = "W01*2***VN*SKU-1"             // W0102: mandatory unit missing
        body[7] = "SE*8*0001"                    // seven segments counted
        let reply = replies(SampleInterchange().bytes(body)).first
        let set = reply?.groups.first?.sets.first
        #expect(set?.code == .rejected)
        #expect(set?.errorCodes.contains("4") == true)
        #expect(set?.errorCodes.contains("5") == true)
        let lines = text(reply).split(separator: "\n").map(String.init)
        #expect(lines.contains("AK3*W05*2**8~"))
        #expect(lines.contains("AK4*1*473*7~"))
        #expect(lines.contains("AK3*W01*6**8~"))
        #expect(lines.contains("AK4*2*355*1~"))
        #expect(lines.contains("AK9*R*1*1*0~"))
        expectValid(reply)
    }

    @Test func aTA1IsSentWhenISA14AsksForOne() {
        var sample = SampleInterchange()
        sample.controlNumber = "000000101"
        let text = sample.text(body940).replacingOccurrences(of: "*000000101*0*P*", with: "*000000101*1*P*")
        let reply = replies(Array(text.utf8)).first
        #expect(reply?.ta1?.code == .accepted)
        #expect(X12Acknowledger.acknowledge(X12Document(parsing: Array(text.utf8))) { _ in envelope }.first.map { String(decoding: $0.bytes ?? [], as: UTF8.self) }?
            .contains("~TA1*000000101*240101*1200*A*000~GS*FA") == true)
        expectValid(reply)
    }

    @Test func aBrokenInterchangeEnvelopeGetsATA1RejectionAndNo997() {
        var body = body940
        body[body.count - 1] = "IEA*2*000000101"
        let reply = replies(SampleInterchange().bytes(body)).first
        #expect(reply?.ta1?.code == .rejected)
        #expect(reply?.ta1?.note == .invalidNumberOfGroups)
        #expect(reply?.groups.isEmpty == true)
        #expect(text(reply).contains("TA1*000000101*240101*1200*R*021~"))
        #expect(text(reply).contains("IEA*0*000000042~"))
        expectValid(reply)
    }

    @Test func a005010GroupIsAnsweredWithA999() {
        var sample = SampleInterchange()
        sample.version = "00501"
        sample.isa11 = "^"
        var body = body940
        body[0] = "GS*OW*SENDER*RECEIVER*20240101*1200*7*X*005010"
        let reply = replies(sample.bytes(body)).first
        let lines = text(reply).split(separator: "\n").map(String.init)
        #expect(lines.contains("ST*999*0001*005010X231A1~"))
        #expect(lines.contains("AK1*OW*7*005010~"))
        #expect(lines.contains { $0.hasPrefix("GS*FA*RECEIVER*SENDER*") && $0.hasSuffix("*X*005010X231A1~") })
        #expect(lines.contains("IK5*A~"), "\(lines)")
        expectValid(reply)
    }

    @Test func ourOwn997ReadsBackToTheSameVerdictAndMatchesWhatWasSent() throws {
        var body = body940
        body[7] = "SE*8*0001"
        let reply = try #require(replies(SampleInterchange().bytes(body)).first)
        let read = X12AcknowledgmentReader.verdicts(in: X12Document(parsing: reply.bytes ?? []))
        #expect(read.groups == reply.groups.map { group in
            var g = group
            // AK402 is written; what is read is exactly what was written.
            g.version = nil
            return g
        })
        let sent = X12SentGroup(functionalIdentifier: "OW", controlNumber: "7", sets: [("940", "0001")])
        let verdict = try #require(read.groups.first)
        #expect(sent.isAnswered(by: verdict))
        #expect(sent.outcomes(verdict) == [.rejected(["4"])])
    }

    @Test func aGroupAcceptedWithoutAK2LoopsAcceptsEverySetSent() throws {
        let text = SampleInterchange().text([
            "GS*FA*RECEIVER*SENDER*20240101*1200*3*X*004010", "ST*997*0001", "AK1*SW*1001", "AK9*A*2*2*2", "SE*4*0001",
            "GE*1*3", "IEA*1*000000101",
        ])
        let verdict = try #require(X12AcknowledgmentReader.verdicts(in: X12Document(parsing: Array(text.utf8))).groups.first)
        let sent = X12SentGroup(functionalIdentifier: "SW", controlNumber: "001001", sets: [("945", "0001"), ("945", "0002")])
        #expect(sent.isAnswered(by: verdict))
        #expect(sent.outcomes(verdict) == [.accepted, .accepted])
        let partial = X12GroupVerdict(functionalIdentifier: "SW", controlNumber: "1001", version: nil,
                                      sets: [X12SetVerdict(identifier: "945", controlNumber: "0002", code: .rejected, errorCodes: ["5"], segments: [])],
                                      code: .partiallyAccepted, includedSets: 2, receivedSets: 2, acceptedSets: 1, errorCodes: [])
        #expect(sent.outcomes(partial) == [.notAcknowledged, .rejected(["5"])])
    }

    /// Every public file gets an answer that is itself valid X12 (or, for EBCDIC, none), and
    /// the public 997s and 999 read into verdicts.
    @Test(arguments: try InteropFixtures.names())
    func everyPublicFileIsAnsweredWithValidX12(name: String) throws {
        let document = X12Document(parsing: try InteropFixtures.bytes(name))
        let all = X12Acknowledger.acknowledge(document) { _ in envelope }
        if name.contains("EBCDIC") {
            #expect(all.isEmpty)
            return
        }
        #expect(all.count == document.interchanges.count)
        for reply in all where reply.bytes != nil { expectValid(reply) }
        let read = X12AcknowledgmentReader.verdicts(in: document)
        if name.contains("_997") || name.contains("_999") {
            #expect(!read.groups.isEmpty)
            #expect(read.groups.allSatisfy { !$0.functionalIdentifier.isEmpty && !$0.controlNumber.isEmpty })
        }
    }
}
