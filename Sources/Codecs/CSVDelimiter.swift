/// The byte that separates the fields of a CSV record: `,` by RFC 4180, `;` or a tab in many
/// European and Excel exports.
///
/// Only ASCII bytes other than the quote, CR and LF can separate fields: a byte of 0x80 or more
/// would cut UTF-8 sequences apart, and the other three already mean something in CSV.
public struct CSVDelimiter: Sendable, Hashable, CustomStringConvertible {
    /// The delimiter's byte.
    public let byte: UInt8

    /// `,` (RFC 4180).
    public static let comma = CSVDelimiter(checked: 0x2C)
    /// `;` (Excel in locales whose decimal separator is a comma).
    public static let semicolon = CSVDelimiter(checked: 0x3B)
    /// A horizontal tab (tab-separated values).
    public static let tab = CSVDelimiter(checked: 0x09)
    /// `|`.
    public static let pipe = CSVDelimiter(checked: 0x7C)

    /// The delimiter `scalar`, or nil when it cannot separate fields (not ASCII, or `"`, CR, LF).
    public init?(_ scalar: Unicode.Scalar) {
        guard scalar.isASCII else { return nil }
        self.init(byte: UInt8(scalar.value))
    }

    /// The delimiter `byte`, or nil when it cannot separate fields (0x80 or more, or `"`, CR, LF).
    public init?(byte: UInt8) {
        guard byte < 0x80, byte != CSVByte.quote, byte != CSVByte.carriageReturn, byte != CSVByte.lineFeed else { return nil }
        self.byte = byte
    }

    private init(checked byte: UInt8) { self.byte = byte }

    public var description: String {
        byte == CSVByte.tab ? "tab" : "'\(Character(Unicode.Scalar(byte)))'"
    }
}

/// The bytes that mean something in CSV.
enum CSVByte {
    static let quote: UInt8 = 0x22
    static let carriageReturn: UInt8 = 0x0D
    static let lineFeed: UInt8 = 0x0A
    static let tab: UInt8 = 0x09
}
