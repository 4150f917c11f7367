import Foundation
import JSON

/// The official JSONata test suite (jsonata-js `test/test-suite`, kept in the workspace at
/// `shared/jsonata-test-suite`, read in place): its cases, and the reference runner's rules for
/// judging a result. Shared by the in-process check (MappingTests) and the one through
/// `paklog mapping eval` (IntegrationTests), so both judge alike.
public struct JSONataSuite: Sendable {
    public let directory: URL

    /// The suite from `PAKLOG_JSONATA_SUITE`, or beside the repository (`<repo>/../shared/jsonata-test-suite`).
    public static func locate() -> JSONataSuite? {
        if let env = ProcessInfo.processInfo.environment["PAKLOG_JSONATA_SUITE"] {
            return JSONataSuite(directory: URL(fileURLWithPath: env))
        }
        let repo = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = repo.deletingLastPathComponent().appendingPathComponent("shared/jsonata-test-suite")
        return FileManager.default.fileExists(atPath: dir.path) ? JSONataSuite(directory: dir) : nil
    }

    /// The number of cases the suite holds.
    public static let caseCount = 1686

    /// One case, as the suite's JSON gives it.
    public struct Case: Sendable {
        public var group: String
        public var label: String
        public var expression: String
        /// The input document: inline `data`, else the dataset's, else undefined.
        public var input: JSONValue?
        /// The dataset's file, when the input is a dataset.
        public var datasetFile: URL?
        public var bindings: [String: JSONValue]
        public var timeLimitMilliseconds: Int?
        public var depth: Int?
        public var expectation: Expectation
    }

    public enum Expectation: Sendable {
        case error(code: String)
        case undefined
        case result(JSONValue, unordered: Bool)
        /// The case states nothing: undefined passes.
        case none
    }

    /// What an evaluation gave.
    public enum Outcome: Sendable {
        case value(JSONValue?)
        case error(code: String, message: String)
    }

    /// Every case, group by group, in file order.
    public func cases() throws -> [Case] {
        let fm = FileManager.default
        let groups = directory.appendingPathComponent("groups")
        var datasets: [String: JSONValue] = [:]
        var all: [Case] = []
        for group in try fm.contentsOfDirectory(atPath: groups.path).sorted() {
            let folder = groups.appendingPathComponent(group)
            for file in try fm.contentsOfDirectory(atPath: folder.path).sorted() where file.hasSuffix(".json") {
                let document = try Self.load(folder.appendingPathComponent(file))
                let entries = document.arrayValue ?? [document]
                for (index, c) in entries.enumerated() {
                    var expression = c["expr"]?.stringValue
                    if expression == nil, let name = c["expr-file"]?.stringValue {
                        expression = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                    }
                    var input = c["data"]
                    var datasetFile: URL?
                    if input == nil, let name = c["dataset"]?.stringValue {
                        let url = directory.appendingPathComponent("datasets/\(name).json")
                        if datasets[name] == nil { datasets[name] = try Self.load(url) }
                        input = datasets[name]
                        datasetFile = url
                    }
                    var bindings: [String: JSONValue] = [:]
                    for (k, v) in c["bindings"]?.objectValue ?? [:] { bindings[k] = v }
                    let expectation: Expectation
                    if let code = c["code"]?.stringValue ?? c["error"]?["code"]?.stringValue {
                        expectation = .error(code: code)
                    } else if c["undefinedResult"]?.boolValue == true {
                        expectation = .undefined
                    } else if let result = c["result"] {
                        expectation = .result(result, unordered: c["unordered"]?.boolValue == true)
                    } else {
                        expectation = .none
                    }
                    all.append(Case(
                        group: group, label: "\(group)/\(file)" + (entries.count > 1 ? "#\(index)" : ""),
                        expression: expression ?? "", input: input, datasetFile: datasetFile, bindings: bindings,
                        timeLimitMilliseconds: c["timelimit"]?.intValue, depth: c["depth"]?.intValue, expectation: expectation))
                }
            }
        }
        return all
    }

    /// Nil when `outcome` is what `c` expects, else why not.
    public static func failure(of c: Case, _ outcome: Outcome) -> String? {
        let oneLine = c.expression.split(whereSeparator: \.isNewline).joined(separator: " ")
        let short = oneLine.count > 120 ? String(oneLine.prefix(120)) + "…" : oneLine
        switch (c.expectation, outcome) {
        case (.error(let code), .error(let got, _)):
            return got == code ? nil : "threw \(got), expected \(code) — \(short)"
        case (.error(let code), .value(let value)):
            return "expected error \(code), got \(value?.jsonString ?? "undefined") — \(short)"
        case (_, .error(let code, let message)):
            return "threw \(code) (\(message)), expected a result — \(short)"
        case (.undefined, .value(let value)), (.none, .value(let value)):
            return value.map { "expected undefined, got \($0.jsonString) — \(short)" }
        case (.result(let expected, let unordered), .value(let value)):
            guard let value else { return "expected \(expected.jsonString), got undefined — \(short)" }
            if equal(value, expected, unordered: unordered) { return nil }
            return "expected \(expected.jsonString.prefix(300)), got \(value.jsonString.prefix(300)) — \(short)"
        }
    }

    /// Deep equality as the reference test runner applies it: numbers equal within a small
    /// relative tolerance, object key order ignored, array order ignored when `unordered`.
    public static func equal(_ a: JSONValue, _ b: JSONValue, unordered: Bool = false) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            if x == y { return true }
            return abs(x - y) <= 1e-13 * max(abs(x), abs(y))
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return false }
            if unordered {
                var remaining = y
                for e in x {
                    guard let i = remaining.firstIndex(where: { equal(e, $0) }) else { return false }
                    remaining.remove(at: i)
                }
                return true
            }
            return zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for (k, v) in x {
                guard let w = y[k], equal(v, w) else { return false }
            }
            return true
        default:
            return a == b
        }
    }

    /// Case files hold lone surrogates (JavaScript strings may): read them as U+FFFD.
    static func load(_ url: URL) throws -> JSONValue {
        try JSONValue(parsing: Array(try Data(contentsOf: url)), replacingLoneSurrogates: true)
    }
}

/// Passes per group, and what failed.
public struct JSONataSuiteReport: Sendable {
    public struct Group: Sendable {
        public var name: String
        public var passed = 0
        public var total = 0
    }

    public private(set) var groups: [Group] = []
    public private(set) var failures: [String] = []

    public init() {}

    public mutating func record(_ c: JSONataSuite.Case, failure: String?) {
        if groups.last?.name != c.group { groups.append(Group(name: c.group)) }
        groups[groups.count - 1].total += 1
        if let failure { failures.append("\(c.label): \(failure)") } else { groups[groups.count - 1].passed += 1 }
    }

    public var passed: Int { groups.reduce(0) { $0 + $1.passed } }
    public var total: Int { groups.reduce(0) { $0 + $1.total } }
    public var passRate: Double { Double(passed) / Double(max(total, 1)) }

    /// `group: passed/total` lines and the total.
    public var summary: String {
        (groups.map { "\($0.name): \($0.passed)/\($0.total)" } + ["TOTAL: \(passed)/\(total) = \(String(format: "%.2f", passRate * 100))%"])
            .joined(separator: "\n")
    }
}
