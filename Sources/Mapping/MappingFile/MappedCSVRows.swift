import Codecs
import Collections
import JSON

/// The rows of a CSV file mapped one at a time by a csv mapping, as they are read: a large
/// import file is mapped without holding all its rows or results. Made by `MappingFile.rows(csv:)`.
///
/// Every data row gives one `MappingRowResult`; a row that breaks a CSV rule or that the mapping
/// fails on is a failed result, and the rows after it are read and mapped as usual.
public struct MappedCSVRows: Sequence, IteratorProtocol, Sendable {
    /// The CSV header's field names: the keys of every row's input object, in this order.
    public let header: [String]
    private let mapping: MappingFile
    private let limits: JSONataExpression.Limits
    private var reader: CSVReader

    init(mapping: MappingFile, reader: CSVReader, limits: JSONataExpression.Limits) {
        self.header = reader.header
        self.mapping = mapping
        self.limits = limits
        self.reader = reader
    }

    public mutating func next() -> MappingRowResult? {
        switch reader.next() {
        case nil:
            return nil
        case .failure(let error)?:
            return MappingRowResult(line: error.recordLine, result: .failure(mapping.inputError(.csv(error))))
        case .success(let record)?:
            var members = OrderedDictionary<String, JSONValue>(minimumCapacity: header.count)
            for (name, value) in zip(header, record.fields) { members[name] = .string(value) }
            do {
                return MappingRowResult(line: record.line, result: .success(try mapping.apply(.object(members), limits: limits)))
            } catch {
                return MappingRowResult(line: record.line, result: .failure(error))
            }
        }
    }
}

extension MappingFile {
    /// Reads `bytes` as CSV with a header row (see `CSVReader`) and maps each data row, as it is
    /// read, with this csv mapping. Each row's input document is the object of the header's names
    /// to the row's values, all strings (see `MappingInputFormat.csv`).
    ///
    /// ```swift
    /// for row in try mapping.rows(csv: bytes, delimiter: .semicolon) {
    ///     switch row.result {
    ///     case .success(.output(let command)): accept(row.line, command)
    ///     case .success(.dropped): skip(row.line)
    ///     case .failure(let error): reject(row.line, "\(error)")
    ///     }
    /// }
    /// ```
    ///
    /// - Throws: `MappingError` (part `input`) when the file as a whole cannot be read: the
    ///   mapping is not a csv mapping, or the header row is missing or wrong (kind `.csv`).
    ///   Problems of single rows are results, never thrown.
    public func rows(
        csv bytes: some Collection<UInt8>, delimiter: CSVDelimiter = .comma, limits: JSONataExpression.Limits = .standard
    ) throws(MappingError) -> MappedCSVRows {
        guard input == .csv else {
            throw inputError(.inputFormatMismatch(declared: input, given: .csv))
        }
        do {
            return MappedCSVRows(mapping: self, reader: try CSVReader(bytes, delimiter: delimiter), limits: limits)
        } catch {
            throw inputError(.csv(error))
        }
    }

    /// Maps every data row of a CSV file (see `rows(csv:delimiter:limits:)`), in file order: one
    /// result per row, whether it was mapped, dropped or rejected.
    ///
    /// - Throws: `MappingError` when the file as a whole cannot be read (not a csv mapping, a
    ///   missing or wrong header row).
    public func applyRows(
        csv bytes: some Collection<UInt8>, delimiter: CSVDelimiter = .comma, limits: JSONataExpression.Limits = .standard
    ) throws(MappingError) -> [MappingRowResult] {
        Array(try rows(csv: bytes, delimiter: delimiter, limits: limits))
    }

    func inputError(_ kind: MappingError.Kind) -> MappingError {
        MappingError(mapping: name, version: version, part: "input", location: nil, kind: kind)
    }
}
