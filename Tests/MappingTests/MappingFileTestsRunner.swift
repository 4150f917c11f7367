import Foundation
import JSON
import Testing
@testable import Mapping

/// The repository's root, found from this file's place in it (Tests/MappingTests/…).
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private func fixtureMapping(_ name: String) throws -> String {
    let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    return folder.appendingPathComponent("MappingFiles").appendingPathComponent(name).path
}

@Suite("Mapping files: JSON differences")
struct JSONDifferenceTests {
    @Test func equalDocumentsHaveNoDifferencesWhateverTheKeyOrder() throws {
        let a = try JSONValue(parsing: #"{"a":1,"b":[true,null,{"c":"x"}]}"#)
        let b = try JSONValue(parsing: #"{"b":[true,null,{"c":"x"}],"a":1.0}"#)
        #expect(JSONDifference.differences(expected: a, actual: b).isEmpty)
    }

    @Test func aChangedValueIsNamedByItsPath() throws {
        let expected = try JSONValue(parsing: #"{"lines":[{"sku":"A-0"},{"sku":"A-0"},{"sku":"A-0"},{"sku":"A-1"}]}"#)
        let actual = try JSONValue(parsing: #"{"lines":[{"sku":"A-0"},{"sku":"A-0"},{"sku":"A-0"},{"sku":"A-2"}]}"#)
        #expect(JSONDifference.differences(expected: expected, actual: actual).map(\.description) == [
            #"$.lines[3].sku: expected "A-1", got "A-2""#,
        ])
    }

    @Test func missingAndUnexpectedKeysAndItemsAreListed() throws {
        let expected = try JSONValue(parsing: #"{"id":1,"phone":"+1 555 0100","items":[1,2,3]}"#)
        let actual = try JSONValue(parsing: #"{"id":1,"items":[1,2],"odd key":false}"#)
        #expect(JSONDifference.differences(expected: expected, actual: actual).map(\.description) == [
            #"$.phone: missing (expected "+1 555 0100")"#,
            "$.items[2]: missing (expected 3)",
            #"$["odd key"]: unexpected (got false)"#,
        ])
    }

    @Test func aTypeChangeIsOneDifferenceAtThatPath() throws {
        let expected = try JSONValue(parsing: #"{"totals":{"tax":1.5}}"#)
        let actual = try JSONValue(parsing: #"{"totals":"1.5"}"#)
        #expect(JSONDifference.differences(expected: expected, actual: actual).map(\.description) == [
            #"$.totals: expected {"tax":1.5}, got "1.5""#,
        ])
    }

    @Test func longValuesAreCutShort() {
        let long = JSONValue.string(String(repeating: "x", count: 200))
        let d = JSONDifference(path: "$.note", kind: .unexpected(got: long))
        #expect(d.description == "$.note: unexpected (got \"" + String(repeating: "x", count: 79) + "…)")
    }
}

@Suite("Mapping files: test runner")
struct MappingTestRunnerTests {
    @Test func eachTestHasAnOutcomeThatSaysWhatWasWrong() throws {
        let mapping = try MappingFile.load(path: try fixtureMapping("shipment-notice.yaml"))
        let outcomes = mapping.runTests()
        #expect(outcomes.map(\.test) == ["matches", "wrong expectation", "expects a drop that does not happen", "input fixture that does not exist"])
        #expect(outcomes[0].status == .passed)
        #expect(outcomes[1].status == .failed([
            .difference(JSONDifference(path: "$.carrier", kind: .missing(expected: "UPS"))),
            .difference(JSONDifference(path: "$.lines[3].sku", kind: .changed(expected: "A-1", got: "A-2"))),
            .difference(JSONDifference(path: "$.lines[4]", kind: .missing(expected: ["sku": "D-9", "qty": 1]))),
        ]))
        guard case .failed(let notDropped) = outcomes[2].status else {
            Issue.record("expected a failure, got \(outcomes[2].status)")
            return
        }
        #expect(notDropped.map(\.description) == [#"expected the message to be dropped, got {"shipment":"SH-77","lines":[{"sku":"A-1","qty":2},{"sku":"B-7","qty":1},{"sku":…"#])
        guard case .error(let message) = outcomes[3].status else {
            Issue.record("expected an error, got \(outcomes[3].status)")
            return
        }
        #expect(message.hasPrefix("input fixture ") && message.hasSuffix("no-such-file.json: cannot read file"))
    }

    @Test func renderingShowsOneLinePerTestTheDifferencesAndASummary() throws {
        let path = try fixtureMapping("shipment-notice.yaml")
        let text = MappingTestRunner.render(MappingTestRunner.run(files: [path]))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "PASS  shipment-notice@2 › matches")
        #expect(lines[1] == "FAIL  shipment-notice@2 › wrong expectation  (\(path):14:5)")
        #expect(lines[2] == #"      $.carrier: missing (expected "UPS")"#)
        #expect(lines[3] == #"      $.lines[3].sku: expected "A-1", got "A-2""#)
        #expect(lines[4] == #"      $.lines[4]: missing (expected {"sku":"D-9","qty":1})"#)
        #expect(lines[5] == "FAIL  shipment-notice@2 › expects a drop that does not happen  (\(path):17:5)")
        #expect(lines[7].hasPrefix("ERROR shipment-notice@2 › input fixture that does not exist"))
        #expect(lines.last == "4 tests, 1 passed, 3 failed")
    }

    @Test func aFileThatDoesNotLoadIsReportedWithItsDiagnostics() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mapping-runner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = folder.appendingPathComponent("broken.yaml").path
        try "name: b\nversion: 1\ninput: json\nfields:\n  a: a +\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let report = MappingTestRunner.run(files: [broken])
        #expect(!report.passed)
        let text = MappingTestRunner.render(report)
        #expect(text.hasPrefix("ERROR \(broken):5:9: fields.a: JSONata S0207"))
        #expect(text.hasSuffix("0 tests, 0 passed, 0 failed, 1 mapping file did not load\n"))
    }
}

@Suite("Shipped mappings")
struct ShippedMappingTests {
    /// Every `Mappings/**/*.yaml` of the repository.
    static func shippedMappingFiles() -> [String] {
        let root = repositoryRoot.appendingPathComponent("Mappings").resolvingSymlinksInPath()
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "yaml" }.map(\.path).sorted()
    }

    @Test func theRepositoryShipsMappings() {
        let files = Self.shippedMappingFiles().map { URL(fileURLWithPath: $0).lastPathComponent }
        #expect(files.contains("order-to-canonical.yaml"))
        #expect(files.contains("order-to-canonical-expression.yaml"))
    }

    @Test(arguments: shippedMappingFiles())
    func everyShippedMappingLoadsAndPassesItsTests(file: String) throws {
        let mapping = try MappingFile.load(path: file)
        let outcomes = mapping.runTests()
        #expect(!outcomes.isEmpty, "\(file) has no tests")
        for outcome in outcomes where !outcome.passed {
            Issue.record("\(MappingTestRunner.render([outcome], summary: false))")
        }
    }

    @Test func bothFormsOfTheOrderMappingAgreeOnEveryFixture() throws {
        let folder = repositoryRoot.appendingPathComponent("Mappings/examples")
        let fields = try MappingFile.load(path: folder.appendingPathComponent("order-to-canonical.yaml").path)
        let expression = try MappingFile.load(path: folder.appendingPathComponent("order-to-canonical-expression.yaml").path)
        for test in fields.tests {
            let input = try JSONValue(parsing: try Data(contentsOf: URL(fileURLWithPath: test.inputPath)))
            #expect(try fields.apply(input) == expression.apply(input), "\(test.name)")
        }
    }
}
