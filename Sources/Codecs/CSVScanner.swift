/// The byte-level state machine of `CSVReader`: it finds each record's fields as byte ranges,
/// counts physical lines, and notes the first rule a record breaks. Values are made into strings
/// (and checked as UTF-8) only afterwards, by `value(of:number:in:fieldName:)`.
///
/// After a syntax error the scanner does not give up on the file: the offending byte is read as
/// part of its field, so the record still ends at its line break and the next record is read as
/// usual. Only an unterminated quote, which runs to the end of the input, ends the scan.
struct CSVScanner: Sendable {
    let bytes: [UInt8]
    let delimiter: UInt8
    /// The next byte to read.
    private(set) var offset: Int
    /// The physical line of `offset`, and where that line starts.
    private(set) var line = 1
    private(set) var lineStart: Int
    private var finished = false
    /// An offset known to hold something other than a line break: until the scan passes it, the
    /// input does not end in line breaks only (saves rescanning a run of blank lines per line).
    private var contentKnownAt = -1

    init(bytes: [UInt8], delimiter: UInt8) {
        self.bytes = bytes
        self.delimiter = delimiter
        // A UTF-8 byte order mark (Excel writes one) is not part of the first field.
        offset = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        lineStart = offset
    }

    /// The next record, or nil at the end of the input. Line breaks alone at the end of the
    /// input are not records; an empty line before another record is one (with one empty field).
    mutating func nextRecord() -> ScannedRecord? {
        guard !finished, !onlyLineBreaksRemain() else {
            finished = true
            return nil
        }
        var record = ScannedRecord(line: line, lineStart: lineStart)
        while true {
            record.fields.append(scanField(number: record.fields.count + 1, into: &record))
            record.end = offset
            if record.endsInput || offset == bytes.count {
                finished = record.endsInput
                return record
            }
            if bytes[offset] == delimiter {
                offset += 1
                continue
            }
            // scanField stops only at a delimiter, LF, CRLF or the end of the input.
            offset += bytes[offset] == CSVByte.carriageReturn ? 2 : 1
            line += 1
            lineStart = offset
            return record
        }
    }

    private mutating func onlyLineBreaksRemain() -> Bool {
        if offset <= contentKnownAt { return false }
        var i = offset
        while i < bytes.count {
            if bytes[i] != CSVByte.lineFeed, bytes[i] != CSVByte.carriageReturn {
                contentKnownAt = i
                return false
            }
            i += 1
        }
        return true
    }

    private mutating func scanField(number: Int, into record: inout ScannedRecord) -> ScannedField {
        let start = offset
        guard offset < bytes.count, bytes[offset] == CSVByte.quote else {
            while offset < bytes.count {
                let byte = bytes[offset]
                if byte == delimiter || byte == CSVByte.lineFeed { break }
                if byte == CSVByte.carriageReturn {
                    if offset + 1 < bytes.count, bytes[offset + 1] == CSVByte.lineFeed { break }
                    record.note(.bareCarriageReturn, at: offset, field: number)
                } else if byte == CSVByte.quote {
                    record.note(.quoteInUnquotedField, at: offset, field: number)
                }
                offset += 1
            }
            return ScannedField(start: start, content: start..<offset, hasDoubledQuotes: false)
        }
        offset += 1
        let contentStart = offset
        var doubled = false
        while true {
            guard offset < bytes.count else {
                record.noteEndOfInput(.unterminatedQuote, at: start, field: number)
                return ScannedField(start: start, content: contentStart..<offset, hasDoubledQuotes: doubled)
            }
            let byte = bytes[offset]
            if byte == CSVByte.quote {
                guard offset + 1 < bytes.count, bytes[offset + 1] == CSVByte.quote else { break }
                doubled = true
                offset += 2
                continue
            }
            if byte == CSVByte.lineFeed {
                line += 1
                lineStart = offset + 1
            }
            offset += 1
        }
        let content = contentStart..<offset
        offset += 1
        if !atFieldEnd {
            record.note(.characterAfterClosingQuote(bytes[offset]), at: offset, field: number)
            while !atFieldEnd { offset += 1 }
        }
        return ScannedField(start: start, content: content, hasDoubledQuotes: doubled)
    }

    private var atFieldEnd: Bool {
        guard offset < bytes.count else { return true }
        let byte = bytes[offset]
        if byte == delimiter || byte == CSVByte.lineFeed { return true }
        return byte == CSVByte.carriageReturn && offset + 1 < bytes.count && bytes[offset + 1] == CSVByte.lineFeed
    }

    // MARK: Values and positions

    /// The field's value: quotes removed, `""` read as `"`, checked as UTF-8.
    func value(of field: ScannedField, number: Int, in record: ScannedRecord, fieldName: String?) throws(CSVError) -> String {
        let content = bytes[field.content]
        if let invalid = Self.firstInvalidUTF8(in: content) {
            throw error(.invalidUTF8, at: invalid, field: number, fieldName: fieldName, in: record)
        }
        guard field.hasDoubledQuotes else { return String(decoding: content, as: UTF8.self) }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(content.count)
        var i = content.startIndex
        while i < content.endIndex {
            unescaped.append(content[i])
            // Inside quotes a quote only ever comes doubled: keep one of the two.
            i += content[i] == CSVByte.quote ? 2 : 1
        }
        return String(decoding: unescaped, as: UTF8.self)
    }

    /// The error for `rule` at byte `offset` of `record`, with its line and column.
    func error(_ rule: CSVError.Rule, at offset: Int, field: Int?, fieldName: String?, in record: ScannedRecord) -> CSVError {
        // Only errors pay for positions: walk from the record's first line to the offset.
        var line = record.line
        var lineStart = record.lineStart
        for i in record.lineStart..<offset where bytes[i] == CSVByte.lineFeed {
            line += 1
            lineStart = i + 1
        }
        // Columns count scalars: every byte except UTF-8 continuation bytes starts one.
        let column = 1 + bytes[lineStart..<offset].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        return CSVError(rule: rule, line: line, column: column, field: field, fieldName: fieldName, recordLine: record.line, offset: offset)
    }

    /// The offset of the first byte of `bytes` that does not belong to a well-formed UTF-8
    /// sequence (overlong forms, surrogates and values past U+10FFFF included), or nil.
    static func firstInvalidUTF8(in bytes: ArraySlice<UInt8>) -> Int? {
        if bytes.allSatisfy({ $0 < 0x80 }) { return nil }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var at = bytes.startIndex
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): at += scalar.count
            case .emptyInput: return nil
            case .error: return at
            }
        }
    }
}

/// A record as the scanner found it: byte ranges, not yet values.
struct ScannedRecord: Sendable {
    /// The physical line the record starts on, and that line's first byte.
    let line: Int
    let lineStart: Int
    var fields: [ScannedField] = []
    /// The offset of the record's line break (or the end of the input).
    var end = 0
    /// The first rule the record breaks, with its offset and field.
    private(set) var problem: (rule: CSVError.Rule, offset: Int, field: Int)?
    /// The record runs to the end of the input without closing a quote: no record follows.
    private(set) var endsInput = false

    init(line: Int, lineStart: Int) {
        self.line = line
        self.lineStart = lineStart
    }

    mutating func note(_ rule: CSVError.Rule, at offset: Int, field: Int) {
        if problem == nil { problem = (rule, offset, field) }
    }

    /// A problem that ends the input wins over an earlier one: it is why nothing follows.
    mutating func noteEndOfInput(_ rule: CSVError.Rule, at offset: Int, field: Int) {
        problem = (rule, offset, field)
        endsInput = true
    }
}

/// One field as the scanner found it.
struct ScannedField: Sendable {
    /// The field's first byte (its opening quote, when quoted).
    let start: Int
    /// The value's bytes, without the enclosing quotes.
    let content: Range<Int>
    /// Whether `content` holds `""` pairs that stand for one quote each.
    let hasDoubledQuotes: Bool
}
