import Testing
@testable import X12

@Suite("Definition tables")
struct DefinitionTableTests {
    @Test("every set is defined in both versions (the 999 in 005010 only), from ST to SE, under its GS01")
    func sets() throws {
        let gs01 = ["850": "PO", "855": "PR", "856": "SH", "940": "OW", "943": "AR", "944": "RE", "945": "SW", "846": "IB", "997": "FA"]
        for version in X12Definitions.versions {
            for (id, fid) in gs01 {
                let d = try #require(X12Definitions.definition(id, version: version), "\(id) \(version)")
                #expect(d.identifier == id && d.version == version && d.functionalIdentifier == fid)
                #expect(d.structure.first?.key == "ST" && d.structure.last?.key == "SE")
                #expect(d.isHierarchical == (id == "856"))
            }
        }
        #expect(X12Definitions.definition("999", version: "004010") == nil)
        #expect(X12Definitions.definition("999", version: "005010")?.functionalIdentifier == "FA")
    }

    @Test("a segment line: element numbers, types, lengths, requirements, codes and syntax notes")
    func segmentLine() throws {
        let w05 = try #require(X12Definitions.segment(X12SegmentID("W05")))
        #expect(w05.name == "Shipping Order Identification")
        #expect(w05.elements[0] == X12ElementDefinition(number: "473", type: .identifier, minLength: 1, maxLength: 2, requirement: .mandatory,
                                                       codes: ["C", "N", "R"], maxRepeat: 1, components: []))
        #expect(w05.elements[1].number == "396" && w05.elements[1].type == .string && w05.elements[1].maxLength == 22)
        let n1 = try #require(X12Definitions.segment(X12SegmentID("N1")))
        #expect(n1.notes.map(\.text) == ["R0203", "P0304"])
        let g62 = try #require(X12Definitions.segment(X12SegmentID("G62")))
        #expect(g62.elements.map(\.type) == [.identifier, .date, .identifier, .time, .identifier])
    }

    @Test("the 005010 overlay: ST03, longer REF02, C030 with its third component, CTX repeating 10 times; the rest shared")
    func overlay() throws {
        #expect(X12Definitions.segment(.ST, version: "004010")?.elements.count == 2)
        #expect(X12Definitions.segment(.ST, version: "005010")?.elements.count == 3)
        #expect(X12Definitions.segment(X12SegmentID("REF"), version: "004010")?.elements[1].maxLength == 30)
        #expect(X12Definitions.segment(X12SegmentID("REF"), version: "005010")?.elements[1].maxLength == 50)
        #expect(X12Definitions.segment(X12SegmentID("AK4"), version: "004010")?.elements[0].components.count == 2)
        #expect(X12Definitions.segment(X12SegmentID("AK4"), version: "005010")?.elements[0].components.count == 3)
        #expect(X12Definitions.segment(X12SegmentID("CTX"), version: "005010")?.elements[0].maxRepeat == 10)
        #expect(X12Definitions.segment(X12SegmentID("W05"), version: "005010") == X12Definitions.segment(X12SegmentID("W05"), version: "004010"))
    }

    @Test("a structure table: loops with their keys, requirements and maximum uses; >1 is unbounded")
    func structure() throws {
        let d = try #require(X12Definitions.definition("850", version: "004010"))
        guard case .loop(let po1) = try #require(d.structure.first { $0.key == "PO1_loop" }) else { Issue.record("PO1_loop"); return }
        #expect(po1.requirement == .mandatory && po1.maxUse == 100_000 && po1.trigger == X12SegmentID("PO1"))
        #expect(po1.children.contains { $0.key == "PID_loop" })
        #expect(d.structure.first { $0.key == "REF" }?.maxUse == Int.max)
    }

    @Test("GS08 versions: the first six digits; 004xxx and 005xxx releases use 004010 and 005010")
    func lookups() {
        #expect(X12Definitions.lookup("999", gs08: "005010X231A1").definition?.version == "005010")
        #expect(X12Definitions.lookup("856", gs08: "004060").note == "version 004060 is read with the 004010 definitions")
        #expect(X12Definitions.lookup("940", gs08: "X").note == "no definition: GS08 \"X\" does not begin with a 6-digit version")
        #expect(X12Definitions.lookup("940", gs08: "006020").definition == nil)
    }
}
