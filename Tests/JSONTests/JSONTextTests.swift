import JSON
import Testing

@Suite("JSON on bytes")
struct JSONTests {
    private func validate(_ text: String) -> JSONSyntaxError? {
        do { try JSONText.validate(Array(text.utf8)); return nil } catch { return error }
    }

    @Test("accepts every kind of JSON value", arguments: [
        #"{}"#, #"[]"#, #"  {"a":[1,-2.5e+3,0.0,true,false,null,"x\u00e9\n\"\\"]}  "#, #""just a string""#, "12", "-0",
        #"{"nested":{"deeper":[[[]]]}}"#, #"{"emoji":"\ud83d\ude00"}"#,
    ])
    func accepts(_ text: String) {
        #expect(validate(text) == nil)
    }

    @Test("refuses broken JSON and says where", arguments: [
        (#"{"a":1,}"#, 7, "expected an object key"),
        (#"[1 2]"#, 3, "',' or ']' in an array"),
        (#"{"a" 1}"#, 5, "':' after an object key"),
        (#"01"#, 1, "unexpected content after the JSON value"),
        (#"{"a":tru}"#, 5, "invalid literal"),
        (#""open"#, 5, "unterminated string"),
        ("\"tab\there\"", 4, "raw control character in a string"),
        (#""bad \x""#, 6, "invalid escape"),
        (#"1."#, 2, "expected digits after '.'"),
        ("", 0, "expected a value, found the end"),
    ])
    func refuses(_ text: String, offset: Int, reason: String) {
        let failure = validate(text)
        #expect(failure?.offset == offset)
        #expect(failure?.reason.contains(reason) == true, "\(String(describing: failure))")
    }

    @Test("refuses strings that are not well-formed UTF-8 (RFC 3629 §4) and says where", arguments: [
        ([0x22, 0x61, 0xC3, 0x22], 2),                 // lead byte without its continuation
        ([0x22, 0x80, 0x22], 1),                       // stray continuation byte
        ([0x22, 0xC0, 0xAF, 0x22], 1),                 // overlong '/'
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], 1),           // overlong, three bytes
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),           // UTF-16 surrogate D800
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),     // above U+10FFFF
        ([0x22, 0x61, 0x62, 0xFF, 0x22], 3),
    ] as [([UInt8], Int)])
    func refusesMalformedUTF8(_ bytes: [UInt8], offset: Int) {
        #expect(throws: JSONSyntaxError.self) { try JSONText.validate(bytes) }
        do { try JSONText.validate(bytes) } catch {
            #expect(error.offset == offset, "\(error)")
            #expect(error.reason.contains("UTF-8"), "\(error)")
        }
    }

    // Plain string bytes are stepped over eight at a time; every byte that needs a look of its
    // own must still be found wherever it sits in, or after, such a word.
    @Test("finds the byte that needs a look at every position of a long string")
    func specialByteAtEveryPosition() {
        func failure(_ bytes: [UInt8]) -> JSONSyntaxError? {
            do { try JSONText.validate(bytes); return nil } catch { return error }
        }
        for position in 0..<20 {
            let plain = Array(repeating: UInt8(ascii: "a"), count: 24)
            func string(_ inserted: [UInt8]) -> [UInt8] {
                [0x22] + plain[..<position] + inserted + plain[position...] + [0x22]
            }
            #expect(failure(string([0x5C, 0x6E])) == nil)          // \n escape
            #expect(failure(string([0xC3, 0xA9])) == nil)          // é
            #expect(failure(string([0x7F, 0x20, 0x7E])) == nil)    // DEL, space and ~ are plain
            let control = failure(string([0x1F]))
            #expect(control?.offset == position + 1 && control?.reason.contains("control") == true, "\(String(describing: control))")
            // A quote ends the string early; what follows is not JSON.
            #expect(failure(string([0x22]))?.offset == position + 2)
            #expect(failure(string([0x80]))?.offset == position + 1)
        }
        let unterminated = validate("\"" + String(repeating: "b", count: 16))
        #expect(unterminated?.offset == 17 && unterminated?.reason == "unterminated string")
    }

    @Test("accepts well-formed UTF-8 of every length")
    func acceptsUTF8() throws {
        try JSONText.validate(Array("\"é € 𝄞 \u{10FFFF} \u{E000}\"".utf8))
    }

    @Test("finds a top-level member's value text exactly, whitespace and nesting included")
    func memberRange() throws {
        let text = Array("{ \"a\" : [1, {\"body\": 2}] ,\n \"body\" :\t{ \"x\": \"}\" }\n, \"z\": null }".utf8)
        let range = try #require(try JSONText.memberRange("body", in: text))
        #expect(String(decoding: text[range], as: UTF8.self) == #"{ "x": "}" }"#)
        #expect(try JSONText.memberRange("missing", in: text) == nil)
        #expect(try JSONText.memberRange("body", in: Array("[1]".utf8)) == nil)
        #expect(throws: JSONSyntaxError.self) { try JSONText.memberRange("body", in: Array(#"{"a":tru}"#.utf8)) }
    }

    @Test("refuses nesting deeper than the limit instead of overflowing the stack")
    func deepNesting() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(validate(text)?.reason.contains("nesting deeper") == true)
    }
}
