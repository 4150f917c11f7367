/// Why CSV text could not be read, and where.
///
/// Lines are physical lines counted from 1 (a line break inside a quoted field starts a new one);
/// columns count characters (Unicode scalars) from 1 on that line, a tab as one, after any byte
/// order mark. `field` is the 1-based number of the field the problem is in, and `fieldName` its
/// header name once the header is known:
///
/// `line 17, column 9, field 3 (qty): a quote inside an unquoted field; quote the whole field and write the quote twice ("")`
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The RFC 4180 rule (or the reader's own) that the text breaks.
    public enum Rule: Sendable, Equatable {
        /// There is no header row: the input is empty, or holds only a byte order mark or line
        /// breaks.
        case missingHeader
        /// A header field is empty: every column needs a name, since mappings address fields by it.
        case emptyHeaderName
        /// A header name that an earlier header field (`firstField`, 1-based) already has.
        case duplicateHeaderName(String, firstField: Int)
        /// A quoted field is not closed before the end of the input; the position is its opening
        /// quote. Nothing after it can be read, so no records follow this error.
        case unterminatedQuote
        /// A `"` inside a field that does not start with one.
        case quoteInUnquotedField
        /// This byte follows a quoted field's closing quote where a delimiter or line break must.
        case characterAfterClosingQuote(UInt8)
        /// A carriage return outside quotes that is not followed by a line feed (lines end with
        /// CRLF or LF).
        case bareCarriageReturn
        /// A row with more or fewer fields than the header. Rows are never padded or cut: a
        /// missing field would otherwise silently read as empty. The position is the first extra
        /// field, or the end of a short row.
        case fieldCount(found: Int, expected: Int)
        /// A field that is not UTF-8; the position is its first byte that is not.
        case invalidUTF8
    }

    /// What was wrong.
    public let rule: Rule
    /// The physical line of the problem, from 1.
    public let line: Int
    /// The column of the problem on `line`, in characters from 1.
    public let column: Int
    /// The field the problem is in (1-based), nil when it is about the row as a whole.
    public let field: Int?
    /// The header name of `field`, once the header is read.
    public let fieldName: String?
    /// The line where the record holding the problem starts; it differs from `line` when a
    /// quoted field before the problem spans lines. An import report names rows by it.
    public let recordLine: Int
    /// The problem's byte offset in the input, byte order mark included.
    public let offset: Int

    public init(rule: Rule, line: Int, column: Int, field: Int?, fieldName: String?, recordLine: Int, offset: Int) {
        self.rule = rule
        self.line = line
        self.column = column
        self.field = field
        self.fieldName = fieldName
        self.recordLine = recordLine
        self.offset = offset
    }

    public var description: String {
        var place = "line \(line), column \(column)"
        if let field {
            place += ", field \(field)"
            if let fieldName { place += " (\(fieldName))" }
        }
        return "\(place): \(ruleDescription)"
    }

    private var ruleDescription: String {
        switch rule {
        case .missingHeader:
            "no header row; the first line must name the fields"
        case .emptyHeaderName:
            "empty header name; every column needs a name"
        case .duplicateHeaderName(let name, let first):
            "header name '\(name)' is already the name of field \(first)"
        case .unterminatedQuote:
            "the quoted field opened here is not closed before the end of the input"
        case .quoteInUnquotedField:
            "a quote inside an unquoted field; quote the whole field and write the quote twice (\"\")"
        case .characterAfterClosingQuote(let byte):
            "\(Self.name(of: byte)) after the closing quote; a delimiter or line break must follow it (write a quote inside a quoted field twice)"
        case .bareCarriageReturn:
            "a carriage return without a line feed outside quotes; lines end with CRLF or LF"
        case .fieldCount(let found, let expected) where found > expected:
            "the row has \(found) fields, the header has \(expected)"
        case .fieldCount(let found, let expected):
            "the row has \(found) field\(found == 1 ? "" : "s"), the header has \(expected) (missing fields are not filled in)"
        case .invalidUTF8:
            "the field is not valid UTF-8"
        }
    }

    /// A byte as a reader would name it; only one byte of the data is ever shown.
    private static func name(of byte: UInt8) -> String {
        switch byte {
        case 0x20: "a space"
        case CSVByte.tab: "a tab"
        case 0x21...0x7E: "'\(Character(Unicode.Scalar(byte)))'"
        default: "the byte 0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }
    }
}
