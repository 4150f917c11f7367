import X12

extension X12StreamParser {
    /// Parses `bytes` fed in chunks of the sizes `nextSize` gives, then finishes: what a network
    /// or file reader hands the parser. The tests compare it with the whole-buffer parse.
    static func parse<H: X12SegmentHandler>(_ bytes: [UInt8], chunks nextSize: () -> Int, into handler: inout H) {
        var parser = X12StreamParser()
        var i = 0
        while i < bytes.count {
            let n = nextSize()
            parser.feed(Array(bytes[i..<min(bytes.count, i + n)]), into: &handler)
            i += n
        }
        parser.finish(into: &handler)
    }

    static func parse<H: X12SegmentHandler>(_ bytes: [UInt8], chunkSize: Int, into handler: inout H) {
        parse(bytes, chunks: { chunkSize }, into: &handler)
    }
}
