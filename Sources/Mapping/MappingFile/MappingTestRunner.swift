import Foundation
import JSON
import StrictYAML

/// The result of one `tests:` entry of a mapping file.
public struct MappingTestOutcome: Sendable {
    public enum Status: Sendable, Equatable {
        case passed
        /// The mapping ran and its result differs from the expectation.
        case failed([MappingTestFailure])
        /// The test could not be run or the mapping threw (message names what and where).
        case error(String)
    }

    public let file: String
    public let mapping: String
    public let version: String
    public let test: String
    /// Where the test entry is in the mapping file.
    public let location: String
    public let status: Status

    public var passed: Bool { status == .passed }
}

/// Why a mapping test failed.
public enum MappingTestFailure: Sendable, Equatable, CustomStringConvertible {
    /// The output differs from the expected document at this path.
    case difference(JSONDifference)
    /// The test expected the message to be dropped, but the mapping produced this output.
    case expectedDrop(got: JSONValue)
    /// The test expected an output, but `drop_if` dropped the message.
    case unexpectedDrop
    /// An X12 output differs from the expected fixture first at this segment (1-based line;
    /// nil when one side has fewer segments).
    case segment(line: Int, expected: String?, got: String?)

    public var description: String {
        switch self {
        case .difference(let d): d.description
        case .expectedDrop(let got): "expected the message to be dropped, got \(JSONDifference.excerpt(got))"
        case .unexpectedDrop: "expected an output, but drop_if dropped the message"
        case .segment(let line, let expected, let got):
            "segment \(line): expected \(expected.map { "'\($0)'" } ?? "no segment"), got \(got.map { "'\($0)'" } ?? "no segment")"
        }
    }
}

extension MappingFile {
    /// Runs every `tests:` entry: reads the input fixture, applies the mapping, and compares the
    /// result with the expected fixture (or checks that the message was dropped).
    public func runTests() -> [MappingTestOutcome] {
        tests.map(run)
    }

    /// Runs one `tests:` entry. A csv mapping's fixtures are a CSV file and a JSON array of the
    /// rows' outputs (see `MappingInputFormat.csv`).
    public func run(_ test: MappingTestCase) -> MappingTestOutcome {
        func outcome(_ status: MappingTestOutcome.Status) -> MappingTestOutcome {
            MappingTestOutcome(file: path, mapping: name, version: version, test: test.name, location: test.location, status: status)
        }
        if input == .csv { return outcome(csvTestStatus(test)) }
        if input == .x12 { return outcome(x12InputTestStatus(test)) }
        let input: JSONValue
        switch MappingTestRunner.readJSON(test.inputPath) {
        case .success(let value): input = value
        case .failure(let message): return outcome(.error("input fixture \(message)"))
        }
        if output == .x12 { return outcome(x12OutputTestStatus(test, input: input)) }
        let result: MappingResult
        do {
            result = try apply(input)
        } catch {
            return outcome(.error(error.description))
        }
        switch (test.expectation, result) {
        case (.dropped, .dropped):
            return outcome(.passed)
        case (.dropped, .output(let got)):
            return outcome(.failed([.expectedDrop(got: got)]))
        case (.output, .dropped):
            return outcome(.failed([.unexpectedDrop]))
        case (.output(let expectedPath), .output(let got)):
            switch MappingTestRunner.readJSON(expectedPath) {
            case .failure(let message): return outcome(.error("expected fixture \(message)"))
            case .success(let expected):
                let differences = JSONDifference.differences(expected: expected, actual: got)
                return outcome(differences.isEmpty ? .passed : .failed(differences.map(MappingTestFailure.difference)))
            }
        }
    }
}

/// Runs mapping files' tests for `paklog mapping test FILE…` and renders the results for a
/// terminal.
public enum MappingTestRunner {
    /// The control number an `output: x12` test's set is written with (ST02/SE02).
    public static let x12ControlNumber = "0001"

    /// The tests of several mapping files; a file that does not load is reported with every
    /// diagnostic instead of its tests.
    public struct Report: Sendable {
        public var outcomes: [MappingTestOutcome] = []
        /// Files that failed to load, with all their diagnostics.
        public var loadFailures: [(file: String, diagnostics: YAMLDiagnostics)] = []

        public var passed: Bool { loadFailures.isEmpty && outcomes.allSatisfy(\.passed) }
        public var failedCount: Int { outcomes.filter { !$0.passed }.count }
    }

    /// Loads each file and runs its tests.
    public static func run(files: [String]) -> Report {
        var report = Report()
        for file in files {
            do {
                report.outcomes += try MappingFile.load(path: file).runTests()
            } catch {
                report.loadFailures.append((file, error))
            }
        }
        return report
    }

    /// A terminal rendering: one line per test (`PASS`/`FAIL`/`ERROR`), the differences of each
    /// failing test indented under it, and a summary line.
    public static func render(_ report: Report) -> String {
        var lines: [String] = []
        for (_, diagnostics) in report.loadFailures {
            for d in diagnostics.diagnostics { lines.append("ERROR \(d)") }
        }
        lines += render(report.outcomes, summary: false).split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        let total = report.outcomes.count
        var summary = "\(total) test\(total == 1 ? "" : "s"), \(total - report.failedCount) passed, \(report.failedCount) failed"
        if !report.loadFailures.isEmpty {
            summary += ", \(report.loadFailures.count) mapping file\(report.loadFailures.count == 1 ? "" : "s") did not load"
        }
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Renders outcomes of one or more files (with a summary line unless `summary` is false).
    public static func render(_ outcomes: [MappingTestOutcome], summary: Bool = true) -> String {
        var lines: [String] = []
        for o in outcomes {
            let title = "\(o.mapping)@\(o.version) › \(o.test)"
            switch o.status {
            case .passed:
                lines.append("PASS  \(title)")
            case .failed(let failures):
                lines.append("FAIL  \(title)  (\(o.location))")
                lines += failures.map { "      \($0)" }
            case .error(let message):
                lines.append("ERROR \(title)  (\(o.location))")
                lines.append("      \(message)")
            }
        }
        if summary {
            let failed = outcomes.filter { !$0.passed }.count
            lines.append("\(outcomes.count) test\(outcomes.count == 1 ? "" : "s"), \(outcomes.count - failed) passed, \(failed) failed")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    enum ReadResult {
        case success(JSONValue)
        case failure(String)
    }

    static func readJSON(_ path: String) -> ReadResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure("\(path): cannot read file")
        }
        do {
            return .success(try JSONValue(parsing: [UInt8](data)))
        } catch {
            return .failure("\(path): \(error)")
        }
    }
}

extension MappingResult {
    /// The output as indented JSON followed by a newline, or `dropped` — for `paklog mapping run`.
    public func rendered(pretty: Bool = true) -> String {
        switch self {
        case .output(let value): String(decoding: value.serialized(pretty: pretty), as: UTF8.self) + "\n"
        case .dropped: "dropped (drop_if is true)\n"
        }
    }
}
