import Foundation
import JSON
import Testing

/// `JSONTape` must accept exactly what `JSONValue(parsing:)` accepts, refuse the rest with the
/// same offset and reason, and hold the same values: these tests walk a tape into a tree and
/// compare it with the tree parser's, over the repository's JSON fixtures and edge cases.
@Suite struct JSONTapeTests {
    /// The tree a tape describes, read through its public accessors only.
    private func tree(_ tape: JSONTape, _ index: Int) -> JSONValue {
        switch tape.kind(at: index) {
        case .null: return .null
        case .false: return false
        case .true: return true
        case .number: return .number(tape.number(at: index))
        case .string: return .string(tape.string(at: index))
        case .array:
            var items: [JSONValue] = []
            var i = index + 1
            for _ in 0..<tape.count(at: index) {
                items.append(tree(tape, i))
                i = tape.after(i)
            }
            #expect(i == tape.after(index), "an array's end is where its last item ends")
            return .array(items)
        case .object:
            if tape.hasRepeatedKeys(at: index) { return tape.value(at: index) }
            var object: [(String, JSONValue)] = []
            var i = index + 1
            for _ in 0..<tape.count(at: index) {
                object.append((tape.string(at: i), tree(tape, i + 1)))
                i = tape.after(i + 1)
            }
            #expect(i == tape.after(index), "an object's end is where its last value ends")
            return .object(.init(uniqueKeysWithValues: object))
        }
    }

    private func failure(_ bytes: [UInt8]) -> JSONSyntaxError? {
        do { _ = try JSONTape(parsing: bytes); return nil } catch { return error }
    }

    private func treeFailure(_ bytes: [UInt8]) -> JSONSyntaxError? {
        do { _ = try JSONValue(parsing: bytes); return nil } catch { return error }
    }

    @Test func holdsWhatTheTreeParserReadsForEveryFixture() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let fixtures = root.appendingPathComponent("Mappings")
        let files = FileManager.default.enumerator(at: fixtures, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }
        #expect(files.count >= 10, "the mapping fixtures hold JSON files")
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: file))
            let tape = try JSONTape(parsing: bytes)
            #expect(tree(tape, tape.root) == (try JSONValue(parsing: bytes)), "\(file.lastPathComponent)")
        }
    }

    @Test func holdsEscapesNumbersAndNestingAsTheTreeParserDoes() throws {
        let texts = [
            #"{}"#, #"[]"#, #"  {"a":[1,-2.5e+3,0.0,true,false,null,"x\u00e9\n\"\\"]}  "#, #""just a string""#, "12", "-0",
            #"{"nested":{"deeper":[[[]]]}}"#, #"{"emoji":"\ud83d\ude00", "é": "€", "k\"ey": "v\\al"}"#,
            #"[1e400, -1e-400, 9007199254740993, 0.1, 3947.15]"#,
            #"[{"a": []}, {"a": {}}, [], {}, [[{}]]]"#,
            "[" + (0..<40).map { #"{"k\#($0)": [\#($0), "\#($0)"]}"# }.joined(separator: ",") + "]",
            String(repeating: "[", count: 512) + String(repeating: "]", count: 512),
        ]
        for text in texts {
            let tape = try JSONTape(parsing: Array(text.utf8))
            #expect(tree(tape, tape.root) == (try JSONValue(parsing: text)), "\(text.prefix(60))")
        }
    }

    @Test func refusesWhatTheTreeParserRefusesAtTheSameOffset() {
        var texts: [[UInt8]] = [
            #"{"a":1,}"#, #"[1 2]"#, #"{"a" 1}"#, #"01"#, #"{"a":tru}"#, #""open"#, "\"tab\there\"", #""bad \x""#,
            #"1."#, "", #"[{"a": ["x", {"b": 1, "c": [true, "#, #"{"a": 1"#, #"{1: 2}"#, #""\ud800""#, "[1,x]",
            String(repeating: "[", count: 513) + String(repeating: "]", count: 513),
            String(repeating: #"{"a":"#, count: 513) + "1" + String(repeating: "}", count: 513),
        ].map { Array($0.utf8) }
        texts += [[0x22, 0x61, 0xC3, 0x22], [0x22, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
                  Array(#"{"k":"#.utf8) + [0x22, 0x61, 0xFF, 0x22, 0x7D]]
        for text in texts {
            let expected = treeFailure(text)
            #expect(expected != nil, "the tree parser refuses \(text)")
            #expect(failure(text) == expected, "\(String(decoding: text.prefix(40), as: UTF8.self))")
        }
    }

    @Test func marksObjectsWhoseKeysRepeatOrAreNotPlainASCII() throws {
        let tape = try JSONTape(parsing: Array(#"[{"a": 1, "b": 2}, {"a": 1, "a": 2}, {"é": 1}, {"\u0041": 1}, {}]"#.utf8))
        var i = tape.root + 1
        var marks: [Bool] = []
        var objects: [Int] = []
        for _ in 0..<tape.count(at: tape.root) {
            objects.append(i)
            marks.append(tape.hasRepeatedKeys(at: i))
            i = tape.after(i)
        }
        #expect(marks == [false, true, true, true, false])
        // The full parse of a marked object decides as JSON.parse: first position, last value.
        #expect(objects.count == 5)
        if objects.count == 5 { #expect(tape.value(at: objects[1]) == ["a": 2]) }
    }

    @Test func comparesKeysAsBytesOnlyWhenBothArePlainASCII() throws {
        let tape = try JSONTape(parsing: Array(#"["sku", "e\u0301", "é", "a longer key of thirty-two bytes"]"#.utf8))
        #expect(tape.stringEquals(at: 1, "sku", keyIsASCII: true))
        #expect(!tape.stringEquals(at: 1, "skv", keyIsASCII: true))
        #expect(!tape.stringEquals(at: 1, "sk", keyIsASCII: true))
        // Canonical equivalence, as String (and so a dictionary lookup) decides.
        #expect(tape.stringEquals(at: 2, "é", keyIsASCII: false))
        #expect(tape.stringEquals(at: 3, "e\u{301}", keyIsASCII: false))
        #expect(tape.stringEquals(at: 4, "a longer key of thirty-two bytes", keyIsASCII: true))
        #expect(!tape.stringEquals(at: 4, "a longer key of thirty-two bytez", keyIsASCII: true))
    }
}
