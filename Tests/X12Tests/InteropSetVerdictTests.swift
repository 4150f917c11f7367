import Testing
@testable import X12

/// The interop files' sets against the definitions: a verdict at the 997/999 level, apart from
/// the envelope verdicts of ``InteropVerdictTests`` (whose expectations these do not change).
@Suite("Interop files: set-level verdicts against the definitions")
struct InteropSetVerdictTests {
    struct Found: Hashable, CustomStringConvertible {
        var code: X12ErrorCode
        var segment: Int
        var id: String
        var element: Int
        var description: String { "\(code) at \(id) segment \(segment) element \(element)" }
    }

    func found(_ name: String) throws -> (validations: [X12SetValidation], errors: [Found]) {
        let doc = X12Document(parsing: try InteropFixtures.bytes(name))
        let v = doc.setValidations
        return (v, v.flatMap(\.errors).map {
            Found(code: $0.code, segment: $0.position.segmentInSet ?? 0, id: $0.position.segmentID?.description ?? "", element: $0.position.element ?? 0)
        })
    }

    @Test("sets that validate clean against their definitions: 997s (02, 05, 11), 999 (06), 855s (07, 15), 850s (08, 12, 13), 856 (10)",
          arguments: ["02_staedi_997_three-interchanges_5010.edi", "05_staedi_997_ISB-ISE-segments.edi", "06_staedi_999_repetition-composite.edi",
                      "07_staedi_855x2_isa16-caret.edi", "08_nodex12_850_newline-terminator.edi", "10_bots_856_HL-SOPI_crlf.x12",
                      "11_bots_997.x12", "13_bots_850x4_0x7F-0x15-delims_42KB.x12", "15_bots_855x6.x12"])
    func clean(_ name: String) throws {
        let (v, errors) = try found(name)
        #expect(!v.isEmpty && v.allSatisfy(\.hasDefinition))
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test("01: 810s and a 003010 850 have no definition; it says so and finds nothing")
    func f01() throws {
        let (v, errors) = try found("01_staedi_810-850_two-groups.edi")
        #expect(v.map(\.hasDefinition) == [false, false, false] && errors.isEmpty)
        #expect(v.map(\.lookup.note) == ["no definition for transaction set 810 in 004010", "no definition for transaction set 810 in 004010",
                                         "no definition: version 003010 is not one we define (004010, 005010)"])
    }

    @Test("09: 856 in 004060 read with the 004010 definitions; '-' declared the repetition separator splits REF02 \"999999-001\" and N403 \"31139-0020\": 997 AK4 12 twice, as InteropVerdictTests foresaw")
    func f09() throws {
        let (v, errors) = try found("09_nodex12_856_00406_isa11-dash.edi")
        #expect(v.first?.lookup.note == "version 004060 is read with the 004010 definitions")
        #expect(errors == [Found(code: .element(.tooManyRepetitions), segment: 6, id: "REF", element: 2),
                           Found(code: .element(.tooManyRepetitions), segment: 14, id: "N4", element: 3)])
    }

    @Test("12: the mailbag's defined sets (997, 850s) validate clean; its 820s have no definition")
    func f12() throws {
        let (v, errors) = try found("12_bots_mailbag_8-interchanges_mixed-delims.x12")
        #expect(errors.isEmpty, "\(errors)")
        #expect(v.filter { !$0.hasDefinition }.allSatisfy { $0.lookup.note == "no definition for transaction set 820 in 004010" })
    }

    @Test("18: Babelway 940: reject the set — N402 \"020\"/\"010\" (state code, ID 2/2) too long three times (AK4 5), G61 with G6103 \"TE\" and no G6104 (AK4 2, P0304)")
    func f18() throws {
        let (_, errors) = try found("18_x12types_940_babelway_isa16-backslash.edi")
        #expect(errors == [Found(code: .element(.tooLong), segment: 5, id: "N4", element: 2),
                           Found(code: .element(.tooLong), segment: 10, id: "N4", element: 2),
                           Found(code: .element(.tooLong), segment: 15, id: "N4", element: 2),
                           Found(code: .element(.conditionalElementMissing), segment: 20, id: "G61", element: 4)])
    }

    @Test("19: General Mills 940: reject the set — a line break inside W0115 of both W01s (\"\\nPI\": AK4 6, invalid character)")
    func f19() throws {
        let (_, errors) = try found("19_x12types_940_generalmills.edi")
        #expect(errors == [Found(code: .element(.invalidCharacter), segment: 16, id: "W01", element: 15),
                           Found(code: .element(.invalidCharacter), segment: 18, id: "W01", element: 15)])
    }

    @Test("20: 945: besides its envelope errors, N1*SF***CHI has neither N102 nor N103 (R0203) and N104 without N103 (P0304): AK4 2 twice")
    func f20() throws {
        let (_, errors) = try found("20_x12types_945_nonfixed-ISA_bad-SE01.edi")
        #expect(errors == [Found(code: .element(.conditionalElementMissing), segment: 6, id: "N1", element: 2),
                           Found(code: .element(.conditionalElementMissing), segment: 6, id: "N1", element: 3)])
    }
}
