import Foundation
import JSON
import Testing
@testable import Mapping

private func fixturePath(_ name: String) throws -> String {
    let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    return folder.appendingPathComponent("MappingFiles").appendingPathComponent(name).path
}

/// A csv mapping written in the test, whose fixtures are looked for beside stock-levels.yaml.
private func csvMapping(tests: String = "") throws -> MappingFile {
    try MappingFile.load(text: """
        name: stock-levels
        version: 1
        input: csv
        drop_if: qty = "0"
        fields:
          sku: sku
          quantity: $number(qty)
        \(tests)
        """, file: try fixturePath("inline.yaml"))
}

@Suite("Mapping files: csv input")
struct CSVMappingTests {
    @Test func aCSVMappingLoadsAndMapsOneRowGivenAsItsJSONObject() throws {
        let mapping = try csvMapping()
        #expect(mapping.input == .csv)
        #expect(try mapping.apply(["sku": "A-1", "qty": "3"]) == .output(["sku": "A-1", "quantity": 3]))
    }

    @Test func eachRowIsMappedWithItsLineDroppedOrRejectedWithoutStoppingTheOthers() throws {
        let csv = "sku,qty\nA-1,3\nB-2,0\nC-3,three\n\"D\n4\",12\nE-5\nF-6,1.5\n"
        let rows = try csvMapping().applyRows(csv: Array(csv.utf8))
        #expect(rows.map(\.line) == [2, 3, 4, 5, 7, 8])
        #expect(rows[0].result.successValue == .output(["sku": "A-1", "quantity": 3]))
        #expect(rows[1].result.successValue == .dropped)
        #expect(rows[2].error?.code == "D3030")
        #expect(rows[2].error?.part == "fields.quantity")
        #expect(rows[3].output == ["sku": "D\n4", "quantity": 12])
        guard case .csv(let short)? = rows[4].error?.kind else {
            Issue.record("expected a CSV error for line 7, got \(rows[4])")
            return
        }
        #expect(short.rule == .fieldCount(found: 1, expected: 2))
        #expect((short.line, short.column) == (7, 4))
        #expect(rows[4].description == "line 7: stock-levels@1 input: CSV line 7, column 4: the row has 1 field, the header has 2 (missing fields are not filled in)")
        #expect(rows[5].output == ["sku": "F-6", "quantity": 1.5])
    }

    @Test func theRowDocumentHasEveryHeaderNameInColumnOrderWithEmptyFieldsAsEmptyStrings() throws {
        let mapping = try MappingFile.load(text: """
            name: row
            version: 1
            input: csv
            expression: $
            """, file: "row.yaml")
        let rows = try mapping.applyRows(csv: Array("zone;bin;note\nB;07;\n".utf8), delimiter: .semicolon)
        let object = try #require(rows.first?.output?.objectValue)
        #expect(Array(object.keys) == ["zone", "bin", "note"])
        #expect(Array(object.values) == ["B", "07", ""])
    }

    @Test func rowsAreMappedAsTheyAreRead() throws {
        var rows = try csvMapping().rows(csv: Array("sku,qty\nA-1,3\nB-2,\"1\"\"\"\n".utf8))
        #expect(rows.header == ["sku", "qty"])
        #expect(rows.next()?.output == ["sku": "A-1", "quantity": 3])
        // The second row's CSV is fine; its qty (1") is not a number.
        #expect(rows.next()?.error?.code == "D3030")
        #expect(rows.next() == nil)
    }

    @Test func aBadHeaderRejectsTheWholeFile() throws {
        #expect {
            _ = try csvMapping().applyRows(csv: Array("sku,qty,sku\nA,1,A\n".utf8))
        } throws: { error in
            guard let e = error as? MappingError, case .csv(let csv) = e.kind else { return false }
            return e.part == "input" && csv.rule == .duplicateHeaderName("sku", firstField: 1) && csv.column == 9
        }
    }

    @Test func aJSONMappingDoesNotReadCSVRows() throws {
        let mapping = try MappingFile.load(text: "name: j\nversion: 1\ninput: json\nfields:\n  a: a\n", file: "j.yaml")
        #expect {
            _ = try mapping.applyRows(csv: Array("a\n1\n".utf8))
        } throws: { error in
            (error as? MappingError)?.description == "j@1 input: the mapping reads 'json' input ('input: json'), not csv"
        }
    }
}

@Suite("Mapping files: csv tests")
struct CSVMappingTestRunnerTests {
    @Test func aCSVFixtureIsComparedRowByRowWithAJSONArray() throws {
        let outcomes = try MappingFile.load(path: try fixturePath("stock-levels.yaml")).runTests()
        #expect(outcomes.map(\.test) == ["four rows, one dropped, one over two lines"])
        #expect(outcomes.map(\.status) == [.passed])
    }

    @Test func differencesNameTheRowsLine() throws {
        let mapping = try MappingFile.load(text: """
            name: stock-levels
            version: 1
            input: csv
            drop_if: qty = "0"
            fields:
              sku: sku
              location: location
              quantity: $number(qty)
              note: '$length(note) > 0 ? note'
            tests:
              - name: wrong
                input: stock.csv
                expected: stock.wrong.json
            """, file: try fixturePath("inline.yaml"))
        guard case .failed(let failures) = try #require(mapping.runTests().first).status else {
            Issue.record("expected the test to fail")
            return
        }
        #expect(failures.map(\.description) == [
            #"line 2: $[0].quantity: expected "3", got 3"#,
            #"$[4]: missing (expected {"sku":"E-5"})"#,
        ])
    }

    @Test func aRejectedRowMakesTheTestAnErrorNamingItsLine() throws {
        let mapping = try csvMapping(tests: """
            tests:
              - name: bad rows
                input: stock-bad.csv
                expected: stock.expected.json
            """)
        guard case .error(let message) = try #require(mapping.runTests().first).status else {
            Issue.record("expected an error")
            return
        }
        #expect(message.hasPrefix("input fixture "))
        #expect(message.contains("stock-bad.csv line 3: stock-levels@1 fields.quantity: "))
        #expect(message.contains("D3030"))
        #expect(message.hasSuffix("(and 1 more rejected row)"))
    }

    @Test func theExpectedFixtureOfACSVTestMustBeAnArray() throws {
        let mapping = try csvMapping(tests: """
            tests:
              - name: object
                input: stock.csv
                expected: shipment.expected.json
            """)
        guard case .error(let message) = try #require(mapping.runTests().first).status else {
            Issue.record("expected an error")
            return
        }
        #expect(message.hasSuffix("shipment.expected.json: a csv mapping expects a JSON array, one entry per data row (null for a dropped row)"))
    }

    @Test func droppedTrueExpectsEveryRowDropped() throws {
        let mapping = try csvMapping(tests: """
            tests:
              - name: not all dropped
                input: stock.csv
                dropped: true
            """)
        guard case .failed(let failures) = try #require(mapping.runTests().first).status else {
            Issue.record("expected a failure")
            return
        }
        // Rows 2, 4 (two lines) and 6 map; row 3 has qty 0.
        #expect(failures.map(\.description).map { $0.prefix(while: { $0 != ":" }) } == ["line 2", "line 4", "line 6"])
    }
}

extension Result {
    fileprivate var successValue: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}
