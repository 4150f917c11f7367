import Testing
@testable import X12

/// SplitMix64: a deterministic generator, so a failure replays exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Robustness: damaged fixtures never crash or hang", .timeLimit(.minutes(2)))
struct RobustnessTests {
    @Test("random truncations and byte flips of every fixture parse to an end, with positions inside the input")
    func damagedInput() throws {
        var rng = SplitMix64(state: 24)
        var runs = 0
        for name in try InteropFixtures.names() {
            let original = try InteropFixtures.bytes(name)
            for _ in 0..<150 {
                var bytes = original
                if Bool.random(using: &rng) { bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng))) }
                for _ in 0..<Int.random(in: 0...4, using: &rng) where !bytes.isEmpty {
                    let i = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes[i] = [0x2A, 0x7E, 0x0A, 0x00, 0x1A, 0xFF, 0x49, UInt8.random(in: 0...255, using: &rng)].randomElement(using: &rng)!
                }
                let doc = X12Document(parsing: bytes)
                for e in doc.errors { #expect(e.position.byteOffset <= bytes.count, "\(name): \(e)") }
                var log = X12EnvelopeValidator()
                X12StreamParser.parse(bytes, chunks: { Int.random(in: 1...300, using: &rng) }, into: &log)
                #expect(log.errors == doc.errors, "\(name): chunked and whole parses disagree")
                runs += 1
            }
        }
        #expect(runs == 3000)
    }

    @Test("a single-interchange accepted file cut anywhere before its last terminator is never accepted")
    func truncationIsAlwaysAnError() throws {
        var rng = SplitMix64(state: 7)
        for name in try InteropFixtures.names() {
            let bytes = try InteropFixtures.bytes(name)
            let doc = X12Document(parsing: bytes)
            guard doc.isValid, doc.interchanges.count == 1 else { continue }
            let last = bytes.lastIndex(of: doc.interchanges[0].delimiters.segment)!
            for _ in 0..<100 {
                let cut = Int.random(in: 0..<last, using: &rng)
                #expect(!X12Document(parsing: Array(bytes.prefix(cut))).isValid, "\(name) cut at \(cut)")
            }
        }
    }
}
