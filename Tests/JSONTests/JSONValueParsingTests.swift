import JSON
import Testing

/// `JSONValue(parsing:)` builds containers on a shared scratch stack, builds objects whose keys are
/// distinct ASCII in one go (by fingerprint), reuses long keys, and reads most numbers without
/// `Double(String)`. These tests pin each of those paths to what the plain reading gives.
@Suite struct JSONValueParsingTests {
    private func parse(_ bytes: [UInt8]) throws -> JSONValue { try JSONValue(parsing: bytes) }

    private func failure(_ bytes: [UInt8]) -> JSONSyntaxError? {
        do { _ = try JSONValue(parsing: bytes); return nil } catch { return error }
    }

    @Test func readsEscapesAndMultiByteCharactersAtEveryPositionInKeysAndValues() throws {
        let insertions: [(text: String, decoded: String)] = [
            (#"\n"#, "\n"), (#"\""#, "\""), (#"\\"#, "\\"), (#"\u00e9"#, "é"), (#"\ud83d\ude00"#, "😀"),
            ("é", "é"), ("€", "€"), ("𝄞", "𝄞"),
        ]
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 31, 33] {
            for position in 0...length {
                let plain = String(repeating: "k", count: length)
                let prefix = String(plain.prefix(position)), suffix = String(plain.dropFirst(position))
                for (text, decoded) in insertions {
                    let string = prefix + text + suffix
                    let expected = prefix + decoded + suffix
                    let value = try JSONValue(parsing: #"{"\#(string)": "\#(string)", "z": 1}"#)
                    #expect(Array(value.objectValue!.keys) == [expected, "z"])
                    #expect(value[expected] == .string(expected))
                }
            }
        }
    }

    @Test func readsEveryRunOfWhitespaceBetweenTokensAndRefusesOtherControlBytesThere() throws {
        // Runs of 0 to 19 bytes drawn from the four whitespace bytes, spaces most often (as in
        // indentation), so that runs start and end at every place of an eight-byte word.
        let alphabet: [UInt8] = [0x20, 0x20, 0x20, 0x0A, 0x09, 0x0D]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func run() -> [UInt8] {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17  // xorshift64, fixed sequence
            return (0..<Int(state % 20)).map { i in alphabet[Int((state >> (8 + UInt64(i % 48))) % UInt64(alphabet.count))] }
        }
        let expected = try parse(Array(#"{"a":[1,true,null,{"b":"c"}],"d":{}}"#.utf8))
        for _ in 0..<300 {
            let tokens = [#"{"#, #""a""#, ":", "[", "1", ",", "true", ",", "null", ",", "{", #""b""#, ":", #""c""#, "}", "]", ",", #""d""#, ":", "{", "}", "}"]
            var text = run()
            for token in tokens { text += Array(token.utf8) + run() }
            #expect(try parse(text) == expected)
            let tape = try JSONTape(parsing: text)
            #expect(tape.value(at: tape.root) == expected)
        }
        for control: UInt8 in [0x00, 0x0B, 0x0C, 0x1F] {
            for spaces in 0..<12 {
                let text = Array(#"{"a":"#.utf8) + Array(repeating: 0x20, count: spaces) + [control] + Array("1}".utf8)
                #expect(failure(text)?.offset == 5 + spaces, "\(control) after \(spaces) spaces")
            }
        }
    }

    @Test func refusesMalformedUTF8InKeysAndValuesAtTheSameOffset() {
        for position in 0..<20 {
            let plain = Array(repeating: UInt8(ascii: "a"), count: 20)
            let string = [0x22] + plain[..<position] + [0xC3, 0x28] + plain[position...] + [0x22]
            let asKey = [UInt8(ascii: "{")] + string + Array(#":1}"#.utf8)
            let asValue = Array(#"{"k":"#.utf8) + string + [UInt8(ascii: "}")]
            #expect(failure(asKey) == JSONSyntaxError(offset: 2 + position, reason: "invalid UTF-8 sequence in a string"))
            #expect(failure(asValue) == JSONSyntaxError(offset: 6 + position, reason: "invalid UTF-8 sequence in a string"))
            let control = [UInt8(ascii: "{")] + [0x22] + plain[..<position] + [0x01] + plain[position...] + [0x22] + Array(#":1}"#.utf8)
            #expect(failure(control) == JSONSyntaxError(offset: 2 + position, reason: "raw control character in a string"))
        }
    }

    @Test func keepsTheFirstPositionAndTheLastValueOfARepeatedKey() throws {
        let small = try JSONValue(parsing: #"{"a": 1, "b": 2, "a": 3}"#)
        #expect(Array(small.objectValue!.keys) == ["a", "b"])
        #expect(small["a"] == 3)
        // Past 32 keys the fingerprints are sorted to find a repeat.
        let members = (0..<50).map { #""k\#($0)": \#($0)"# } + [#""k7": "again""#]
        let large = try JSONValue(parsing: "{" + members.joined(separator: ",") + "}")
        #expect(large.objectValue!.count == 50)
        #expect(large.objectValue!.keys[7] == "k7")
        #expect(large["k7"] == "again")
        #expect(large["k49"] == 49)
    }

    @Test func mergesKeysThatAreTheSameStringWrittenDifferently() throws {
        // An escape, a combining accent, or a character whose canonical form is ASCII (KELVIN
        // SIGN is "K"): Swift's String equality decides, as it did key by key.
        let value = try JSONValue(parsing: #"{"A": 1, "\u0041": 2, "é": 3, "e\u0301": 4, "K": 5, "\#u{212A}": 6}"#)
        #expect(Array(value.objectValue!.keys) == ["A", "é", "K"])
        #expect(value["A"] == 2 && value["é"] == 4 && value["K"] == 6)
    }

    @Test func findsEveryKeyOfObjectsOfEverySize() throws {
        for size in [0, 1, 15, 16, 17, 32, 33, 100] {
            let members = (0..<size).map { #""key number \#($0) of the object": \#($0)"# }
            let value = try JSONValue(parsing: "[" + Array(repeating: "{" + members.joined(separator: ",") + "}", count: 3).joined(separator: ",") + "]")
            for object in value.arrayValue! {
                #expect(object.objectValue!.count == size)
                for i in 0..<size { #expect(object["key number \(i) of the object"] == .number(Double(i))) }
            }
        }
    }

    @Test func tellsApartLongKeysThatDifferInTheMiddle() throws {
        let value = try JSONValue(parsing: #"[{"aaaaaaaaXaaaaaaaaa": 1}, {"aaaaaaaaYaaaaaaaaa": 2}, {"aaaaaaaaXaaaaaaaaa": 3}]"#)
        #expect(value[0]?["aaaaaaaaXaaaaaaaaa"] == 1)
        #expect(value[1]?["aaaaaaaaYaaaaaaaaa"] == 2 && value[1]?["aaaaaaaaXaaaaaaaaa"] == nil)
        #expect(value[2]?["aaaaaaaaXaaaaaaaaa"] == 3)
    }

    @Test func readsNumbersToTheSameBitsAsDoubleFromString() throws {
        let texts = [
            "0", "-0", "1", "-1", "0.5", "-0.0", "0.1", "0.2", "0.3", "3947.15", "123.456", "1e22", "1e23", "1.5e-7",
            "9007199254740992", "9007199254740993", "9007199254740993.0", "18446744073709551615", "1234567890123456789",
            "12345678901234567890", "0.0000000000000000000001", "1.7976931348623157e308", "4.9e-324", "1e400", "-1e400",
            "1e-400", "2.2250738585072014e-308", "123456789012345.678", "0.1e1", "10e-1", "5e-22", "5e-23", "99e20",
            "1E+2", "1e0000000000000000000000002",
            // integers around the 15 digits read inline
            "7", "-12", "6012345678901", "999999999999999", "-999999999999999", "1000000000000000", "-1000000000000001",
        ]
        for text in texts {
            let value = try #require(try JSONValue(parsing: text).doubleValue)
            #expect(value.bitPattern == Double(text)!.bitPattern, "\(text)")
            let tape = try JSONTape(parsing: Array(text.utf8))
            #expect(tape.number(at: tape.root).bitPattern == Double(text)!.bitPattern, "\(text)")
        }
        for text in ["01", "-", "-01", "1.", "1e", "--1", "1.e1", "-x", "00"] {
            #expect(failure(Array(text.utf8)) != nil, "\(text)")
            #expect(throws: JSONSyntaxError.self, "\(text)") { try JSONTape(parsing: Array(text.utf8)) }
        }
    }

    @Test func enforcesTheNestingLimitInArraysAndObjects() throws {
        _ = try JSONValue(parsing: String(repeating: "[", count: 512) + String(repeating: "]", count: 512))
        _ = try JSONValue(parsing: String(repeating: #"{"a":"#, count: 512) + "1" + String(repeating: "}", count: 512))
        #expect(failure(Array((String(repeating: "[", count: 513) + String(repeating: "]", count: 513)).utf8))
            == JSONSyntaxError(offset: 512, reason: "nesting deeper than 512"))
        #expect(failure(Array((String(repeating: #"{"a":"#, count: 513) + "1" + String(repeating: "}", count: 513)).utf8))
            == JSONSyntaxError(offset: 512 * 5, reason: "nesting deeper than 512"))
    }

    @Test func failsCleanlyInsideUnfinishedContainers() {
        #expect(failure(Array(#"[{"a": ["x", {"b": 1, "c": [true, "#.utf8)) == JSONSyntaxError(offset: 34, reason: "expected a value, found the end"))
        #expect(failure(Array(#"{"long key of the object": "v", "long key of the object" 2}"#.utf8))
            == JSONSyntaxError(offset: 57, reason: "expected ':' after an object key"))
    }

    @Test func readsBytesThatAreNotContiguousAlike() throws {
        let text = Array(#"{"a": [1, "x"], "b": {"c": null}}"#.utf8)
        #expect(try JSONValue(parsing: text.lazy.map { $0 }) == (try JSONValue(parsing: text)))
        #expect(throws: JSONSyntaxError(offset: 3, reason: "unexpected character 'x'")) {
            try JSONValue(parsing: Array("[1,x]".utf8).lazy.map { $0 })
        }
    }
}
