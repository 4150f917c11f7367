import Testing
@testable import Mapping
import StrictYAML

/// A JSONata syntax error inside a mapping file is reported at the line and column of the
/// offending character in the YAML file, whatever the scalar style. Every case uses `]` where an
/// operand is expected (JSONata S0211, reported at the `]`).
@Suite("Mapping files: JSONata errors point into the YAML")
struct MappingFilePositionTests {
    /// The single diagnostic of a file whose `fields:` hold `body` (lines from line 5 on).
    func onlyDiagnostic(_ body: String) throws -> YAMLDiagnostic {
        let found = mappingDiagnostics("name: p\nversion: 1\ninput: json\nfields:\n" + body, file: "Mappings/p.yaml")
        #expect(found.count == 1, "\(found)")
        return try #require(found.first)
    }

    @Test func plainScalarAddsTheOffsetToTheColumn() throws {
        let d = try onlyDiagnostic("  total: price + ]\n")
        #expect(d.description == "Mappings/p.yaml:5:18: fields.total: JSONata S0211: The symbol ] cannot be used as a unary operator (token ']')")
    }

    @Test func singleQuotedScalarSkipsTheQuoteAndDoubledQuotes() throws {
        let d = try onlyDiagnostic("  total: 'x = ''a'' + ]'\n")
        #expect((d.line, d.column) == (5, 23))
    }

    @Test func doubleQuotedScalarSkipsTheQuoteAndEscapes() throws {
        let d = try onlyDiagnostic(#"  total: "x = \"a\" + \u0041 + ]""# + "\n")
        #expect((d.line, d.column) == (5, 32))
    }

    @Test func literalBlockScalarGivesTheRealLineAndColumn() throws {
        let d = try onlyDiagnostic("""
              total: |
                $sum(
                  items.price
                ) + ]
            """ + "\n")
        #expect((d.line, d.column) == (8, 9))
        #expect(d.keyPath == "fields.total")
    }

    @Test func literalBlockScalarAfterBlankLines() throws {
        let d = try onlyDiagnostic("  total: |\n\n    a +\n\n      ]\n")
        #expect((d.line, d.column) == (9, 7))
    }

    @Test func foldedBlockScalarGivesTheRealLineAndColumn() throws {
        let d = try onlyDiagnostic("  total: >\n    price +\n    ]\n")
        #expect((d.line, d.column) == (7, 5))
    }

    @Test func multiLinePlainScalarFollowsTheFolding() throws {
        let d = try onlyDiagnostic("  total: price +\n    ]\n")
        #expect((d.line, d.column) == (6, 5))
    }

    @Test func windowsLineEndingsDoNotShiftColumns() {
        let found = mappingDiagnostics("name: p\r\nversion: 1\r\ninput: json\r\nfields:\r\n  total: |\r\n    a +\r\n      ]\r\n")
        #expect(found.map { "\($0.line):\($0.column)" } == ["7:7"])
    }

    @Test func columnsCountCharactersNotBytes() throws {
        // JSONata reports a byte offset; "é" is two bytes but one column.
        let d = try onlyDiagnostic(#"  total: name & "é" & ]"# + "\n")
        #expect((d.line, d.column) == (5, 23))
    }

    @Test func anErrorAtTheEndOfTheExpressionPointsAfterItsLastCharacter() throws {
        let d = try onlyDiagnostic("  total: $sum(items\n")
        #expect(d.message.hasPrefix("JSONata S0203"))
        #expect((d.line, d.column) == (5, 20))
    }

    @Test func bindingsAndDropIfAreLocatedToo() {
        let found = mappingDiagnostics("""
            name: p
            version: 1
            input: json
            let:
              net: |
                price *
                  ]
            drop_if: "test = ]"
            fields:
              a: a
            """)
        #expect(found.map { "\($0.line):\($0.column) \($0.keyPath)" } == ["7:7 let.net", "8:18 drop_if"])
    }

    @Test func runtimeErrorsAreLocatedInsideBlockScalars() throws {
        let mapping = try loadMapping("""
            name: p
            version: 1
            input: json
            fields:
              total: |
                $sum(items.price)
                  + "x"
            """, file: "Mappings/p.yaml")
        #expect {
            _ = try mapping.apply(["items": [["price": 1]]])
        } throws: { error in
            let location = try #require((error as? MappingError)?.location)
            // The evaluator reports the operator's position: the "+" on line 7.
            return location.file == "Mappings/p.yaml" && location.line == 7 && location.keyPath == "fields.total"
        }
    }
}
