import Testing
@testable import X12

@Suite("Round trip of every accepted interchange in the interop files")
struct FixtureRoundTripTests {
    /// The interchange's bytes as received, minus the CR/LF written after terminators and the
    /// filler after the IEA: what the serializer must reproduce with `.none` line endings.
    func expected(_ bytes: [UInt8], from start: Int, to end: Int, terminator: UInt8) -> [UInt8] {
        var out: [UInt8] = []
        var afterTerminator = false
        for b in bytes[start..<end] {
            if afterTerminator, b == 0x0D || b == 0x0A, terminator != b { continue }
            afterTerminator = b == terminator
            out.append(b)
        }
        while let last = out.last, last != terminator { out.removeLast() }
        return out
    }

    @Test("parse → serialize gives byte-identical segments")
    func roundTrip() throws {
        var checked = 0
        for name in try InteropFixtures.names() {
            let bytes = try InteropFixtures.bytes(name)
            let doc = X12Document(parsing: bytes)
            for (k, interchange) in doc.interchanges.enumerated() where doc.errors(inInterchange: k + 1).isEmpty {
                let start = interchange.position.byteOffset
                let end = k + 1 < doc.interchanges.count ? doc.interchanges[k + 1].position.byteOffset : bytes.count
                let out = try X12Serializer(delimiters: interchange.delimiters).serialize(interchange)
                #expect(out == expected(bytes, from: start, to: end, terminator: interchange.delimiters.segment), "\(name) #\(k + 1)")
                checked += 1
            }
        }
        #expect(checked == 21)  // 12 accepted single-interchange files, 02's three interchanges, 12's six accepted ones
    }
}
