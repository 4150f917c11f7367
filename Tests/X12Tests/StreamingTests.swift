import Foundation
import Testing
@testable import X12

/// Records every event as text, to compare a chunked parse with a whole-buffer one.
struct EventLog: X12SegmentHandler {
    var events: [String] = []
    mutating func interchangeBegan(_ header: X12InterchangeHeader, at position: X12Position) {
        events.append("ISA \(header.bytes) \(position)")
    }
    mutating func segment(_ segment: X12SegmentView) { events.append("\(Array(segment.bytes)) \(segment.position)") }
    mutating func syntaxError(_ error: X12Error) { events.append("error \(error)") }
}

@Suite("Streaming: chunked input, bounded memory")
struct StreamingTests {
    @Test("any chunking gives the same events as one buffer, for every fixture")
    func chunkingIsInvisible() throws {
        for name in try InteropFixtures.names() {
            let bytes = try InteropFixtures.bytes(name)
            var whole = EventLog()
            X12StreamParser.parse(bytes, into: &whole)
            for size in [1, 2, 3, 7, 64, 105, 106, 107, 4096] {
                var log = EventLog()
                X12StreamParser.parse(bytes, chunkSize: size, into: &log)
                #expect(log.events == whole.events, "\(name) in chunks of \(size)")
            }
        }
    }

    @Test("the file reader streams transaction sets one at a time and validates the envelopes")
    func fileReader() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("x12-stream-\(getpid()).edi").path
        let sample = SampleInterchange()
        var body = [SampleInterchange.valid940[0]]
        for k in 1...500 {
            let control = String(format: "%04d", k)
            body += ["ST*940*\(control)", "W05*N*ORDER-\(k)*PO-1", "SE*3*\(control)"]
        }
        body += ["GE*500*7", "IEA*1*000000101"]
        try Data(sample.bytes(body)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        nonisolated(unsafe) var orders: [String] = []
        let validator = try X12Reader.readTransactionSets(path: path) { context in
            orders.append(context.transactionSet.segments[1][2])
        }
        #expect(validator.errors.isEmpty, "\(validator.errors)")
        #expect(orders.count == 500 && orders.last == "ORDER-500")
        #expect(validator.transactionSetCount == 500)
    }

    @Test("a missing file is a read error naming the path")
    func missingFile() {
        var v = X12EnvelopeValidator()
        #expect(throws: X12FileReader.ReadError.self) { try X12FileReader.parse(path: "/nonexistent/x.edi", into: &v) }
    }

    @Test("input without terminators is refused once a segment exceeds the maximum length, not buffered forever")
    func boundedSegment() {
        var log = X12EnvelopeValidator()
        var parser = X12StreamParser(maximumSegmentLength: 1000)
        parser.feed(SampleInterchange().bytes([]), into: &log)
        for _ in 0..<100 { parser.feed([UInt8](repeating: UInt8(ascii: "A"), count: 100), into: &log) }
        parser.finish(into: &log)
        #expect(log.errors.first?.code == .interchange(.invalidControlStructure))
        #expect(log.errors.first?.rule.contains("within 1000 bytes") == true)
    }
}
