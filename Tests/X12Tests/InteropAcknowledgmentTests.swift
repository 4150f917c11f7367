import Testing
@testable import X12

/// What the gateway answers to each public file of `../shared/interop/x12/`: the TA1 and the
/// 997/999 verdicts, written out so that a change in any decision shows here. The reasons for
/// the envelope verdicts are in InteropVerdictTests; the set rejections are real data errors
/// the definitions find (named in each case).
@Suite("Interop files: the acknowledgments the gateway sends")
struct InteropAcknowledgmentTests {
    /// "TA1 A 000", "AK9 P 2/2/1 [19]: A, R 23" …, one line per reply element.
    static func answers(_ name: String) throws -> [String] {
        let document = X12Document(parsing: try InteropFixtures.bytes(name))
        let envelope = X12Acknowledger.Envelope(interchangeControlNumber: 1, groupControlNumber: 1, date: "20261203", time: "0700")
        var lines: [String] = []
        for reply in X12Acknowledger.acknowledge(document, envelope: { _ in envelope }) {
            if let ta1 = reply.ta1 { lines.append("TA1 \(ta1.code.rawValue) \((ta1.note ?? .noError).rawValue)") }
            for g in reply.groups {
                let codes = g.errorCodes.isEmpty ? "" : " [\(g.errorCodes.joined(separator: ","))]"
                let sets = g.sets.map { ([$0.code.rawValue] + $0.errorCodes).joined(separator: " ") }.joined(separator: ", ")
                lines.append("\(g.version == nil ? "997" : "999") \(g.code.rawValue) \(g.includedSets)/\(g.receivedSets)/\(g.acceptedSets)\(codes): \(sets)")
            }
        }
        return lines
    }

    static let expected: [String: [String]] = [
        // 810 and 850 in 004010 without definitions here (no 810): not supported (AK5 1).
        "01_staedi_810-850_two-groups.edi": ["997 R 2/2/0: R 1, R 1", "997 R 1/1/0: R 1"],
        "02_staedi_997_three-interchanges_5010.edi": Array(repeating: "999 A 1/1/1: A", count: 3),
        // Terminator is a UTF-8 lead byte (TA1 004, InteropVerdictTests f03): no header could be
        // read, so there is no sender to address a TA1 to; the error goes to the operator.
        "03_staedi_214_utf8-ellipsis-terminator.edi": [],
        "04_staedi_210_wrapped-80-columns.edi": ["TA1 R 015"],
        "05_staedi_997_ISB-ISE-segments.edi": ["999 A 1/1/1: A"],
        "06_staedi_999_repetition-composite.edi": ["999 A 1/1/1: A"],
        "07_staedi_855x2_isa16-caret.edi": ["997 A 2/2/2: A, A"],
        "08_nodex12_850_newline-terminator.edi": ["997 A 1/1/1: A"],
        // ISA11 '-' in 00406 is the repetition separator, so "-" inside REF02/N403 splits them.
        "09_nodex12_856_00406_isa11-dash.edi": ["997 R 1/1/0: R 5"],
        "10_bots_856_HL-SOPI_crlf.x12": ["TA1 A 000", "997 A 1/1/1: A"],
        "11_bots_997.x12": ["TA1 A 000", "997 A 1/1/1: A"],
        "13_bots_850x4_0x7F-0x15-delims_42KB.x12": ["997 A 4/4/4: A, A, A, A"],
        // EBCDIC: no answer a partner could read.
        "14_bots_850_EBCDIC.x12": [],
        "15_bots_855x6.x12": ["997 A 6/6/6: A, A, A, A, A, A"],
        // Non-fixed-width ISA: TA1 R with the first width rule broken.
        "16_edinet_810_BOM_nonfixed-ISA_INVALID.edi": ["TA1 R 011"],
        // SE01 says 41 for 38 segments (AK5 4); no 204 definition (AK5 1).
        "17_edinet_204_LF-terminator_bad-SE01.edi": ["997 R 1/1/0: R 4 1"],
        // Three-letter state codes in N402 and a G61 without G6104.
        "18_x12types_940_babelway_isa16-backslash.edi": ["997 R 1/1/0: R 5"],
        // Line feeds inside W0115.
        "19_x12types_940_generalmills.edi": ["997 R 1/1/0: R 5"],
        "20_x12types_945_nonfixed-ISA_bad-SE01.edi": ["TA1 R 011"],
    ]

    @Test(arguments: expected.keys.sorted())
    func answer(name: String) throws {
        #expect(try Self.answers(name) == Self.expected[name], "\(name)")
    }

    /// The mailbag: eight interchanges with their own delimiters, some broken on purpose.
    @Test func mailbagAnswersEachInterchangeOnItsOwn() throws {
        let answers = try Self.answers("12_bots_mailbag_8-interchanges_mixed-delims.x12")
        #expect(answers.contains("TA1 R 024"))
        #expect(answers.contains("TA1 A 000"))
        #expect(answers.contains { $0.hasPrefix("997 P 2/2/1") })
        #expect(answers.contains { $0.hasPrefix("997 R 2/2/0 [19]") })
        #expect(answers.filter { $0.hasPrefix("997 A") }.count == 5)
    }
}
