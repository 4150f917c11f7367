import Foundation
import JSON
import JSONataSuite
import Testing

@testable import Mapping

/// Runs every case of the official JSONata test suite (`JSONataSuite`) in process and reports
/// passes per group. Set `PAKLOG_JSONATA_FAILURES` to a file path to get the failing cases written
/// there. `IntegrationTests/MappingEvalConformanceTests` runs the same cases through `paklog
/// mapping eval`.
@Suite struct JSONataConformanceTests {
    /// The pass rate the implementation has reached; raised as it improves.
    static let requiredPassRate = 0.998

    @Test func officialSuitePassRate() async throws {
        guard let suite = JSONataSuite.locate() else {
            Issue.record("JSONata test suite not found; set PAKLOG_JSONATA_SUITE")
            return
        }
        let cases = try suite.cases()
        // Deeply recursive cases need more stack than a test thread has; run on our own thread.
        let report = await LargeStack.run {
            var report = JSONataSuiteReport()
            for c in cases { report.record(c, failure: JSONataSuite.failure(of: c, Self.evaluate(c))) }
            return report
        }
        print(report.summary)
        if let path = ProcessInfo.processInfo.environment["PAKLOG_JSONATA_FAILURES"] {
            try report.failures.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(report.total == JSONataSuite.caseCount, "the suite holds 1,686 cases")
        #expect(report.passRate >= Self.requiredPassRate, "pass rate \(report.passRate) fell below \(Self.requiredPassRate)")
    }

    /// The same cases with their input given as JSON text (`evaluate(jsonText:)`, read through a
    /// `JSONTape`): every case must come out as it does from the tree.
    @Test func officialSuiteThroughTheTapeAgreesWithTheTree() async throws {
        guard let suite = JSONataSuite.locate() else {
            Issue.record("JSONata test suite not found; set PAKLOG_JSONATA_SUITE")
            return
        }
        let cases = try suite.cases().filter { $0.input != nil }
        let disagreements = await LargeStack.run {
            var disagreements: [String] = []
            for c in cases {
                let fromTree = JSONataSuite.failure(of: c, Self.evaluate(c))
                let fromTape = JSONataSuite.failure(of: c, Self.evaluate(c, asText: true))
                if fromTree != fromTape {
                    disagreements.append("\(c.group)/\(c.label): tree \(fromTree ?? "passes"), tape \(fromTape ?? "passes")")
                }
            }
            return disagreements
        }
        #expect(cases.count > 1_000)
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10).joined(separator: "\n"))")
    }

    static func evaluate(_ c: JSONataSuite.Case, asText: Bool) -> JSONataSuite.Outcome {
        guard asText, let input = c.input else { return evaluate(c) }
        var limits = JSONataExpression.Limits(maxDepth: 100_000, timeLimitMilliseconds: 10_000, stackBudgetBytes: 512 << 20)
        if let t = c.timeLimitMilliseconds { limits.timeLimitMilliseconds = t }
        if let d = c.depth { limits.maxDepth = d }
        do {
            let text = try JSONataExpression(c.expression).evaluate(jsonText: input.serialized(), bindings: c.bindings, limits: limits)
            return .value(try text.map { try JSONValue(parsing: $0) })
        } catch let error as JSONataError {
            return .error(code: error.code, message: error.message)
        } catch {
            return .error(code: "(not a JSONata error)", message: "\(error)")
        }
    }

    static func evaluate(_ c: JSONataSuite.Case) -> JSONataSuite.Outcome {
        var limits = JSONataExpression.Limits(maxDepth: 100_000, timeLimitMilliseconds: 10_000, stackBudgetBytes: 512 << 20)
        if let t = c.timeLimitMilliseconds { limits.timeLimitMilliseconds = t }
        if let d = c.depth { limits.maxDepth = d }
        do {
            return .value(try JSONataExpression(c.expression).evaluate(c.input, bindings: c.bindings, limits: limits))
        } catch let error as JSONataError {
            return .error(code: error.code, message: error.message)
        } catch {
            return .error(code: "(not a JSONata error)", message: "\(error)")
        }
    }
}
