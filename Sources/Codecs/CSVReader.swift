/// Reads CSV (RFC 4180) from bytes, one record at a time, for bulk imports.
///
/// The first row is the header: it names the fields, and every name must be non-empty and
/// different from the others. Each later row is a record with exactly as many fields as the
/// header has names.
///
/// - Fields are separated by the delimiter (`,` unless told otherwise: `;` and tab are common in
///   European and Excel exports). A field that starts with `"` is quoted: it may hold delimiters,
///   line breaks (kept as written, CRLF or LF) and quotes written twice (`""`).
/// - Lines end with CRLF or LF. A line break after the last record, or several, is allowed; an
///   empty line between records is a record of one empty field (so, under a header of more than
///   one name, a field-count error).
/// - A UTF-8 byte order mark at the start is skipped; every value must be UTF-8.
/// - **A row with fewer fields than the header is an error, not padded** (nor is a longer one
///   cut): a field lost in an export must not import as an empty value.
///
/// Each record knows the physical line it starts on (line breaks inside quoted fields count), and
/// every `CSVError` names the line, column and field of the problem, so an import can report
/// "line 17". A bad row does not stop the reader: iterating gives each record or its error and
/// goes on with the next row. Only an unterminated quote, which swallows the rest of the input,
/// ends the iteration.
///
/// The reader holds the input's bytes but makes records only as they are asked for, so a large
/// file is read without holding all its records:
///
/// ```swift
/// let reader = try CSVReader(bytes, delimiter: .semicolon)   // throws for a bad header
/// for row in reader {
///     switch row {
///     case .success(let record): importRow(record.line, zip(reader.header, record.fields))
///     case .failure(let error): reject(error.recordLine, "\(error)")
///     }
/// }
/// ```
public struct CSVReader: Sequence, IteratorProtocol, Sendable {
    /// The field names of the header row, in column order.
    public let header: [String]
    /// The byte that separates fields.
    public let delimiter: CSVDelimiter
    private var scanner: CSVScanner

    /// Reads the header row of `bytes`.
    ///
    /// - Throws: `CSVError` when there is no header row, when a header name is empty or repeats
    ///   an earlier one, or when the header row breaks a CSV rule. No records can be read then.
    public init(_ bytes: some Collection<UInt8>, delimiter: CSVDelimiter = .comma) throws(CSVError) {
        // An array (what an import reads from a file) is kept as it is, without a copy.
        var scanner = CSVScanner(bytes: bytes as? [UInt8] ?? Array(bytes), delimiter: delimiter.byte)
        guard let row = scanner.nextRecord() else {
            let empty = ScannedRecord(line: scanner.line, lineStart: scanner.lineStart)
            throw scanner.error(.missingHeader, at: scanner.lineStart, field: nil, fieldName: nil, in: empty)
        }
        if let problem = row.problem {
            throw scanner.error(problem.rule, at: problem.offset, field: problem.field, fieldName: nil, in: row)
        }
        var names: [String] = []
        var numbers: [String: Int] = [:]
        for (index, field) in row.fields.enumerated() {
            let name = try scanner.value(of: field, number: index + 1, in: row, fieldName: nil)
            if name.isEmpty {
                throw scanner.error(.emptyHeaderName, at: field.start, field: index + 1, fieldName: nil, in: row)
            }
            if let first = numbers[name] {
                throw scanner.error(.duplicateHeaderName(name, firstField: first), at: field.start, field: index + 1, fieldName: nil, in: row)
            }
            numbers[name] = index + 1
            names.append(name)
        }
        self.header = names
        self.delimiter = delimiter
        self.scanner = scanner
    }

    /// The next record, or the error that keeps this row from being one; nil after the last row.
    /// After an error the reader stands at the next row.
    public mutating func next() -> Result<CSVRecord, CSVError>? {
        guard let row = scanner.nextRecord() else { return nil }
        do {
            return .success(try record(row))
        } catch {
            return .failure(error)
        }
    }

    /// The next record, nil after the last row; for callers that stop at the first bad row.
    ///
    /// - Throws: `CSVError` for a row that breaks a rule. Calling again goes on with the next row.
    public mutating func nextRecord() throws(CSVError) -> CSVRecord? {
        try next()?.get()
    }

    /// Checks a scanned row, first its syntax, then its field count, then its encoding.
    private func record(_ row: ScannedRecord) throws(CSVError) -> CSVRecord {
        if let problem = row.problem {
            let name = problem.field <= header.count ? header[problem.field - 1] : nil
            throw scanner.error(problem.rule, at: problem.offset, field: problem.field, fieldName: name, in: row)
        }
        guard row.fields.count == header.count else {
            let rule = CSVError.Rule.fieldCount(found: row.fields.count, expected: header.count)
            if row.fields.count > header.count {
                throw scanner.error(rule, at: row.fields[header.count].start, field: header.count + 1, fieldName: nil, in: row)
            }
            throw scanner.error(rule, at: row.end, field: nil, fieldName: nil, in: row)
        }
        var values: [String] = []
        values.reserveCapacity(header.count)
        for (index, field) in row.fields.enumerated() {
            values.append(try scanner.value(of: field, number: index + 1, in: row, fieldName: header[index]))
        }
        return CSVRecord(line: row.line, fields: values)
    }
}
