import Testing
@testable import X12

@Suite("Delimiters come from each interchange's ISA")
struct DelimiterTests {
    @Test("element separator is byte 3, component separator ISA16, terminator the byte after")
    func readsDelimitersFromISA() {
        let doc = X12Document(parsing: SampleInterchange(element: "|", component: "^", terminator: "!").bytes(SampleInterchange.valid940))
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        let d = doc.interchanges[0].delimiters
        #expect(d == X12Delimiters(element: UInt8(ascii: "|"), component: UInt8(ascii: "^"), repetition: nil, segment: UInt8(ascii: "!")))
        #expect(doc.interchanges[0].groups[0].transactionSets[0].segments[1][2] == "ORDER-1")
    }

    @Test("repetition separator: not before 00402, even when ISA11 is a delimiter-like byte")
    func noRepetitionBefore00402() {
        let doc = X12Document(parsing: SampleInterchange(isa11: "^", version: "00401").bytes(SampleInterchange.valid940))
        #expect(doc.interchanges[0].delimiters.repetition == nil)
        // Before 00402 ISA11 is the standards identifier and must be U.
        #expect(doc.errors.map(\.code) == [.interchange(.invalidStandardsIdentifier)])
    }

    @Test("repetition separator: ISA11 from 00402 (X12.5 release 4020) on")
    func repetitionFrom00402() {
        for version in ["00402", "00403", "00406", "00501"] {
            let doc = X12Document(parsing: SampleInterchange(isa11: "^", version: version).bytes(SampleInterchange.valid940))
            #expect(doc.errors.isEmpty, "\(version): \(doc.errors)")
            #expect(doc.interchanges[0].delimiters.repetition == UInt8(ascii: "^"), "\(version)")
        }
    }

    @Test("a letter in ISA11 from 00402 on (the old U) means no repetition separator")
    func letterInISA11MeansNone() {
        let doc = X12Document(parsing: SampleInterchange(isa11: "U", version: "00403").bytes(SampleInterchange.valid940))
        #expect(doc.errors.isEmpty)
        #expect(doc.interchanges[0].delimiters.repetition == nil)
    }

    @Test("with a repetition separator, an element splits into repetitions")
    func repetitionSplits() {
        var body = SampleInterchange.valid940
        body[2] = "W05*N*A^B:C*PO-1"
        let doc = X12Document(parsing: SampleInterchange(isa11: "^", version: "00501").bytes(body))
        let w05 = doc.interchanges[0].groups[0].transactionSets[0].segments[1]
        #expect(w05.value(2) == .repeated([["A"], ["B", "C"]]))
    }

    @Test("several interchanges in one input, each with its own delimiters")
    func eachInterchangeItsOwnDelimiters() {
        let first = SampleInterchange().text(SampleInterchange.valid940)
        let second = SampleInterchange(element: "\u{7F}", component: ">", terminator: "\u{15}", controlNumber: "000000102", lineBreak: "")
            .text(SampleInterchange.valid940.dropLast() + ["IEA*1*000000102"])
        let doc = X12Document(parsing: Array((first + second).utf8))
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        #expect(doc.interchanges.map(\.delimiters.segment) == [UInt8(ascii: "~"), 0x15])
        #expect(doc.interchanges[1].groups[0].transactionSets[0].segments[1][3] == "PO-1")
    }

    @Test("a multi-byte UTF-8 terminator is refused with TA1 004, naming the byte")
    func multiByteTerminator() {
        let text = SampleInterchange(terminator: "…").text(SampleInterchange.valid940)
        let doc = X12Document(parsing: Array(text.utf8))
        #expect(doc.errors.first?.code == .interchange(.invalidSegmentTerminator))
        #expect(doc.errors.first?.position.byteOffset == 105)
        #expect(doc.errors.first?.rule.contains("0xE2") == true)
    }

    @Test("a letter as element separator is refused with TA1 026")
    func letterAsElementSeparator() {
        let doc = X12Document(parsing: Array("ISAX00X".utf8) + Array(repeating: 0x20, count: 120))
        #expect(doc.errors.first?.code == .interchange(.invalidElementSeparator))
    }

    @Test("component separator equal to the element separator is refused with TA1 027")
    func componentEqualsElement() {
        let doc = X12Document(parsing: SampleInterchange(component: "*").bytes(SampleInterchange.valid940))
        #expect(doc.errors.first?.code == .interchange(.invalidComponentSeparator))
    }

    @Test("a UTF-8 BOM at the start, CR/LF after terminators and a Ctrl-Z trailer are tolerated")
    func tolerances() {
        let text = SampleInterchange(lineBreak: "\r\n").text(SampleInterchange.valid940)
        let doc = X12Document(parsing: [0xEF, 0xBB, 0xBF] + Array(text.utf8) + [0x1A])
        #expect(doc.errors.isEmpty, "\(doc.errors)")
        #expect(doc.interchanges.count == 1)
    }

    @Test("whitespace inside an interchange is data: a space before a segment id abandons the interchange")
    func spaceBeforeSegmentID() {
        let text = SampleInterchange(lineBreak: " ").text(SampleInterchange.valid940)
        let doc = X12Document(parsing: Array(text.utf8))
        #expect(doc.errors.first?.code == .interchange(.invalidInterchangeContent))
        #expect(doc.errors.first?.position.segmentInInterchange == 2)
        #expect(doc.errors.first?.rule.contains("\" GS\"") == true)
    }

    @Test("garbage between interchanges is TA1 022, and the next interchange is still read")
    func garbageBetweenInterchanges() {
        let text = "HELLO\n" + SampleInterchange().text(SampleInterchange.valid940)
        let doc = X12Document(parsing: Array(text.utf8))
        #expect(doc.errors.map(\.code) == [.interchange(.invalidControlStructure)])
        #expect(doc.interchanges.count == 1)
        #expect(doc.interchanges[0].trailer != nil)
    }

    @Test("EBCDIC input is refused as unsupported")
    func ebcdic() {
        let doc = X12Document(parsing: [0xC9, 0xE2, 0xC1, 0x5C] + Array(repeating: 0x40, count: 200))
        #expect(doc.errors.map(\.code) == [.unsupportedEncoding])
    }
}
