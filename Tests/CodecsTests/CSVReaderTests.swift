import Codecs
import Testing

/// Every row of `text` after the header, read through the reader's sequence.
private func rows(_ text: String, delimiter: CSVDelimiter = .comma) throws -> [Result<CSVRecord, CSVError>] {
    Array(try CSVReader(text.utf8, delimiter: delimiter))
}

private func rows(bytes: [UInt8]) throws -> [Result<CSVRecord, CSVError>] {
    Array(try CSVReader(bytes))
}

/// The error the header row of `text` is refused with.
private func headerError(_ bytes: [UInt8]) -> CSVError? {
    do {
        _ = try CSVReader(bytes)
        return nil
    } catch {
        return error
    }
}

private func record(_ line: Int, _ fields: [String]) -> Result<CSVRecord, CSVError> {
    .success(CSVRecord(line: line, fields: fields))
}

private func failure(
    _ rule: CSVError.Rule, line: Int, column: Int, field: Int?, name: String?, recordLine: Int? = nil, offset: Int
) -> Result<CSVRecord, CSVError> {
    .failure(CSVError(rule: rule, line: line, column: column, field: field, fieldName: name, recordLine: recordLine ?? line, offset: offset))
}

@Suite("CSV reader: records (RFC 4180)")
struct CSVReaderRecordTests {
    @Test func theHeaderNamesTheFieldsAndEachRowIsARecordWithItsLine() throws {
        let reader = try CSVReader("sku,qty\nA-1,3\nB-2,5\n".utf8)
        #expect(reader.header == ["sku", "qty"])
        #expect(Array(reader) == [record(2, ["A-1", "3"]), record(3, ["B-2", "5"])])
    }

    @Test func quotedFieldsHoldDelimitersAndDoubledQuotes() throws {
        #expect(try rows("name,size\n\"Bolt, \"\"M8\"\"\",\"\"\"\"\n") == [record(2, ["Bolt, \"M8\"", "\""])])
    }

    @Test func emptyFieldsAreEmptyStringsWhetherQuotedOrNot() throws {
        #expect(try rows("a,b,c\n,\"\",\n") == [record(2, ["", "", ""])])
    }

    @Test func aLineBreakInsideQuotesMovesTheLinesOfLaterRecords() throws {
        #expect(try rows("id,note\n1,\"two\nlines\"\n2,x\n3,\"a\n\nb\"\n4,y\n") == [
            record(2, ["1", "two\nlines"]),
            record(4, ["2", "x"]),
            record(5, ["3", "a\n\nb"]),
            record(8, ["4", "y"]),
        ])
    }

    @Test func crlfEndsLinesAndIsKeptAsWrittenInsideQuotes() throws {
        #expect(try rows("id,note\r\n1,\"a\r\nb\"\r\n2,c\r\n") == [record(2, ["1", "a\r\nb"]), record(4, ["2", "c"])])
    }

    @Test func lfAndCrlfMayBeMixed() throws {
        #expect(try rows("a,b\r\n1,2\n3,4\r\n") == [record(2, ["1", "2"]), record(3, ["3", "4"])])
    }

    @Test func theLastRowNeedsNoLineBreakAndLineBreaksAtTheEndAreNotRows() throws {
        #expect(try rows("a,b\n1,2") == [record(2, ["1", "2"])])
        #expect(try rows("a,b\n1,2\n\n\r\n\n") == [record(2, ["1", "2"])])
        #expect(try rows("a,b\n").isEmpty)
        #expect(try rows("a,b").isEmpty)
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        let reader = try CSVReader([0xEF, 0xBB, 0xBF] + Array("sku,qty\nA-1,3\n".utf8))
        #expect(reader.header == ["sku", "qty"])
        #expect(Array(reader) == [record(2, ["A-1", "3"])])
    }

    @Test func aSemicolonDelimiterLeavesCommasInValues() throws {
        let reader = try CSVReader("sku;qty;price\nA-1;3;2,50\n\"B;2\";1;\"0,99\"\n".utf8, delimiter: .semicolon)
        #expect(reader.header == ["sku", "qty", "price"])
        #expect(Array(reader) == [record(2, ["A-1", "3", "2,50"]), record(3, ["B;2", "1", "0,99"])])
    }

    @Test func aTabDelimiter() throws {
        #expect(try rows("sku\tqty\nA 1\t3\n", delimiter: .tab) == [record(2, ["A 1", "3"])])
    }

    @Test func aDelimiterMustBeASCIIAndNotAQuoteOrLineBreak() {
        #expect(CSVDelimiter("|") == .pipe)
        #expect(CSVDelimiter(";")?.byte == 0x3B)
        for refused: Unicode.Scalar in ["\"", "\r", "\n", "§"] {
            #expect(CSVDelimiter(refused) == nil)
        }
        #expect(CSVDelimiter(byte: 0xA7) == nil)
    }

    @Test func valuesAreUTF8TextIncludingFourByteScalars() throws {
        #expect(try rows("name,icon\nMüller,📦\n") == [record(2, ["Müller", "📦"])])
    }

    @Test func nextRecordThrowsForABadRowAndThenGoesOn() throws {
        var reader = try CSVReader("a,b\n1\n2,3\n".utf8)
        #expect(throws: CSVError(rule: .fieldCount(found: 1, expected: 2), line: 2, column: 2, field: nil, fieldName: nil, recordLine: 2, offset: 5)) {
            _ = try reader.nextRecord()
        }
        #expect(try reader.nextRecord() == CSVRecord(line: 3, fields: ["2", "3"]))
        #expect(try reader.nextRecord() == nil)
    }
}

@Suite("CSV reader: errors name line, column and field")
struct CSVReaderErrorTests {
    @Test func anUnterminatedQuoteIsReportedAtItsOpeningQuoteAndEndsTheRows() throws {
        #expect(try rows("a,b\n0,1\n1,\"open\n2,3\n") == [
            record(2, ["0", "1"]),
            failure(.unterminatedQuote, line: 3, column: 3, field: 2, name: "b", offset: 10),
        ])
    }

    @Test func aQuoteInAnUnquotedField() throws {
        #expect(try rows("a,b\n1,x\"y\n2,z\n") == [
            failure(.quoteInUnquotedField, line: 2, column: 4, field: 2, name: "b", offset: 7),
            record(3, ["2", "z"]),
        ])
    }

    @Test func aCharacterAfterAClosingQuoteAndTheNextRowIsStillRead() throws {
        #expect(try rows("a,b\n\"x\" ,2\n3,4\n") == [
            failure(.characterAfterClosingQuote(0x20), line: 2, column: 4, field: 1, name: "a", offset: 7),
            record(3, ["3", "4"]),
        ])
    }

    @Test func aRowWithMoreFieldsThanTheHeaderIsReportedAtTheFirstExtraField() throws {
        #expect(try rows("a,b\n1,2,3\n") == [failure(.fieldCount(found: 3, expected: 2), line: 2, column: 5, field: 3, name: nil, offset: 8)])
    }

    @Test func aRowWithFewerFieldsIsAnErrorAtTheEndOfTheRowNotPadded() throws {
        #expect(try rows("a,b,c\n1,2\n") == [failure(.fieldCount(found: 2, expected: 3), line: 2, column: 4, field: nil, name: nil, offset: 9)])
    }

    @Test func anEmptyLineBetweenRowsIsARowOfOneEmptyField() throws {
        #expect(try rows("a,b\n1,2\n\n3,4\n") == [
            record(2, ["1", "2"]),
            failure(.fieldCount(found: 1, expected: 2), line: 3, column: 1, field: nil, name: nil, offset: 8),
            record(4, ["3", "4"]),
        ])
        #expect(try rows("a\n1\n\n2\n") == [record(2, ["1"]), record(3, [""]), record(4, ["2"])])
    }

    @Test func invalidUTF8IsReportedAtItsFirstByteWithTheColumnInCharacters() throws {
        // "çé,x" then 0xFF: ç and é take two bytes each but one column.
        let bytes = Array("a,b\nçé,x".utf8) + [0xFF] + Array("\n1,2\n".utf8)
        #expect(try rows(bytes: bytes) == [
            failure(.invalidUTF8, line: 2, column: 5, field: 2, name: "b", offset: 10),
            record(3, ["1", "2"]),
        ])
    }

    @Test("overlong forms, surrogates and truncated sequences are not UTF-8", arguments: [
        [0xC0, 0xAF] as [UInt8], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
    ])
    func malformedSequencesAreRefused(sequence: [UInt8]) throws {
        let result = try rows(bytes: Array("a\n".utf8) + sequence + [0x0A])
        #expect(result == [failure(.invalidUTF8, line: 2, column: 1, field: 1, name: "a", offset: 2)])
    }

    @Test func aCarriageReturnWithoutALineFeedOutsideQuotes() throws {
        #expect(try rows("a,b\n1,2\r3\n") == [failure(.bareCarriageReturn, line: 2, column: 4, field: 2, name: "b", offset: 7)])
        #expect(try rows("a\n\"1\r2\"\n") == [record(2, ["1\r2"])])
    }

    @Test func anErrorAfterAQuotedLineBreakHasItsOwnLineAndTheRecordsLine() throws {
        #expect(try rows("a,b\n\"x\ny\",z\"q\n") == [
            failure(.quoteInUnquotedField, line: 3, column: 5, field: 2, name: "b", recordLine: 2, offset: 11),
        ])
    }

    @Test func aHeaderNameMustNotBeEmpty() {
        #expect(headerError(Array("a,,c\n".utf8)) == CSVError(rule: .emptyHeaderName, line: 1, column: 3, field: 2, fieldName: nil, recordLine: 1, offset: 2))
        #expect(headerError(Array("\na\n".utf8)) == CSVError(rule: .emptyHeaderName, line: 1, column: 1, field: 1, fieldName: nil, recordLine: 1, offset: 0))
    }

    @Test func aHeaderNameMustNotRepeat() {
        #expect(headerError(Array("sku,qty,sku\n".utf8)) == CSVError(
            rule: .duplicateHeaderName("sku", firstField: 1), line: 1, column: 9, field: 3, fieldName: nil, recordLine: 1, offset: 8))
    }

    @Test(arguments: [[], [0xEF, 0xBB, 0xBF], Array("\r\n\n".utf8)] as [[UInt8]])
    func anInputWithoutAHeaderRowIsRefused(bytes: [UInt8]) {
        let error = headerError(bytes)
        #expect(error?.rule == .missingHeader)
        #expect(error?.line == 1 && error?.column == 1)
    }

    @Test func aBrokenHeaderRowIsRefusedWithColumnsCountedAfterTheByteOrderMark() {
        #expect(headerError([0xEF, 0xBB, 0xBF] + Array("a,\"b\"x\n1,2\n".utf8)) == CSVError(
            rule: .characterAfterClosingQuote(0x78), line: 1, column: 6, field: 2, fieldName: nil, recordLine: 1, offset: 8))
    }

    @Test func descriptionsNameThePlaceAndTheRule() throws {
        let errors = try rows("sku,qty,note\nA-1,3\"\nB-2,3\n\"C\"x,1,\n").compactMap(\.failureValue)
        #expect(errors.map(\.description) == [
            #"line 2, column 6, field 2 (qty): a quote inside an unquoted field; quote the whole field and write the quote twice ("")"#,
            "line 3, column 6: the row has 2 fields, the header has 3 (missing fields are not filled in)",
            "line 4, column 4, field 1 (sku): 'x' after the closing quote; a delimiter or line break must follow it (write a quote inside a quoted field twice)",
        ])
        #expect(headerError(Array("a,a".utf8))?.description == "line 1, column 3, field 2: header name 'a' is already the name of field 1")
    }
}

@Suite("CSV reader: large files")
struct CSVReaderStreamingTests {
    /// 10,000 rows, every seventh with a quoted two-line note, CRLF and LF alternating: the
    /// expected start line of each row is counted as the file is written.
    @Test func tenThousandRowsAreReadOneByOneWithTheirLines() throws {
        var text = "id,sku,note\n"
        var expectedLines: [Int] = []
        var line = 2
        for i in 0..<10_000 {
            expectedLines.append(line)
            let multiline = i % 7 == 3
            let note = multiline ? "\"first\nsecond, \"\"quoted\"\"\"" : "plain \(i)"
            text += "\(i),SKU-\(i),\(note)" + (i.isMultiple(of: 2) ? "\r\n" : "\n")
            line += multiline ? 2 : 1
        }
        var count = 0
        var lastLine = 0
        var wrong: [String] = []
        for row in try CSVReader(Array(text.utf8)) {
            let record = try row.get()
            let i = count
            count += 1
            lastLine = record.line
            let note = i % 7 == 3 ? "first\nsecond, \"quoted\"" : "plain \(i)"
            if record.line != expectedLines[i] || record.fields != ["\(i)", "SKU-\(i)", note] {
                wrong.append("row \(i): \(record)")
            }
        }
        #expect(count == 10_000)
        #expect(wrong.isEmpty, "\(wrong.prefix(3))")
        // 1,428 two-line rows come before the last one (i = 3, 10, … 9,992): 2 + 9,999 + 1,428.
        #expect(lastLine == 11_429)
    }
}

extension Result {
    fileprivate var failureValue: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
