/// One data row of a CSV file: its field values in column order, and the line it starts on.
public struct CSVRecord: Sendable, Equatable {
    /// The physical line (from 1) where the record starts. Line breaks inside quoted fields of
    /// earlier records count, so this is the line an editor shows for the row.
    public let line: Int
    /// The field values, as many as the header has names; quotes removed and `""` read as `"`,
    /// an empty field as the empty string.
    public let fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}
