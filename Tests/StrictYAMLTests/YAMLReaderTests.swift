import StrictYAML
import Testing

@Suite("Strict YAML reading")
struct YAMLReaderTests {
    @Test func everyProblemIsCollectedWithItsPosition() throws {
        let yaml = """
            server:
              prot: 8080
              host: 1.5
            """
        let reader = try YAMLReader(text: yaml, file: "t.yaml")
        let server = reader.root.mapping(keys: ["server"])?.required("server")?.mapping(keys: ["port", "host"])
        _ = server?.optional("host")?.string()
        _ = server?.required("port")
        let error = #expect(throws: YAMLDiagnostics.self) { try reader.finish() }
        let lines = try #require(error).diagnostics.map(\.description)
        #expect(lines == [
            "t.yaml:2:3: server.prot: unknown key 'prot' (did you mean 'port'?); allowed here: port, host",
            "t.yaml:2:3: server: missing required key 'port'",
            "t.yaml:3:9: server.host: expected a string, found number '1.5' (quote it if it is meant as text)",
        ])
    }

    @Test func syntaxErrorsNameTheLine() {
        let error = #expect(throws: YAMLDiagnostics.self) { try YAMLReader(text: "a: [1, 2\nb: 3\n", file: "bad.yaml") }
        #expect(error?.diagnostics.first?.file == "bad.yaml")
        #expect((error?.diagnostics.first?.line ?? 0) >= 1)
    }

    @Test func durationsAcceptUnits() throws {
        let reader = try YAMLReader(text: "a: 250ms\nb: 5m\nc: 2\nd: soon\ne: 30d\n", file: "d.yaml")
        let m = try #require(reader.root.mapping())
        #expect(m.optional("a")?.duration() == .milliseconds(250))
        #expect(m.optional("b")?.duration() == .seconds(300))
        #expect(m.optional("c")?.duration() == .seconds(2))
        #expect(m.optional("d")?.duration() == nil)
        #expect(m.optional("e")?.duration() == .seconds(30 * 86_400))
        #expect(reader.diagnostics.map(\.line) == [4])
    }

    @Test func duplicateKeysAreRefused() {
        let error = #expect(throws: YAMLDiagnostics.self) { try YAMLReader(text: "a: 1\na: 2\n", file: "dup.yaml") }
        #expect(error?.description.contains("dup.yaml:") == true)
        #expect(error?.description.contains("'a'") == true)
    }
}
