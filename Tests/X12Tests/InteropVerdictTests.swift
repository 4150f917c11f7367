import Testing
@testable import X12

/// One test per public file in `../shared/interop/x12/`: the answer a strict partner-facing
/// gateway gives it, and why. "Accept" means no syntax or envelope error at all.
@Suite("Interop files: the gateway's verdict for each")
struct InteropVerdictTests {
    func read(_ name: String) throws -> X12Document { X12Document(parsing: try InteropFixtures.bytes(name)) }

    func setCounts(_ doc: X12Document) -> [[Int]] { doc.interchanges.map { $0.groups.map(\.transactionSets.count) } }

    @Test("the directory holds the 20 files this suite judges")
    func fileCount() throws { #expect(try InteropFixtures.names().count == 20) }

    @Test("01 StAEDI 810+850, two groups: accept (all counts and control numbers agree)")
    func f01() throws {
        let doc = try read("01_staedi_810-850_two-groups.edi")
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        #expect(setCounts(doc) == [[2, 1]])
        #expect(doc.interchanges[0].groups.map(\.functionalIdentifier) == ["IN", "PO"])
    }

    @Test("02 StAEDI three 5010 interchanges: accept each (own ISA13 1, 2, 3; IEA02 matches)")
    func f02() throws {
        let doc = try read("02_staedi_997_three-interchanges_5010.edi")
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        #expect(doc.interchanges.map { $0.header.string(13) } == ["000000001", "000000002", "000000003"])
        #expect(doc.interchanges.allSatisfy { $0.delimiters.repetition == UInt8(ascii: "^") })
    }

    @Test("03 StAEDI 214 with '…' as terminator: reject with TA1 004 — a terminator is one byte, and 0xE2 is the lead byte of a 3-byte UTF-8 character, not an X12 delimiter")
    func f03() throws {
        let doc = try read("03_staedi_214_utf8-ellipsis-terminator.edi")
        #expect(doc.errors.map(\.code) == [.interchange(.invalidSegmentTerminator)])
        #expect(doc.errors[0].position.byteOffset == 105)
        #expect(doc.interchanges.isEmpty)
    }

    @Test("04 StAEDI 210 wrapped at 80 columns: reject with TA1 015 — the line breaks fall inside elements (ISA10 \"022\\n4\"), so they are data corruption, not formatting; the interchange is abandoned at the first broken segment id \"N4\\n\"")
    func f04() throws {
        let doc = try read("04_staedi_210_wrapped-80-columns.edi")
        #expect(doc.errors.first?.code == .interchange(.invalidTime))
        #expect(doc.errors.first?.position.element == 10)
        #expect(doc.errors.contains { $0.code == .segment(.unrecognizedSegmentID) && $0.rule.contains("\"N4\\n\"") })
        #expect(doc.interchanges[0].trailer == nil)
    }

    @Test("05 StAEDI 997 with ISB/ISE: accept — ISB (grade of service) and ISE (deferred delivery) are X12.5 interchange service segments allowed between ISA and GS; kept in the model, not acted on")
    func f05() throws {
        let doc = try read("05_staedi_997_ISB-ISE-segments.edi")
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        #expect(doc.interchanges[0].serviceSegments.map(\.id) == [.ISB, .ISE])
    }

    @Test("06 StAEDI 999 with repeated composites: accept — 00501 makes '^' the repetition separator, CTX01 holds three repetitions")
    func f06() throws {
        let doc = try read("06_staedi_999_repetition-composite.edi")
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        let ctx = doc.interchanges[0].groups[0].transactionSets[0].segments.filter { $0.id == X12SegmentID("CTX") }
        #expect(ctx[1].value(1) == .repeated([["SITUATIONAL TRIGGER"], ["SITUATIONAL TRIGGER", "2"], ["SITUATIONAL TRIGGER", "3"]]))
        #expect(ctx[1].value(5) == .composite(["5", "3"]))
    }

    @Test("07 StAEDI two 855s with '^' as ISA16: accept — '^' is a valid component separator in 00401 (no repetition separator there)")
    func f07() throws {
        let doc = try read("07_staedi_855x2_isa16-caret.edi")
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        #expect(doc.interchanges[0].delimiters.component == UInt8(ascii: "^"))
        #expect(setCounts(doc) == [[2]])
    }

    @Test("08 node-x12 850 with LF as terminator: accept — a control character is a legal terminator, and the counts agree")
    func f08() throws {
        let doc = try read("08_nodex12_850_newline-terminator.edi")
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        #expect(doc.interchanges[0].delimiters.segment == 0x0A)
    }

    @Test("09 node-x12 856 00406 with '-' in ISA11: envelope valid (no TA1); by the 00402 cut-over '-' is the repetition separator, so N403 \"31139-0020\" reads as two repetitions, which the transaction-set definitions (next part) answer with 997 AK4 12 (too many repetitions): the partner declared '-' a delimiter")
    func f09() throws {
        let doc = try read("09_nodex12_856_00406_isa11-dash.edi")
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        #expect(doc.interchanges[0].delimiters.repetition == UInt8(ascii: "-"))
        let n4 = doc.interchanges[0].groups[0].transactionSets[0].segments.filter { $0.id == X12SegmentID("N4") }
        #expect(n4.contains { $0.value(3) == .repeated([["31139"], ["0020"]]) })
    }

    @Test("10 Bots 856 S/O/P/I with CRLF: accept — CR/LF after terminators are line breaks; 190 segments as SE01 says")
    func f10() throws {
        let doc = try read("10_bots_856_HL-SOPI_crlf.x12")
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        #expect(doc.interchanges[0].groups[0].transactionSets[0].segments.count == 190)
    }

    @Test("11 Bots 997: accept")
    func f11() throws {
        let doc = try read("11_bots_997.x12")
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        #expect(doc.interchanges[0].groups[0].transactionSets[0].identifier == "997")
    }

    @Test("12 Bots mailbag of 8 interchanges: accept 1–4, 6 and 8; reject 5 with 997 AK5 23 and AK9 19 (the same ST02 twice in a group, the same GS06 twice in the interchange: a strict receiver cannot tell a resend from a new set); reject 7 with TA1 024 (a space after every terminator: ' GS' is not a segment id)")
    func f12() throws {
        let doc = try read("12_bots_mailbag_8-interchanges_mixed-delims.x12")
        #expect(doc.interchanges.count == 8)
        for n in [1, 2, 3, 4, 6, 8] { #expect(doc.errors(inInterchange: n).isEmpty, "interchange \(n)") }
        #expect(doc.errors(inInterchange: 5).map(\.code) == [.transactionSet(.controlNumberNotUnique), .group(.controlNumberNotUnique),
                                                             .transactionSet(.controlNumberNotUnique)])
        #expect(doc.errors(inInterchange: 7).map(\.code) == [.interchange(.invalidInterchangeContent)])
        #expect(Set(doc.interchanges.map(\.delimiters.component)) == Set(">:@+}".utf8))
    }

    @Test("13 Bots four 850s with DEL (0x7F) and NAK (0x15) as delimiters: accept — control characters are legal delimiters")
    func f13() throws {
        let doc = try read("13_bots_850x4_0x7F-0x15-delims_42KB.x12")
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        #expect(setCounts(doc) == [[4]])
        #expect(doc.interchanges[0].delimiters.element == 0x7F && doc.interchanges[0].delimiters.segment == 0x15)
    }

    @Test("14 Bots 850 in EBCDIC: reject cleanly as unsupported — no TA1, since we write none in EBCDIC")
    func f14() throws {
        let doc = try read("14_bots_850_EBCDIC.x12")
        #expect(doc.errors.map(\.code) == [.unsupportedEncoding])
    }

    @Test("15 Bots six 855s ending in ' \\r\\n': accept — whitespace after the IEA is outside any interchange")
    func f15() throws {
        let doc = try read("15_bots_855x6.x12")
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        #expect(setCounts(doc) == [[6]])
    }

    @Test("16 EDI.Net 810 with BOM, short ISA fields and tab indentation: reject with TA1 011, 013, 008 (ISA02, ISA04, ISA08 not at their fixed widths) and TA1 024 (\"\\tGS\" is not a segment id: indentation inside an interchange is data). The BOM itself is tolerated")
    func f16() throws {
        let doc = try read("16_edinet_810_BOM_nonfixed-ISA_INVALID.edi")
        #expect(doc.errors.map(\.code) == [.interchange(.invalidAuthorizationValue), .interchange(.invalidSecurityValue),
                                           .interchange(.invalidReceiverID), .interchange(.invalidInterchangeContent)])
        #expect(doc.errors[0].position.byteOffset == 3)
    }

    @Test("17 EDI.Net 204 with bad SE01: reject the set with 997 AK5 4 — SE01 says 41, the set has 38 segments")
    func f17() throws {
        let doc = try read("17_edinet_204_LF-terminator_bad-SE01.edi")
        #expect(doc.errors.map(\.code) == [.transactionSet(.segmentCountMismatch)])
        #expect(doc.errors[0].rule.contains("\"41\"") && doc.errors[0].rule.contains("counted 38"))
        #expect(doc.errors[0].position.segmentInSet == 38)
    }

    @Test("18 x12-types Babelway 940 with '\\\\' as ISA16: accept")
    func f18() throws {
        let doc = try read("18_x12types_940_babelway_isa16-backslash.edi")
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        #expect(doc.interchanges[0].delimiters.component == UInt8(ascii: "\\"))
    }

    @Test("19 x12-types General Mills 940: accept")
    func f19() throws {
        let doc = try read("19_x12types_940_generalmills.edi")
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        #expect(doc.interchanges[0].groups[0].transactionSets[0].segments[1][2] == "18061923")
    }

    @Test("20 x12-types 945 with short ISA fields and bad SE01: reject with TA1 011, 013, 006, 008 (fixed widths) and 997 AK5 4 (SE01 12, counted 16)")
    func f20() throws {
        let doc = try read("20_x12types_945_nonfixed-ISA_bad-SE01.edi")
        #expect(doc.errors.map(\.code) == [.interchange(.invalidAuthorizationValue), .interchange(.invalidSecurityValue),
                                           .interchange(.invalidSenderID), .interchange(.invalidReceiverID),
                                           .transactionSet(.segmentCountMismatch)])
    }
}
