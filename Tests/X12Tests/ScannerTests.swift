import Testing
@testable import X12

// SplitMix64 (seeded, so that a failure can be replayed) is RobustnessTests'.

/// What a segment handler saw of one segment: where it starts and its id and elements.
private struct SeenSegment: Equatable, CustomStringConvertible {
    var offset: Int
    var fields: [[UInt8]]
    var description: String { "@\(offset) " + fields.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "|") }
}

/// Records each segment twice: through the view's lazy element lookup and through the owned
/// copy (whose separators the view finds in one pass).
private struct SegmentRecorder: X12SegmentHandler {
    var segments: [SeenSegment] = []
    var copies: [SeenSegment] = []
    var errors: [X12Error] = []
    mutating func interchangeBegan(_ header: X12InterchangeHeader, at position: X12Position) {}
    mutating func segment(_ s: X12SegmentView) {
        var fields = [s.id.bytes]
        if s.elementCount > 0 { for n in 1...s.elementCount { fields.append(s.elementBytes(n)) } }
        segments.append(SeenSegment(offset: s.position.byteOffset, fields: fields))
        let copy = s.makeSegment()
        var copied = [copy.id.bytes]
        if copy.elementCount > 0 { for n in 1...copy.elementCount { copied.append(Array(copy.rawElement(n))) } }
        copies.append(SeenSegment(offset: s.position.byteOffset, fields: copied))
    }
    mutating func syntaxError(_ error: X12Error) { errors.append(error) }
}

@Suite("Delimiter scanner: SIMD masks against a naive scan")
struct ScannerTests {
    /// The reference: one byte at a time, written independently of the scanner.
    private func naive(_ bytes: ArraySlice<UInt8>, _ delimiter: UInt8) -> UInt64 {
        var mask: UInt64 = 0
        for (k, b) in bytes.prefix(64).enumerated() where b == delimiter { mask |= 1 << UInt64(k) }
        return mask
    }

    @Test("masks match a byte-by-byte scan at every start offset modulo 16 and every length up to the buffer end")
    func masksMatchNaiveScan() {
        var rng = SplitMix64(state: 24)
        for round in 0..<200 {
            // Mostly data bytes, with delimiters dense enough that every lane sees them; every
            // 17th round puts a delimiter on each byte of one lane position modulo 16.
            var bytes = (0..<192).map { _ -> UInt8 in
                switch UInt8.random(in: 0..<8, using: &rng) {
                case 0: 0x2A
                case 1: 0x7E
                case 2: 0x0A
                default: UInt8.random(in: 0x20...0x7F, using: &rng)
                }
            }
            if round % 17 == 0 {
                let lane = round / 17 % 16
                for i in stride(from: lane, to: bytes.count, by: 16) { bytes[i] = round % 2 == 0 ? 0x2A : 0x7E }
            }
            bytes.withUnsafeBytes { buffer in
                for start in 0..<(bytes.count) {
                    let left = bytes.count - start
                    for count in Set([0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, left].filter { $0 <= left }) {
                        for delimiter: UInt8 in [0x2A, 0x7E] {
                            let got = X12DelimiterMasks.mask(buffer.baseAddress! + start, count: count, of: delimiter)
                            let want = naive(bytes[start..<(start + count)], delimiter)
                            #expect(got == want, "round \(round), start \(start), count \(count), delimiter \(delimiter)")
                            // A short count inside a longer buffer: SIMD window, bits past count cleared.
                            let inBuffer = X12DelimiterMasks.mask(buffer.baseAddress! + start, count: count, readable: left, of: delimiter)
                            #expect(inBuffer == want, "readable \(left), round \(round), start \(start), count \(count)")
                            #if arch(x86_64)
                            if count >= 64 {
                                #expect(X12DelimiterMasks.sse2(buffer.baseAddress! + start, of: delimiter) == want,
                                        "SSE2, round \(round), start \(start)")
                            }
                            #endif
                        }
                    }
                    // Offsets, the n-th offset and the count over the rest of the buffer.
                    let rest = UnsafeRawBufferPointer(rebasing: buffer[start...])
                    let want = bytes[start...].indices.filter { bytes[$0] == 0x2A }.map { $0 - start }
                    #expect(X12DelimiterMasks.offsets(of: 0x2A, in: rest) == want.map { Int32($0) })
                    #expect(X12DelimiterMasks.count(of: 0x2A, in: rest) == want.count)
                    for k in [0, 1, 7, want.count - 1, want.count] where k >= 0 {
                        #expect(X12DelimiterMasks.offset(k, of: 0x2A, in: rest) == (k < want.count ? want[k] : nil))
                    }
                }
            }
        }
    }

    @Test("delimiter bytes at or above 0x80 compare as bytes, not as signed lanes")
    func highBytes() {
        let bytes = [UInt8](repeating: 0x41, count: 64).enumerated().map { $0.offset % 5 == 0 ? 0x85 : $0.offset % 7 == 0 ? 0xFF : $0.element }
        bytes.withUnsafeBytes { buffer in
            #expect(X12DelimiterMasks.mask(buffer.baseAddress!, count: 64, of: 0x85) == naive(bytes[...], 0x85))
            #expect(X12DelimiterMasks.mask(buffer.baseAddress!, count: 64, of: 0xFF) == naive(bytes[...], 0xFF))
        }
    }

    /// A random interchange body whose segments and elements have random lengths, so that
    /// separators and terminators fall on every offset modulo 16 and segments span windows;
    /// one segment has more elements than the parser's initial separator storage.
    private func randomSegments(_ rng: inout SplitMix64) -> [String] {
        let ids = ["N1", "W01", "LX", "REF", "N9", "G69", "MAN"]
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.:")
        var segments: [String] = []
        for k in 0..<300 {
            let elements = k == 150 ? 600 : Int.random(in: 0...12, using: &rng)
            var s = ids.randomElement(using: &rng)!
            for _ in 0..<elements {
                let length = Int.random(in: 0...(Bool.random(using: &rng) ? 3 : 40), using: &rng)
                s += "*" + String((0..<length).map { _ in letters.randomElement(using: &rng)! })
            }
            segments.append(s)
        }
        return segments
    }

    @Test("segments and elements cut by the parser match a naive split, whole and in chunks of any size")
    func parserMatchesNaiveSplit() {
        var rng = SplitMix64(state: 1024)
        // Line breaks after "~", and CR or LF as the terminator itself (then a following LF is
        // a line break, and a line break at a window's first byte must not count as one).
        let layouts: [(terminator: Character, lineBreak: String)] = [("~", ""), ("~", "\r\n"), ("~", "\n"), ("\n", ""), ("\r", "\n")]
        for (terminator, lineBreak) in layouts {
            for _ in 0..<3 {
                var sample = SampleInterchange()
                sample.terminator = terminator
                sample.lineBreak = lineBreak
                let segments = randomSegments(&rng)
                let bytes = sample.bytes(segments)
                // The expected segments: each one's offset and its fields split at "*".
                var expected: [SeenSegment] = []
                var offset = sample.isa().utf8.count
                for s in segments {
                    let fields = s.split(separator: "*", omittingEmptySubsequences: false).map { Array($0.utf8) }
                    expected.append(SeenSegment(offset: offset, fields: fields))
                    offset += s.utf8.count + 1 + lineBreak.utf8.count
                }
                for size in [bytes.count, 1, 2, 5, 15, 16, 17, 31, 63, 64, 65, 127, 1000] {
                    var recorder = SegmentRecorder()
                    // The input ends inside the interchange (no IEA): one premature-end error,
                    // after every segment.
                    X12StreamParser.parse(bytes, chunkSize: size, into: &recorder)
                    #expect(recorder.segments == expected, "terminator \(terminator.debugDescription), line break \(lineBreak.debugDescription), chunks of \(size)")
                    #expect(recorder.copies == expected, "copies, chunks of \(size)")
                    #expect(recorder.errors.map(\.code) == [.interchange(.prematureEndOfFile)], "chunks of \(size)")
                }
            }
        }
    }

    @Test("a segment cut at the end of the buffer waits for its terminator; the last byte may be the terminator")
    func bufferEnds() {
        let sample = SampleInterchange()
        let bytes = sample.bytes(["N1*ST*ACME", "N3*1200 INDUSTRIAL PARKWAY*DOCK 7"])
        var recorder = SegmentRecorder()
        var parser = X12StreamParser()
        let cut = bytes.count - 4  // inside the last segment
        parser.feed(Array(bytes[..<cut]), into: &recorder)
        #expect(recorder.segments.count == 1)
        parser.feed(Array(bytes[cut..<(bytes.count - 1)]), into: &recorder)  // up to and including "~"
        #expect(recorder.segments.count == 2)
        #expect(recorder.segments.last?.fields.map { String(decoding: $0, as: UTF8.self) } == ["N3", "1200 INDUSTRIAL PARKWAY", "DOCK 7"])
        #expect(recorder.errors.isEmpty)
    }
}
