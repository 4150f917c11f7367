import Foundation
import JSON
import Testing

@testable import Mapping

/// The compiled-expression API the gateway's mappings use.
@Suite struct JSONataExpressionTests {
    static let order: JSONValue = [
        "id": "A-1",
        "lines": [
            ["sku": "X", "qty": 2, "price": 9.5],
            ["sku": "Y", "qty": 1, "price": 20],
        ],
    ]

    @Test func mapsAnOrderWithPathsAndObjectConstructors() throws {
        let expr = try JSONataExpression(#"{"order": id, "skus": lines.sku, "total": $sum(lines.(qty * price))}"#)
        let result = try expr.evaluate(Self.order)
        #expect(result == ["order": "A-1", "skus": ["X", "Y"], "total": 39])
    }

    @Test func returnsNilForAnUndefinedResult() throws {
        #expect(try JSONataExpression("missing.field").evaluate(Self.order) == nil)
    }

    @Test func bindsVariablesByNameWithoutTheDollar() throws {
        let expr = try JSONataExpression("lines[qty >= $min].sku")
        #expect(try expr.evaluate(Self.order, bindings: ["min": 2]) == "X")
    }

    @Test func evaluatesWithoutInput() throws {
        #expect(try JSONataExpression("1 + 2").evaluate(nil) == 3)
    }

    @Test func reportsSyntaxErrorsWithCodeAndPosition() {
        do {
            _ = try JSONataExpression("lines[qty > 1")
            Issue.record("expected a syntax error")
        } catch let e as JSONataError {
            #expect(e.code == "S0203")
            #expect(e.position == 13)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func reportsTypeErrorsAtEvaluation() throws {
        let expr = try JSONataExpression("id + 1")
        #expect(throws: JSONataError.self) { try expr.evaluate(Self.order) }
        do { _ = try expr.evaluate(Self.order) } catch let e as JSONataError { #expect(e.code == "T2001") }
    }

    @Test func stopsRunawayRecursionWithU1001() throws {
        let expr = try JSONataExpression("($f := function($n) { 1 + $f($n) }; $f(1))")
        do {
            _ = try expr.evaluate(nil)
            Issue.record("expected U1001")
        } catch let e as JSONataError {
            #expect(e.code == "U1001")
        }
    }

    @Test func stopsEndlessLoopsAtTheTimeLimit() throws {
        let expr = try JSONataExpression("($f := function($n) { $f($n + 1) }; $f(1))")
        do {
            _ = try expr.evaluate(nil, limits: .init(timeLimitMilliseconds: 50))
            Issue.record("expected U1001")
        } catch let e as JSONataError {
            #expect(e.code == "U1001")
        }
    }

    @Test func runsTailRecursionInConstantStack() throws {
        let expr = try JSONataExpression("($count := function($n, $acc) { $n = 0 ? $acc : $count($n - 1, $acc + 1) }; $count(20000, 0))")
        #expect(try expr.evaluate(nil) == 20000)
    }

    @Test func leavesTheInputUnchangedByTransforms() throws {
        let expr = try JSONataExpression(#"$ ~> |lines|{"qty": qty * 10}|"#)
        let result = try expr.evaluate(Self.order)
        #expect(result?["lines"]?[0]?["qty"] == 20)
        #expect(Self.order["lines"]?[0]?["qty"] == 2)
    }

    @Test func isSharedAcrossConcurrentEvaluations() async throws {
        let expr = try JSONataExpression("lines.(qty * price) ~> $sum()")
        try await withThrowingTaskGroup(of: JSONValue?.self) { group in
            for _ in 0..<8 { group.addTask { try expr.evaluate(Self.order) } }
            for try await r in group { #expect(r == 39) }
        }
    }

    @Test func givesTheSameResultFromJSONTextAsFromTheTree() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let mapping = try MappingFile.load(path: root.appendingPathComponent("Mappings/examples/order-to-canonical-expression.yaml").path)
        let expr = try JSONataExpression(try #require(mapping.expressionSource))
        let fixtures = root.appendingPathComponent("Mappings/examples/fixtures")
        for name in ["order-20-lines.json", "order-minimal.json", "order-test-mode.json"] {
            let bytes = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
            let fromText = try expr.evaluate(jsonText: bytes)
            #expect(fromText != nil)
            #expect(fromText == (try expr.evaluate(try JSONValue(parsing: bytes)))?.serialized(), "\(name)")
        }
        // The whole input in the result: untouched containers come back as they were read.
        let whole = try JSONataExpression(#"{"all": $, "first": line_items[0], "n": $count(line_items)}"#)
        let bytes = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent("order-20-lines.json")))
        #expect(try whole.evaluate(jsonText: bytes) == (try whole.evaluate(try JSONValue(parsing: bytes)))?.serialized())
        #expect(throws: JSONSyntaxError.self) { try whole.evaluate(jsonText: Array(#"{"a": }"#.utf8)) }
    }

    @Test func findsKeysWrittenWithEscapesOrBeyondASCIIFromJSONTextAsFromTheTree() throws {
        // Plain ASCII keys are compared as bytes with the name's own bytes; every other key (an
        // escape in it, a byte above 0x7F, a decomposed accent) as strings, as the tree does.
        let text = #"{"a\u0062": 1, "caf\u00e9": 2, "cafe\u0301s": 3, "x\"y": 4, "ab2": 5, "zé": 6}"#
        for source in ["ab", "`café`", "`cafés`", #"`x"y`"#, "ab2", "`zé`", "`ab `", "[ab, ab2, `zé`]"] {
            let expr = try JSONataExpression(source)
            let fromText = try expr.evaluate(jsonText: Array(text.utf8))
            let fromTree = try expr.evaluate(try JSONValue(parsing: text))
            let parsed = try fromText.map { try JSONValue(parsing: $0) }
            #expect(parsed == fromTree, "\(source)")
        }
        #expect(try JSONataExpression("ab").evaluate(jsonText: Array(text.utf8)) == Array("1".utf8))
    }

    @Test func findsTheKeyOfTheRightObjectWhenRecordsDifferInShape() throws {
        // The tape remembers where a key sat in the last record; in the next record that place
        // may hold a key of a nested object or a string equal to the key. Neither may be taken.
        let text = #"{"items": [{"q": 1, "b": 5}, {"q": {"b": 7}, "b": 6}, {"q": ["b"], "b": 8}, {"q": 2}, {"b": "b", "q": 0}]}"#
        let expr = try JSONataExpression("items.b")
        let fromText = try #require(try expr.evaluate(jsonText: Array(text.utf8)))
        #expect(try JSONValue(parsing: fromText) == [5, 6, 8, "b"])
        #expect(try JSONValue(parsing: fromText) == (try expr.evaluate(try JSONValue(parsing: text))))
    }
}
