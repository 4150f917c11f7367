/// An ISA segment as read: its sixteen elements, the delimiters it declares and its version.
///
/// The parser finds the sixteen element separators one after the other instead of trusting the
/// fixed byte offsets (3, 6, … 103), so that a header with wrong field widths still yields its
/// delimiters and fields; ``X12EnvelopeValidator`` then reports each width violation with its
/// TA1 code. The standard fixed layout is 106 bytes including the terminator.
public struct X12InterchangeHeader: Sendable, Hashable {
    /// The ISA segment's bytes without its terminator.
    public let bytes: [UInt8]
    /// ISA01…ISA16, as written (ISA16 is the component separator itself).
    public let elements: [[UInt8]]
    public let delimiters: X12Delimiters
    /// ISA12 as a number (401 for "00401"), nil when it is not five digits.
    public let version: Int?

    /// The fixed widths of ISA01…ISA16 in X12.5.
    public static let fixedWidths = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1]

    /// ISA13, the interchange control number, as written.
    public var controlNumber: [UInt8] { elements[12] }

    /// Element `n` (1-based) as text.
    public func string(_ n: Int) -> String { String(decoding: elements[n - 1], as: UTF8.self) }

    /// Whether every element has its fixed width.
    public var isFixedWidth: Bool { zip(elements, Self.fixedWidths).allSatisfy { $0.count == $1 } }

    /// The result of looking for a header at the start of a buffer.
    enum Scan {
        /// The header and the number of bytes it took, terminator included.
        case header(X12InterchangeHeader, length: Int)
        /// The buffer ends before the header does.
        case needMoreBytes
        /// The bytes cannot be an ISA header; `offset` is relative to the buffer start.
        case failure(TA1NoteCode, offset: Int, rule: String)
    }

    /// No valid ISA is longer than this; a wider one is refused rather than buffered forever.
    static let maximumLength = 512

    /// Reads an ISA header at the start of `buffer` (which begins with "ISA").
    static func scan(_ buffer: UnsafeRawBufferPointer) -> Scan {
        guard buffer.count >= 4 else { return .needMoreBytes }
        let separator = buffer[3]
        guard X12Delimiters.isDelimiterCandidate(separator) else {
            return .failure(.invalidElementSeparator, offset: 3,
                            rule: "the element separator (the byte after ISA) must be a 7-bit non-alphanumeric character; found \(hex(separator))")
        }
        var starts: [Int] = []
        starts.reserveCapacity(16)
        var i = 3
        let limit = min(buffer.count, maximumLength)
        while starts.count < 16 {
            guard i < limit else {
                if buffer.count >= maximumLength {
                    return .failure(.invalidControlStructure, offset: 0,
                                    rule: "an ISA header must have 16 elements within \(maximumLength) bytes; found \(starts.count)")
                }
                return .needMoreBytes
            }
            if buffer[i] == separator { starts.append(i + 1) }
            i += 1
        }
        // i is now the first byte of ISA16: one byte, then the segment terminator.
        guard i + 1 < buffer.count else { return .needMoreBytes }
        let component = buffer[i], terminator = buffer[i + 1]
        var elements: [[UInt8]] = []
        elements.reserveCapacity(16)
        for k in 0..<15 { elements.append(Array(buffer[starts[k]..<(starts[k + 1] - 1)])) }
        elements.append([component])
        guard X12Delimiters.isDelimiterCandidate(component), component != separator else {
            return .failure(.invalidComponentSeparator, offset: i,
                            rule: "ISA16 (the component separator) must be one 7-bit non-alphanumeric character different from the element separator; found \(hex(component))")
        }
        guard X12Delimiters.isDelimiterCandidate(terminator), terminator != separator, terminator != component else {
            let utf8Hint = terminator >= 0xC0 ? " (the lead byte of a multi-byte UTF-8 character: a terminator is one byte)" : ""
            return .failure(.invalidSegmentTerminator, offset: i + 1,
                            rule: "the segment terminator (the byte after ISA16) must be one 7-bit non-alphanumeric character different from the other delimiters; found \(hex(terminator))\(utf8Hint)")
        }
        let version = parseDigits(elements[11], count: 5)
        var repetition: UInt8?
        if let version, elements[10].count == 1, X12Delimiters.repetitionSeparatorApplies(version: version, isa11: elements[10][0]) {
            let r = elements[10][0]
            guard r != separator, r != component, r != terminator else {
                return .failure(.invalidStandardsIdentifier, offset: starts[10],
                                rule: "ISA11 (the repetition separator from version 00402) must differ from the other delimiters; found \(hex(r))")
            }
            repetition = r
        }
        let header = X12InterchangeHeader(
            bytes: Array(buffer[0...i]), elements: elements,
            delimiters: X12Delimiters(element: separator, component: component, repetition: repetition, segment: terminator),
            version: version)
        return .header(header, length: i + 2)
    }

    static func parseDigits(_ bytes: [UInt8], count: Int) -> Int? {
        guard bytes.count == count else { return nil }
        var n = 0
        for b in bytes {
            guard b &- 0x30 < 10 else { return nil }
            n = n * 10 + Int(b &- 0x30)
        }
        return n
    }
}

/// A byte as `0x15` (and its character when printable), for rules that name a delimiter.
func hex(_ b: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    let code = "0x\(digits[Int(b >> 4)])\(digits[Int(b & 0xF)])"
    return (0x21...0x7E).contains(b) ? "\(code) '\(Character(Unicode.Scalar(b)))'" : code
}
