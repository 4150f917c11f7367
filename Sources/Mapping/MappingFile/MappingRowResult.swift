import JSON

/// What a csv mapping made of one data row of a CSV file: the line the row starts on, and its
/// output, its drop, or why it was rejected (a `MappingError` whose kind is `.csv` for a row that
/// breaks a CSV rule, or any other kind for a row the mapping failed on).
public struct MappingRowResult: MappedEntry, CustomStringConvertible {
    /// The physical line (from 1) where the row starts in the file; an import report names the
    /// row by it.
    public let line: Int
    public let result: Result<MappingResult, MappingError>

    public init(line: Int, result: Result<MappingResult, MappingError>) {
        self.line = line
        self.result = result
    }

    /// `line 17: {"sku":"A-1","quantity":3}`, `line 18: dropped`, `line 19: <the error>`.
    public var description: String {
        switch result {
        case .success(.output(let value)): "line \(line): \(value.jsonString)"
        case .success(.dropped): "line \(line): dropped"
        case .failure(let error): "line \(line): \(error)"
        }
    }
}

/// What a mapping made of one entry of an input with many (a CSV row, an X12 transaction set).
public protocol MappedEntry: Sendable {
    var result: Result<MappingResult, MappingError> { get }
}

extension MappedEntry {
    /// The output, nil when the entry was dropped or rejected.
    public var output: JSONValue? {
        if case .success(.output(let value)) = result { return value }
        return nil
    }

    /// The error that rejected the entry, if it was rejected.
    public var error: MappingError? {
        if case .failure(let error) = result { return error }
        return nil
    }
}
