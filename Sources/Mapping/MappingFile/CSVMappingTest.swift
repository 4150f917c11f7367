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
        switch test.expectation {
        case .dropped:
            expected = Array(repeating: .null, count: rows.count)
        case .output(let path):
            switch MappingTestRunner.readJSON(path) {
            case .failure(let message):
                return .error("expected fixture \(message)")
            case .success(.array(let entries)):
                expected = entries
            case .success:
                return .error("expected fixture \(path): a csv mapping expects a JSON array, one entry per data row (null for a dropped row)")
            }
        }
        var differences: [JSONDifference] = []
        for i in 0..<max(expected.count, rows.count) {
            guard i < rows.count else {
                differences.append(JSONDifference(path: "$[\(i)]", kind: .missing(expected: expected[i])))
                continue
            }
            // Name the row by its line in the CSV file: that is where a reader looks.
            let prefix = "line \(rows[i].line): $[\(i)]"
            let actual = rows[i].output ?? .null
            guard i < expected.count else {
                differences.append(JSONDifference(path: prefix, kind: .unexpected(got: actual)))
                continue
            }
            for d in JSONDifference.differences(expected: expected[i], actual: actual) {
                differences.append(JSONDifference(path: prefix + d.path.dropFirst(), kind: d.kind))
            }
        }
        return differences.isEmpty ? .passed : .failed(differences.map(MappingTestFailure.difference))
    }
}
