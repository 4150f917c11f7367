import JSON
import Testing

/// The JSON model at the gateway's boundary: parsing from bytes, writing as JavaScript does.
@Suite struct JSONValueTests {
    @Test func parsesNestedDocumentKeepingKeyOrder() throws {
        let v = try JSONValue(parsing: #"{"b": 1, "a": [true, null, "x"], "c": {"z": 2.5}}"#)
        #expect(Array(v.objectValue!.keys) == ["b", "a", "c"])
        #expect(v["a"]?[0] == .bool(true))
        #expect(v["a"]?[1] == .null)
        #expect(v["c"]?["z"]?.doubleValue == 2.5)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let v = try JSONValue(parsing: #""tab\there \u00e9 \ud83d\ude00 \"q\" \/""#)
        #expect(v.stringValue == "tab\there é 😀 \"q\" /")
    }

    @Test func reportsTheByteOffsetOfAnError() {
        #expect(throws: JSONSyntaxError(offset: 8, reason: "expected ',' or '}' in an object")) {
            try JSONValue(parsing: #"{"a": 1 "b": 2}"#)
        }
    }

    @Test func refusesALoneSurrogateUnlessAskedToReplaceIt() throws {
        #expect(throws: JSONSyntaxError(offset: 3, reason: "unpaired surrogate in \\u escape")) {
            try JSONValue(parsing: #"["a\ud800b"]"#)
        }
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: #""\udc00""#) }
        #expect(try JSONValue(parsing: Array(#""x\ud800\u0041\udc00""#.utf8), replacingLoneSurrogates: true) == "x\u{FFFD}A\u{FFFD}")
    }

    @Test func refusesTrailingData() {
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: "[1] x") }
    }

    @Test func refusesLeadingZeros() {
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: "012") }
    }

    @Test func writesNumbersAsJavaScriptDoes() {
        #expect(JSONValue.number(1).jsonString == "1")
        #expect(JSONValue.number(-0.0).jsonString == "0")
        #expect(JSONValue.number(0.1 + 0.2).jsonString == "0.30000000000000004")
        #expect(JSONValue.number(1e21).jsonString == "1e+21")
        #expect(JSONValue.number(1e20).jsonString == "100000000000000000000")
        #expect(JSONValue.number(1.5e-7).jsonString == "1.5e-7")
        #expect(JSONValue.number(0.000001).jsonString == "0.000001")
        #expect(JSONValue.number(123.456).jsonString == "123.456")
    }

    @Test func appendsNumbersAsTheGeneralLayoutWritesThem() {
        var values: [Double] = [0, -0.0, 1, -1, 7, 10, 99, 100, 1e15 - 1, 1e15, 1e15 + 0.5, -1e15, 9_007_199_254_740_993,
                                0.5, -0.5, 0.1 + 0.2, 149.99, -3947.15, 1 / 3, 2.5e-5, 1e-4, 1e-5, 1e-6, 1e-7,
                                1e20, 1e21, 1.7976931348623157e308, 5e-324, .nan, .infinity, -.infinity,
                                // one or two decimals, up to the bound of the writer's amount path
                                0.01, -0.05, 0.07, 0.1, 0.29, 1.1, 1.005, 24.9, 24.09, 999_999_999.99, 1e9 + 0.5, 123_456_789.5]
        for e in -12...23 {
            values.append(Double("1.25e\(e)")!)
            values.append(-Double("1e\(e)")!)
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15  // a fixed sequence (SplitMix64), not a seeded RNG type
        for _ in 0..<2000 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let bits = Double(bitPattern: z)
            if bits.isFinite { values.append(bits) }
            values.append(Double(z % 10_000_000) / 100)
        }
        for x in values {
            var out: [UInt8] = []
            NumberFormatting.appendJavaScript(x, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == NumberFormatting.javaScript(x), "\(x)")
        }
    }

    @Test func roundsToFifteenDigitsForStringConversion() {
        #expect(NumberFormatting.precision15(0.1 + 0.2) == "0.3")
        #expect(NumberFormatting.precision15(1 / 3) == "0.333333333333333")
    }

    @Test func escapesWhatNeedsItAtEveryPositionOfAString() throws {
        let specials: [(String, String)] = [
            ("\"", #"\""#), ("\\", #"\\"#), ("\n", #"\n"#), ("\t", #"\t"#), ("\u{01}", #"\u0001"#), ("\u{1F}", #"\u001f"#),
            ("é", "é"), ("😀", "😀"), (" ", " "), ("\u{7F}", "\u{7F}"),
        ]
        for length in [0, 1, 7, 8, 9, 15, 16, 17] {
            for position in 0...length {
                let plain = String(repeating: "a", count: length)
                let prefix = String(plain.prefix(position)), suffix = String(plain.dropFirst(position))
                for (raw, written) in specials {
                    let text = prefix + raw + suffix
                    var out: [UInt8] = []
                    JSONWriter.appendString(text, to: &out)
                    #expect(String(decoding: out, as: UTF8.self) == "\"" + prefix + written + suffix + "\"", "\(length) \(position) \(written)")
                    #expect(try JSONValue(parsing: out) == .string(text))
                }
            }
        }
    }

    @Test func aByteBufferReceivesWhatAnArrayReceives() throws {
        let value = try JSONValue(parsing: Array(#"{"a":[1,-2.5,1e21,"x\"y",null,true],"b":{"c":"é\n\u0001"},"d":[]}"#.utf8))
        var array: [UInt8] = []
        var buffer = JSONByteBuffer(capacity: 1)  // grows many times on the way
        for indent in [nil, 2] as [Int?] {
            for _ in 0..<40 {
                JSONWriter.write(value, into: &array, indent: indent)
                JSONWriter.write(value, into: &buffer, indent: indent)
            }
        }
        #expect(buffer.bytes() == array)
        #expect(array.count > 2_000)
    }

    @Test func escapesControlCharactersWhenWriting() {
        let v: JSONValue = ["k": "line\nbreak\u{01}\"q\""]
        #expect(v.jsonString == #"{"k":"line\nbreak\u0001\"q\""}"#)
    }

    @Test func writesPrettyOutputWithTwoSpaces() {
        let v: JSONValue = ["a": [1, 2]]
        #expect(String(decoding: v.serialized(pretty: true), as: UTF8.self) == "{\n  \"a\": [\n    1,\n    2\n  ]\n}")
    }

    @Test func roundTripsThroughBytes() throws {
        let text = #"{"id":"A-1","lines":[{"sku":"X","qty":2,"price":9.99}],"gift":false,"note":null}"#
        let v = try JSONValue(parsing: Array(text.utf8))
        #expect(v.jsonString == text)
    }
}
