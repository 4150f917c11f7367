/// Builds small interchanges for the unit tests: a fixed-width ISA with the given delimiters and
/// version, then the body segments, each followed by the terminator and a line break.
struct SampleInterchange {
    var element: Character = "*"
    var component: Character = ":"
    var isa11: Character = "U"
    var terminator: Character = "~"
    var version = "00401"
    var controlNumber = "000000101"
    var lineBreak = "\n"

    func isa() -> String {
        let e = String(element)
        return ["ISA", "00", "          ", "00", "          ", "ZZ", "SENDER         ", "ZZ", "RECEIVER       ",
                "240101", "1200", String(isa11), version, controlNumber, "0", "P", String(component)].joined(separator: e)
            + String(terminator) + lineBreak
    }

    /// The interchange with `segments` (written with `*` and converted to `element`).
    func text(_ segments: [String]) -> String {
        isa() + segments.map { $0.replacingOccurrences(of: "*", with: String(element)) + String(terminator) + lineBreak }.joined()
    }

    func bytes(_ segments: [String]) -> [UInt8] { Array(text(segments).utf8) }

    /// A valid 940 in one group, closed by IEA.
    static let valid940 = [
        "GS*OW*SENDER*RECEIVER*20240101*1200*7*X*004010",
        "ST*940*0001",
        "W05*N*ORDER-1*PO-1",
        "N1*ST*ACME*9*123",
        "LX*1",
        "W01*2*EA**VN*SKU-1",
        "SE*6*0001",
        "GE*1*7",
        "IEA*1*000000101",
    ]
}
