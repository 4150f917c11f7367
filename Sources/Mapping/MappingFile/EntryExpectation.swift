import JSON

/// The comparison of a test whose input gives one output per entry (a csv file's rows, an x12
/// file's transaction sets) with its expected fixture: a JSON array, one entry each, `null` for
/// an entry the mapping drops.
enum EntryExpectation {
    enum Expected {
        case entries([JSONValue])
        /// The fixture cannot be used: why.
        case problem(String)
    }

    /// The expected entries: every entry null for `dropped: true`, else the fixture's array.
    /// - Parameters: `article` and `format` name the mapping ("a", "csv"); `entry` and `short`
    ///   its entries ("data row", "row").
    static func expected(_ test: MappingTestCase, count: Int, article: String, format: String, entry: String, short: String) -> Expected {
        switch test.expectation {
        case .dropped:
            return .entries(Array(repeating: .null, count: count))
        case .output(let path):
            switch MappingTestRunner.readJSON(path) {
            case .failure(let message): return .problem("expected fixture \(message)")
            case .success(.array(let values)): return .entries(values)
            case .success:
                return .problem("expected fixture \(path): \(article) \(format) mapping expects a JSON array, one entry per \(entry) (null for a dropped \(short))")
            }
        }
    }

    /// The differences, each path prefixed with `label(i)` of its entry (`line 7: $[2]`).
    static func differences(expected: [JSONValue], actual: [JSONValue], label: (Int) -> String) -> [JSONDifference] {
        var differences: [JSONDifference] = []
        for i in 0..<max(expected.count, actual.count) {
            guard i < actual.count else {
                differences.append(JSONDifference(path: "$[\(i)]", kind: .missing(expected: expected[i])))
                continue
            }
            guard i < expected.count else {
                differences.append(JSONDifference(path: label(i), kind: .unexpected(got: actual[i])))
                continue
            }
            for d in JSONDifference.differences(expected: expected[i], actual: actual[i]) {
                differences.append(JSONDifference(path: label(i) + d.path.dropFirst(), kind: d.kind))
            }
        }
        return differences
    }
}
