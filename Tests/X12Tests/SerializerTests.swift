import Testing
@testable import X12

@Suite("Serializer: round trip and re-encoding")
struct SerializerTests {
    @Test("parse → serialize gives the input back, with the line ending chosen")
    func roundTrip() throws {
        for lineBreak in ["", "\n", "\r\n"] {
            let sample = SampleInterchange(isa11: "^", version: "00501", lineBreak: lineBreak)
            let bytes = sample.bytes(SampleInterchange.valid940)
            let doc = X12Document(parsing: bytes)
            let ending: X12Serializer.LineEnding = lineBreak == "" ? .none : lineBreak == "\n" ? .lf : .crlf
            let out = try X12Serializer(delimiters: doc.interchanges[0].delimiters, lineEnding: ending).serialize(doc.interchanges[0])
            #expect(out == bytes)
        }
    }

    @Test("re-encoding with other delimiters keeps every value, and the ISA declares the new ones")
    func transcode() throws {
        var body = SampleInterchange.valid940
        body[2] = "W05*N*A^B:C*PO-1"
        let doc = X12Document(parsing: SampleInterchange(isa11: "^", version: "00501").bytes(body))
        let target = X12Delimiters(element: 0x7F, component: UInt8(ascii: ">"), repetition: UInt8(ascii: "!"), segment: 0x15)
        let out = try X12Serializer(delimiters: target).serialize(doc.interchanges[0])
        let again = X12Document(parsing: out)
        #expect(again.errors.isEmpty, "\(again.errors)")
        #expect(again.interchanges[0].delimiters == target)
        #expect(again.interchanges[0].groups[0].transactionSets[0].jsonValue == doc.interchanges[0].groups[0].transactionSets[0].jsonValue)
        #expect(out.count == SampleInterchange(isa11: "^", version: "00501", lineBreak: "").bytes(body).count)
    }

    @Test("a value containing a target delimiter is refused, naming the element")
    func delimiterInData() throws {
        let doc = X12Document(parsing: SampleInterchange().bytes(SampleInterchange.valid940))
        var target = doc.interchanges[0].delimiters
        target.element = UInt8(ascii: "-")  // "ORDER-1" holds it
        #expect(throws: X12Error.self) { try X12Serializer(delimiters: target).serialize(doc.interchanges[0]) }
        do {
            _ = try X12Serializer(delimiters: target).serialize(doc.interchanges[0])
        } catch {
            #expect(error.code == .element(.invalidCharacter))
            #expect(error.position.segmentID == X12SegmentID("W05") && error.position.element == 2)
        }
    }

    @Test("segments built from values drop trailing empty elements and refuse delimiters in text")
    func buildSegment() throws {
        let seg = try X12Segment(id: X12SegmentID("N1"), elements: [.simple("ST"), .simple("ACME"), .simple(""), .composite(["", ""])],
                                 delimiters: .common)
        #expect(seg.bytes == Array("N1*ST*ACME".utf8))
        #expect(throws: X12Error.self) {
            try X12Segment(id: X12SegmentID("N1"), elements: [.simple("A*B")], delimiters: .common)
        }
    }
}
