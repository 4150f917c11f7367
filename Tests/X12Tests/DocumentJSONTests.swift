import JSON
import Testing
@testable import X12

@Suite("Document model as JSON for the mapping language")
struct DocumentJSONTests {
    @Test("a set is a flat list of segment objects keyed by reference designator")
    func referenceDesignators() throws {
        let doc = X12Document(parsing: SampleInterchange().bytes(SampleInterchange.valid940))
        let json = doc.interchanges[0].groups[0].transactionSets[0].jsonValue
        #expect(json["transactionSet"] == "940")
        #expect(json["controlNumber"] == "0001")
        let w05 = try #require(json["segments"]?[1])
        #expect(w05 == ["segment": "W05", "W0501": "N", "W0502": "ORDER-1", "W0503": "PO-1"])
        // Empty elements are left out: W01*2*EA**VN*SKU-1 has no W0103.
        let w01 = try #require(json["segments"]?[4])
        #expect(w01["W0103"] == nil)
        #expect(w01["W0105"] == "SKU-1")
    }

    @Test("composites are arrays of components; repetitions arrays of component arrays")
    func compositesAndRepetitions() throws {
        var body = SampleInterchange.valid940
        body[3] = "N1*ST*A:B:*9*1^2"
        body[2] = "W05*N*ORDER-1*PO-1" 
        let doc = X12Document(parsing: SampleInterchange(isa11: "^", version: "00501").bytes(body))
        let n1 = try #require(doc.interchanges[0].groups[0].transactionSets[0].jsonValue["segments"]?[2])
        #expect(n1["N102"] == ["A", "B", ""])
        #expect(n1["N104"] == [["1"], ["2"]])
    }

    @Test("ISA fields keep their padding and ISA16 is not split")
    func isaAsJSON() {
        let doc = X12Document(parsing: SampleInterchange().bytes(SampleInterchange.valid940))
        let isa = doc.interchanges[0].jsonValue["ISA"]
        #expect(isa?["ISA06"] == "SENDER         ")
        #expect(isa?["ISA16"] == ":")
    }
}
