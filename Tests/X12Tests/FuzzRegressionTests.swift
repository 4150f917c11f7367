import Testing
@testable import X12

/// Inputs the fuzzer (scripts/fuzz-x12) found, kept so that the bugs stay fixed.
@Suite("Fuzzer findings")
struct FuzzRegressionTests {
    /// Between interchanges the parser quotes up to 8 bytes of what it found instead of an ISA;
    /// it used to decide after 4, so a first chunk of 4–7 bytes gave a shorter quote than the
    /// whole buffer ("ST*846" vs "ST*846*0"): chunking must never change the errors.
    @Test("the quote in a missing-ISA error does not depend on chunking")
    func missingISAQuote() {
        let bytes = Array("ST*846*0001~\nBIA*00*MM*INV-1*20261205~\nSE*3*0001~\n".utf8)
        let whole = X12Document(parsing: bytes).errors
        #expect(whole.count == 1 && whole[0].rule.hasSuffix("found \"ST*846*0\""), "\(whole)")
        for first in 1...8 {
            var validator = X12EnvelopeValidator()
            var parser = X12StreamParser()
            parser.feed(Array(bytes[..<first]), into: &validator)
            parser.feed(Array(bytes[first...]), into: &validator)
            parser.finish(into: &validator)
            #expect(validator.errors == whole, "first chunk of \(first) bytes")
        }
    }
}
