import Foundation
import JSON

extension MappingFile {
    /// Runs one `tests:` entry of a csv mapping. Its input fixture is a CSV file (comma-separated,
    /// with a header row); its expected fixture is a JSON array with one entry per data row, in
    /// file order: the row's output, or `null` for a row the mapping drops. `dropped: true`
    /// expects every row to be dropped. A rejected row (a CSV or mapping error) makes the test an
    /// error that names the row's line; a difference names the line of the row it is in.
    func csvTestStatus(_ test: MappingTestCase) -> MappingTestOutcome.Status {
        guard let data = FileManager.default.contents(atPath: test.inputPath) else {
            return .error("input fixture \(test.inputPath): cannot read file")
        }
        let rows: [MappingRowResult]
        do {
            rows = try applyRows(csv: [UInt8](data))
        } catch {
            return .error("input fixture \(test.inputPath): \(error)")
        }
        let rejected = rows.filter { $0.error != nil }
        if let first = rejected.first {
            let more = rejected.count > 1 ? " (and \(rejected.count - 1) more rejected row\(rejected.count == 2 ? "" : "s"))" : ""
            return .error("input fixture \(test.inputPath) \(first)\(more)")
        }
        let expected: [JSONValue]
        switch EntryExpectation.expected(test, count: rows.count, article: "a", format: "csv", entry: "data row", short: "row") {
        case .entries(let values): expected = values
        case .problem(let message): return .error(message)
        }
        // Name each row by its line in the CSV file: that is where a reader looks.
        let differences = EntryExpectation.differences(expected: expected, actual: rows.map { $0.output ?? .null }) { i in
            "line \(rows[i].line): $[\(i)]"
        }
        return differences.isEmpty ? .passed : .failed(differences.map(MappingTestFailure.difference))
    }
}
