import Foundation
import Testing
@testable import Mapping
import StrictYAML

/// Loads a mapping from inline YAML; fails the test with the diagnostics if it does not load.
func loadMapping(_ yaml: String, file: String = "test.yaml") throws -> MappingFile {
    try MappingFile.load(text: yaml, file: file)
}

/// The diagnostics of a mapping that must not load.
func mappingDiagnostics(_ yaml: String, file: String = "test.yaml") -> [YAMLDiagnostic] {
    do {
        _ = try MappingFile.load(text: yaml, file: file)
        return []
    } catch {
        return error.diagnostics
    }
}

@Suite("Mapping files: format and behaviour")
struct MappingFileTests {
    @Test func fieldsWithDottedTargetsBuildNestedObjectsInFileOrder() throws {
        let mapping = try loadMapping("""
            name: nesting
            version: 1
            input: json
            fields:
              order.id: id
              customer.name: who
              order.total: amount * 2
              flag: true
            """)
        let result = try mapping.apply(["id": "A1", "who": "Ann", "amount": 5])
        #expect(result == .output(["order": ["id": "A1", "total": 10], "customer": ["name": "Ann"], "flag": true]))
        guard case .output(let out) = result else { return }
        #expect(out.jsonString == #"{"order":{"id":"A1","total":10},"customer":{"name":"Ann"},"flag":true}"#)
    }

    @Test func undefinedFieldsAreOmittedAndSoAreObjectsLeftEmpty() throws {
        let mapping = try loadMapping("""
            name: omit
            version: 1
            input: json
            fields:
              id: id
              shipTo.street2: address2
              shipTo.phone: phone
              note: missing.path
            """)
        #expect(try mapping.apply(["id": 7]) == .output(["id": 7]))
        #expect(try mapping.apply(["id": 7, "phone": nil]) == .output(["id": 7, "shipTo": ["phone": nil]]))
    }

    @Test func aMappingWhoseFieldsAreAllUndefinedGivesAnEmptyObjectNotADrop() throws {
        let mapping = try loadMapping("""
            name: empty
            version: 1
            input: json
            fields:
              a: nothing
            """)
        #expect(try mapping.apply(["x": 1]) == .output([:]))
    }

    @Test func dropIfTrueDropsTheMessage() throws {
        let mapping = try loadMapping("""
            name: drop
            version: 2
            input: json
            drop_if: test = true
            fields:
              id: id
            """)
        #expect(try mapping.apply(["id": 1, "test": true]) == .dropped)
        #expect(try mapping.apply(["id": 1, "test": false]) == .output(["id": 1]))
        #expect(try mapping.apply(["id": 1]) == .output(["id": 1]))
    }

    @Test func dropIfThatIsNotABooleanIsAnErrorNamingTheMapping() throws {
        let mapping = try loadMapping("""
            name: drop
            version: 2
            input: json
            drop_if: kind
            fields:
              id: id
            """)
        #expect {
            _ = try mapping.apply(["kind": "test"])
        } throws: { error in
            let e = try #require(error as? MappingError)
            return e.part == "drop_if" && e.description.hasPrefix("drop@2 drop_if: test.yaml:4:10: drop_if must give true or false, got \"test\"")
        }
    }

    @Test func lookupTablesAreVariables() throws {
        let mapping = try loadMapping("""
            name: lookup
            version: 1
            input: json
            lookup:
              carriers:
                fedex_ground: FDXG
                "UPS Ground": UPSG
                retries: 3
                quoted: "3"
                active: true
            fields:
              carrier: $lookup($carriers, method)
              table: $carriers
            """)
        let result = try mapping.apply(["method": "UPS Ground"])
        #expect(result == .output([
            "carrier": "UPSG",
            "table": ["fedex_ground": "FDXG", "UPS Ground": "UPSG", "retries": 3, "quoted": "3", "active": true],
        ]))
    }

    @Test func letBindingsAreEvaluatedOncePerInputInOrderAndSeeEarlierBindings() throws {
        let mapping = try loadMapping("""
            name: lets
            version: 1
            input: json
            lookup:
              rates: { EUR: 1.1 }
            let:
              net: price * quantity
              gross: $net * $lookup($rates, currency)
            fields:
              net: $net
              gross: $gross
            """)
        #expect(try mapping.apply(["price": 10, "quantity": 3, "currency": "EUR"]) == .output(["net": 30, "gross": 33]))
    }

    @Test func aLetBindingCanHoldAFunction() throws {
        let mapping = try loadMapping("""
            name: helpers
            version: 1
            input: json
            let:
              cents: function($amount) { $round($number($amount) * 100) }
            fields:
              price: $cents(price)
              shipping: $cents(shipping)
            """)
        #expect(try mapping.apply(["price": "12.99", "shipping": "4.5"]) == .output(["price": 1299, "shipping": 450]))
    }

    @Test func anAssignmentInsideOneFieldDoesNotLeakIntoTheNext() throws {
        let mapping = try loadMapping("""
            name: scopes
            version: 1
            input: json
            fields:
              a: ($x := 1; $x)
              b: $x := 2
              c: $x
            """)
        #expect(try mapping.apply([:]) == .output(["a": 1, "b": 2]))
    }

    @Test func anExpressionMappingReturnsItsValue() throws {
        let mapping = try loadMapping("""
            name: expr
            version: 1
            input: json
            expression: |
              { "total": $sum(items.price) }
            """)
        #expect(try mapping.apply(["items": [["price": 1], ["price": 2]]]) == .output(["total": 3]))
        #expect(mapping.expressionSource == "{ \"total\": $sum(items.price) }")
    }

    @Test func anExpressionThatGivesNothingIsAnError() throws {
        let mapping = try loadMapping("""
            name: expr
            version: 1
            input: json
            expression: nothing.here
            """)
        #expect(throws: MappingError.self) { _ = try mapping.apply(["x": 1]) }
    }

    @Test func evaluationErrorsNameMappingVersionTargetPathCodeAndPosition() throws {
        let mapping = try loadMapping("""
            name: orders
            version: "3.1"
            input: json
            fields:
              order.total: price + "abc"
            """, file: "Mappings/orders.yaml")
        #expect {
            _ = try mapping.apply(["price": 1])
        } throws: { error in
            let e = try #require(error as? MappingError)
            #expect(e.mapping == "orders")
            #expect(e.version == "3.1")
            #expect(e.part == "fields.order.total")
            #expect(e.code == "T2002")
            #expect(e.location?.line == 5)
            #expect(e.description.hasPrefix("orders@3.1 fields.order.total: Mappings/orders.yaml:5:"))
            #expect(e.description.contains("T2002"))
            return true
        }
    }

    @Test func aRunawayExpressionStopsAtTheDepthLimitWithU1001() throws {
        let mapping = try loadMapping("""
            name: runaway
            version: 1
            input: json
            let:
              forever: function($n) { $n + $forever($n + 1) }
            fields:
              total: $forever(0)
            """)
        #expect {
            _ = try mapping.apply([:], limits: .init(maxDepth: 200))
        } throws: { error in
            let e = try #require(error as? MappingError)
            return e.code == "U1001" && e.part == "fields.total"
        }
    }

    @Test func xmlMappingsLoadButAreRefusedWhenRun() throws {
        let mapping = try loadMapping("""
            name: idoc
            version: 1
            input: xml
            fields:
              po: E1EDK01.BELNR
            """)
        #expect(mapping.input == .xml)
        #expect {
            _ = try mapping.apply([:])
        } throws: { error in
            let e = try #require(error as? MappingError)
            return e.part == "input" && e.description.contains("not supported until the XML module lands")
        }
    }

    @Test func compiledExpressionsAreReusedAcrossMessages() throws {
        let mapping = try loadMapping("""
            name: many
            version: 1
            input: json
            fields:
              n: n * 2
            """)
        for n in 0..<100 {
            #expect(try mapping.apply(["n": .number(Double(n))]) == .output(["n": .number(Double(2 * n))]))
        }
    }

    @Test func applyingJSONBytesThatDoNotParseNamesTheByteOffset() throws {
        let mapping = try loadMapping("""
            name: bytes
            version: 1
            input: json
            fields:
              a: a
            """)
        #expect(try mapping.apply(json: Array(#"{"a":1}"#.utf8)) == .output(["a": 1]))
        #expect {
            _ = try mapping.apply(json: Array(#"{"a":}"#.utf8))
        } throws: { error in
            "\(error)".contains("bytes@1 input: input is not valid JSON") && "\(error)".contains("byte 5")
        }
    }
}

@Suite("Mapping files: what loading refuses")
struct MappingFileLoadErrorTests {
    @Test func unknownKeysAreRejectedWithTheirPositionAndASuggestion() {
        let found = mappingDiagnostics("""
            name: x
            version: 1
            input: json
            feilds:
              a: a
            """)
        #expect(found.map(\.description).contains { $0.hasPrefix("test.yaml:4:1: feilds: unknown key 'feilds' (did you mean 'fields'?)") })
    }

    @Test func unknownKeysInsideATestEntryAreRejected() {
        let found = mappingDiagnostics("""
            name: x
            version: 1
            input: json
            fields:
              a: a
            tests:
              - name: one
                input: in.json
                expect: out.json
            """)
        #expect(found.map(\.description).contains { $0.hasPrefix("test.yaml:9:5: tests[0].expect: unknown key 'expect'") })
    }

    @Test func missingKeysAndAnUnknownInputFormatAreAllReportedTogether() {
        let found = mappingDiagnostics("""
            input: edifact
            fields:
              a: a
            """)
        let messages = found.map(\.message)
        #expect(messages.contains("missing required key 'name'"))
        #expect(messages.contains("missing required key 'version'"))
        #expect(messages.contains("'edifact' is not one of: json, csv, x12, xml"))
    }

    @Test func fieldsAndExpressionAreExclusive() {
        let found = mappingDiagnostics("""
            name: x
            version: 1
            input: json
            fields:
              a: a
            expression: b
            """)
        #expect(found.map(\.description) == ["test.yaml:6:13: expression: a mapping has either 'fields:' or one 'expression:', not both"])
    }

    @Test func aFieldCannotAlsoBeAnObjectOfFields() {
        let found = mappingDiagnostics("""
            name: x
            version: 1
            input: json
            fields:
              order: o
              order.id: o.id
            """)
        #expect(found.map(\.description) == ["test.yaml:6:13: fields.order.id: target 'order.id' needs 'order' to be an object, but it is already a field"])
    }

    @Test func aTestNeedsAnExpectationAndNotTwo() {
        let found = mappingDiagnostics("""
            name: x
            version: 1
            input: json
            fields:
              a: a
            tests:
              - name: neither
                input: in.json
              - name: both
                input: in.json
                expected: out.json
                dropped: true
            """)
        #expect(found.map(\.message) == [
            "missing 'expected:' (path of the expected output) or 'dropped: true'",
            "a test expects either an output ('expected:') or 'dropped: true', not both",
        ])
    }

    @Test func bindingNamesMustBeVariableNamesAndNotClashWithLookups() {
        let found = mappingDiagnostics("""
            name: x
            version: 1
            input: json
            lookup:
              codes: { a: b }
            let:
              codes: 1
              two-words: 2
            fields:
              a: a
            """)
        #expect(found.map(\.message) == [
            "'codes' is already the name of a lookup table",
            "'two-words' cannot be a let name: use letters, digits and _ (it becomes $two-words)",
        ])
    }

    @Test func everyBrokenExpressionIsReportedInOneLoad() {
        let found = mappingDiagnostics("""
            name: x
            version: 1
            input: json
            let:
              a: (1
            drop_if: a +
            fields:
              b: '"open'
              c: ok
            """)
        #expect(found.count == 3)
        #expect(found.map(\.keyPath) == ["let.a", "drop_if", "fields.b"])
        #expect(found.allSatisfy { $0.message.hasPrefix("JSONata S0") })
    }
}
