import Foundation
import JSON
import Testing

@testable import Mapping

/// Runs every case of the official JSONata test suite (jsonata-js `test/test-suite`, kept in
/// the workspace at `shared/jsonata-test-suite`, read in place) and reports passes per group.
///
/// The suite is found through the environment variable `PAKLOG_JSONATA_SUITE`, or next to the
/// repository (`<repo>/../shared/jsonata-test-suite`). Set `PAKLOG_JSONATA_FAILURES` to a file
/// path to get the failing cases written there.
@Suite struct JSONataConformanceTests {
    /// The pass rate the implementation has reached; raised as it improves.
    static let requiredPassRate = 0.998

    static var suiteDirectory: URL? {
        if let env = ProcessInfo.processInfo.environment["PAKLOG_JSONATA_SUITE"] {
            return URL(fileURLWithPath: env)
        }
        let repo = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = repo.deletingLastPathComponent().appendingPathComponent("shared/jsonata-test-suite")
        return FileManager.default.fileExists(atPath: dir.path) ? dir : nil
    }

    @Test func officialSuitePassRate() throws {
        guard let dir = Self.suiteDirectory else {
            Issue.record("JSONata test suite not found; set PAKLOG_JSONATA_SUITE")
            return
        }
        let runner = ConformanceRunner(suite: dir)
        // Deeply recursive cases need more stack than a test thread has; run on our own thread.
        let report = try runner.runOnLargeStack()
        var lines: [String] = []
        for g in report.groups {
            lines.append("\(g.name): \(g.passed)/\(g.total)")
        }
        let rate = Double(report.passed) / Double(max(report.total, 1))
        lines.append("TOTAL: \(report.passed)/\(report.total) = \(String(format: "%.2f", rate * 100))%")
        print(lines.joined(separator: "\n"))
        if let path = ProcessInfo.processInfo.environment["PAKLOG_JSONATA_FAILURES"] {
            try report.failures.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(report.total == 1686, "the suite holds 1,686 cases")
        #expect(rate >= Self.requiredPassRate, "pass rate \(rate) fell below \(Self.requiredPassRate)")
    }
}

struct ConformanceReport: Sendable {
    struct Group: Sendable {
        var name: String
        var passed = 0
        var total = 0
    }
    var groups: [Group] = []
    var failures: [String] = []
    var passed: Int { groups.reduce(0) { $0 + $1.passed } }
    var total: Int { groups.reduce(0) { $0 + $1.total } }
}

struct ConformanceRunner: Sendable {
    let suite: URL

    /// Runs the suite on a thread with a 1 GiB stack and waits for it.
    func runOnLargeStack() throws -> ConformanceReport {
        final class Box: @unchecked Sendable {
            // Written by the worker thread before it signals, read after the wait.
            var result: Result<ConformanceReport, Error> = .failure(CancellationError())
        }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let runner = self
        let thread = Thread {
            box.result = Result { try runner.run() }
            done.signal()
        }
        thread.stackSize = 1 << 30
        thread.start()
        done.wait()
        return try box.result.get()
    }

    func load(_ url: URL) throws -> JSONValue {
        try JSONValue(parsing: Array(try Data(contentsOf: url)), replacingLoneSurrogates: true)
    }

    func run() throws -> ConformanceReport {
        let fm = FileManager.default
        let groupsDir = suite.appendingPathComponent("groups")
        var datasets: [String: JSONValue] = [:]
        var report = ConformanceReport()
        for name in try fm.contentsOfDirectory(atPath: groupsDir.path).sorted() {
            let gdir = groupsDir.appendingPathComponent(name)
            var group = ConformanceReport.Group(name: name)
            for file in try fm.contentsOfDirectory(atPath: gdir.path).sorted() where file.hasSuffix(".json") {
                let doc = try load(gdir.appendingPathComponent(file))
                let cases: [JSONValue] = doc.arrayValue ?? [doc]
                for (i, c) in cases.enumerated() {
                    group.total += 1
                    let label = "\(name)/\(file)" + (cases.count > 1 ? "#\(i)" : "")
                    if let failure = try runCase(c, dir: gdir, datasets: &datasets) {
                        report.failures.append("\(label): \(failure)")
                    } else {
                        group.passed += 1
                    }
                }
            }
            report.groups.append(group)
        }
        return report
    }

    /// Runs one case; nil when it passes, otherwise why it failed.
    func runCase(_ c: JSONValue, dir: URL, datasets: inout [String: JSONValue]) throws -> String? {
        var source = c["expr"]?.stringValue
        if source == nil, let file = c["expr-file"]?.stringValue {
            source = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
        }
        guard let source else { return "no expression" }
        var input: JSONValue? = c["data"]
        if input == nil, let ds = c["dataset"]?.stringValue {
            if datasets[ds] == nil {
                datasets[ds] = try load(suite.appendingPathComponent("datasets/\(ds).json"))
            }
            input = datasets[ds]
        }
        var bindings: [String: JSONValue] = [:]
        for (k, v) in c["bindings"]?.objectValue ?? [:] { bindings[k] = v }
        var limits = JSONataExpression.Limits(maxDepth: 100_000, timeLimitMilliseconds: 10_000, stackBudgetBytes: 512 << 20)
        if let t = c["timelimit"]?.intValue { limits.timeLimitMilliseconds = t }
        if let d = c["depth"]?.intValue { limits.maxDepth = d }

        let expectedCode = c["code"]?.stringValue ?? c["error"]?["code"]?.stringValue
        let oneLine = source.split(whereSeparator: \.isNewline).joined(separator: " ")
        let short = oneLine.count > 120 ? String(oneLine.prefix(120)) + "…" : oneLine
        do {
            let expr = try JSONataExpression(source)
            let result = try expr.evaluate(input, bindings: bindings, limits: limits)
            if let expectedCode {
                return "expected error \(expectedCode), got \(result?.jsonString ?? "undefined") — \(short)"
            }
            if c["undefinedResult"]?.boolValue == true {
                return result == nil ? nil : "expected undefined, got \(result!.jsonString) — \(short)"
            }
            guard let expected = c["result"] else {
                return result == nil ? nil : "case has no expectation; got \(result!.jsonString)"
            }
            guard let result else { return "expected \(expected.jsonString), got undefined — \(short)" }
            let unordered = c["unordered"]?.boolValue == true
            if JSONComparison.equal(result, expected, unordered: unordered) { return nil }
            return "expected \(expected.jsonString.prefix(300)), got \(result.jsonString.prefix(300)) — \(short)"
        } catch let e as JSONataError {
            if let expectedCode, e.code == expectedCode { return nil }
            return "threw \(e.code) (\(e.message))" + (expectedCode.map { ", expected \($0)" } ?? ", expected a result") + " — \(short)"
        }
    }
}

/// Deep equality of JSON values as the reference test runner applies it: numbers equal within a
/// small relative tolerance, object key order ignored, array order ignored when `unordered`.
enum JSONComparison {
    static func equal(_ a: JSONValue, _ b: JSONValue, unordered: Bool = false) -> Bool {
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
}
