import Testing
@testable import X12

@Suite("Envelope validation: counts, control numbers, pairing, with positions")
struct EnvelopeValidationTests {
    func errors(_ body: [String], _ sample: SampleInterchange = SampleInterchange()) -> [X12Error] {
        X12Document(parsing: sample.bytes(body)).errors
    }

    func replacing(_ index: Int, with segment: String) -> [String] {
        var body = SampleInterchange.valid940
        body[index] = segment
        return body
    }

    @Test("a valid interchange has no errors")
    func valid() { #expect(errors(SampleInterchange.valid940).isEmpty) }

    @Test("SE01 must count ST to SE inclusive: AK5 4 at SE01 with both numbers")
    func segmentCount() throws {
        let e = try #require(errors(replacing(6, with: "SE*5*0001")).first)
        #expect(e.code == .transactionSet(.segmentCountMismatch))
        #expect(e.position.segmentID == .SE && e.position.element == 1)
        #expect(e.position.interchange == 1 && e.position.group == 1 && e.position.transactionSet == 1)
        #expect(e.position.segmentInSet == 6 && e.position.segmentInInterchange == 8)
        #expect(e.rule.contains("\"5\"") && e.rule.contains("counted 6"))
        #expect(e.position.description.contains("SE01"))
    }

    @Test("SE02 must equal ST02: AK5 3")
    func setControlNumber() {
        #expect(errors(replacing(6, with: "SE*6*0002")).map(\.code) == [.transactionSet(.controlNumberMismatch)])
    }

    @Test("GE01 must count the sets: AK9 5; GE02 must equal GS06: AK9 4")
    func groupTrailer() {
        #expect(errors(replacing(7, with: "GE*2*7")).map(\.code) == [.group(.transactionSetCountMismatch)])
        #expect(errors(replacing(7, with: "GE*1*8")).map(\.code) == [.group(.controlNumberMismatch)])
    }

    @Test("IEA01 must count the groups: TA1 021; IEA02 must equal ISA13: TA1 001")
    func interchangeTrailer() {
        #expect(errors(replacing(8, with: "IEA*2*000000101")).map(\.code) == [.interchange(.invalidNumberOfGroups)])
        #expect(errors(replacing(8, with: "IEA*1*000000999")).map(\.code) == [.interchange(.controlNumberMismatch)])
    }

    @Test("all problems are collected, not only the first")
    func collectsAll() {
        var body = SampleInterchange.valid940
        body[6] = "SE*9*0002"
        body[7] = "GE*3*8"
        body[8] = "IEA*4*000000999"
        #expect(errors(body).map(\.code) == [
            .transactionSet(.segmentCountMismatch), .transactionSet(.controlNumberMismatch),
            .group(.transactionSetCountMismatch), .group(.controlNumberMismatch),
            .interchange(.invalidNumberOfGroups), .interchange(.controlNumberMismatch),
        ])
    }

    @Test("a missing SE is AK5 2 at the ST; a missing GE is AK9 3 at the GS")
    func missingTrailers() {
        var body = SampleInterchange.valid940
        body.remove(at: 6)  // SE
        body.remove(at: 6)  // GE
        let found = errors(body)
        #expect(found.map(\.code) == [.transactionSet(.trailerMissing), .group(.groupTrailerMissing)])
        #expect(found[0].position.segmentID == .ST)
        #expect(found[1].position.segmentID == .GS)
    }

    @Test("the end of the input before IEA is TA1 023")
    func prematureEnd() {
        let found = errors(Array(SampleInterchange.valid940.prefix(4)))
        #expect(found.map(\.code) == [.interchange(.prematureEndOfFile)])
    }

    @Test("a truncated segment at the end of input is TA1 023")
    func truncatedSegment() {
        let bytes = SampleInterchange().bytes(SampleInterchange.valid940)
        let doc = X12Document(parsing: Array(bytes.prefix(bytes.count - 8)))
        #expect(doc.errors.map(\.code) == [.interchange(.prematureEndOfFile)])
    }

    @Test("ISA fixed widths: each wrong width is its own TA1 code at its element")
    func isaWidths() {
        let text = SampleInterchange().text(SampleInterchange.valid940)
            .replacingOccurrences(of: "SENDER         ", with: "SENDER")
        let found = X12Document(parsing: Array(text.utf8)).errors
        #expect(found.map(\.code) == [.interchange(.invalidSenderID)])
        #expect(found[0].position.element == 6)
        #expect(found[0].rule.contains("fixed width of 15"))
    }

    @Test("ISA02 and ISA04 (password, authorization) are never quoted")
    func secretsNotQuoted() {
        let text = SampleInterchange().text(SampleInterchange.valid940)
            .replacingOccurrences(of: "*00*          *00*          *", with: "*00*hunter2*00*s3cret*")
        let found = X12Document(parsing: Array(text.utf8)).errors
        #expect(found.map(\.code) == [.interchange(.invalidAuthorizationValue), .interchange(.invalidSecurityValue)])
        #expect(!found.contains { $0.description.contains("hunter2") || $0.description.contains("s3cret") })
    }

    @Test("ISA formats: date, time, test indicator")
    func isaFormats() {
        let text = SampleInterchange().text(SampleInterchange.valid940)
            .replacingOccurrences(of: "*240101*1200*", with: "*241301*2500*")
            .replacingOccurrences(of: "*0*P*", with: "*0*X*")
        #expect(X12Document(parsing: Array(text.utf8)).errors.map(\.code)
            == [.interchange(.invalidDate), .interchange(.invalidTime), .interchange(.invalidTestIndicator)])
    }

    @Test("duplicate control numbers inside one input: ST02 per group (AK5 23), GS06 per interchange (AK9 19), ISA13 per sender/receiver (TA1 025)")
    func duplicates() {
        let body = ["GS*OW*S*R*20240101*1200*7*X*004010", "ST*940*0001", "SE*2*0001", "ST*940*0001", "SE*2*0001", "GE*2*7",
                    "GS*OW*S*R*20240101*1200*7*X*004010", "GE*0*7", "IEA*2*000000101"]
        let once = SampleInterchange().text(body)
        let found = X12Document(parsing: Array((once + once).utf8)).errors
        #expect(found.map(\.code) == [.transactionSet(.controlNumberNotUnique), .group(.controlNumberNotUnique),
                                      .interchange(.duplicateControlNumber),
                                      .transactionSet(.controlNumberNotUnique), .group(.controlNumberNotUnique)])
        #expect(found[2].position.interchange == 2 && found[2].position.element == 13)
    }

    @Test("a segment between transaction sets is TA1 024")
    func segmentOutsideSet() {
        var body = SampleInterchange.valid940
        body.insert("N1*ST*STRAY", at: 1)
        #expect(errors(body).map(\.code) == [.interchange(.invalidInterchangeContent)])
    }

    @Test("ISB and ISE between ISA and GS are accepted; after a GS they are TA1 024")
    func serviceSegments() {
        #expect(errors(["ISB*1", "ISE*200601*0515*04"] + SampleInterchange.valid940).isEmpty)
        var late = SampleInterchange.valid940
        late.insert("ISB*1", at: 8)
        #expect(errors(late).map(\.code) == [.interchange(.invalidInterchangeContent)])
    }

    @Test("an invalid segment id inside a set is AK3 1 with its position, and the interchange is abandoned")
    func invalidSegmentID() throws {
        let found = errors(replacing(3, with: "n1*ST*ACME"))
        let e = try #require(found.first)
        #expect(found.count == 1)
        #expect(e.code == .segment(.unrecognizedSegmentID))
        #expect(e.position.segmentInSet == 3 && e.position.transactionSet == 1)
    }
}
