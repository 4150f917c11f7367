/// The four delimiters of one interchange, read from its ISA header.
///
/// Every interchange carries its own: the element separator is the byte right after `ISA`, the
/// component (sub-element) separator is ISA16, the segment terminator the byte after ISA16, and
/// the repetition separator ISA11 in the versions where ISA11 has that meaning (see
/// ``repetitionSeparatorApplies(version:isa11:)``).
public struct X12Delimiters: Sendable, Hashable {
    public var element: UInt8
    public var component: UInt8
    /// nil when the interchange's version has no repetition separator.
    public var repetition: UInt8?
    public var segment: UInt8

    public init(element: UInt8, component: UInt8, repetition: UInt8?, segment: UInt8) {
        self.element = element
        self.component = component
        self.repetition = repetition
        self.segment = segment
    }

    /// `*`, `:`, `^`, `~`: the delimiters most guides print in their examples.
    public static let common = X12Delimiters(element: 0x2A, component: 0x3A, repetition: 0x5E, segment: 0x7E)

    /// Whether ISA11 is the repetition separator for this ISA12 version.
    ///
    /// **Decision: from version 00402 on**, when ISA11 holds a byte that can be a delimiter.
    /// Why 00402: X12.5 release 004020 is the one that renamed ISA11 from "Interchange Control
    /// Standards Identifier" (always `U`) to "Repetition Separator"; StAEDI follows the standard
    /// here, while Bots (00403) and pyx12 (00501, HIPAA went from 4010 to 5010 directly) picked
    /// later cut-overs for the files they met. Following the standard means an 00402–00406 file
    /// whose partner still sends `-` or `^` in ISA11 *and* in data gets that data split into
    /// repetitions; the transaction-set definitions then reject the element as repeated where it
    /// may not repeat (997 AK4 code 12), which is the honest answer: the partner declared the
    /// byte a delimiter.
    ///
    /// A letter or digit in ISA11 (the old `U`, still sent by some 00403+ translators) can never
    /// be a delimiter, as it occurs in data; it is read as "no repetition separator" rather than
    /// refused, because its meaning is unambiguous.
    public static func repetitionSeparatorApplies(version: Int, isa11: UInt8) -> Bool {
        version >= 402 && isDelimiterCandidate(isa11)
    }

    /// A byte that may serve as a delimiter: not a letter, digit or space (those occur in data
    /// and in the ISA's fixed-width fields) and inside 7-bit ASCII (X12's character sets are
    /// ASCII; a UTF-8 lead byte such as 0xE2 of "…" is the first byte of a multi-byte character).
    /// Control characters (0x15 NAK, 0x1C–0x1F, 0x7F DEL, CR, LF) are allowed: partners use them.
    public static func isDelimiterCandidate(_ b: UInt8) -> Bool {
        if b >= 0x80 || b == 0x20 || b == 0 { return false }
        if b &- 0x30 < 10 || b &- 0x41 < 26 || b &- 0x61 < 26 { return false }
        return true
    }
}
