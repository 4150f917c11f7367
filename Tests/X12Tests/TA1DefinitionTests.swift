import Testing
@testable import X12

@Suite("TA1: an interchange segment of the directory")
struct TA1DefinitionTests {
    func ta1(_ text: String) throws -> (X12Segment, X12Position) {
        let doc = X12Document(parsing: SampleInterchange().bytes([text, "IEA*0*000000101"]))
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        let interchange = try #require(doc.interchanges.first)
        let s = try #require(interchange.serviceSegments.first)
        return (s, X12Position(byteOffset: 0, interchange: 1, segmentInInterchange: 2, segmentID: .TA1))
    }

    @Test("a TA1 of X12.5 (control number, date, time, acknowledgment code, note code) checks clean")
    func clean() throws {
        let d = try #require(X12Definitions.segment(.TA1))
        let (s, p) = try ta1("TA1*000000101*240101*1200*R*022")
        #expect(d.check(s, at: p, context: "the interchange").isEmpty)
        #expect(X12Definitions.segment(.TA1, version: "005010") != nil)
    }

    @Test("a TA1 with a wrong acknowledgment code, a note code out of the list and a bad time: AK4 7, 7, 9 on TA104, TA105, TA103")
    func broken() throws {
        let d = try #require(X12Definitions.segment(.TA1))
        let (s, p) = try ta1("TA1*000000101*240101*1275*Q*099")
        let e = d.check(s, at: p, context: "the interchange")
        #expect(e.map(\.code) == [.element(.invalidTime), .element(.invalidCodeValue), .element(.invalidCodeValue)])
        #expect(e.map(\.position.element) == [3, 4, 5])
        #expect(e[1].rule == "TA1 (Interchange Acknowledgment) TA104 (I17) \"Q\" is not one of the codes A, E, R in the interchange")
    }
}
