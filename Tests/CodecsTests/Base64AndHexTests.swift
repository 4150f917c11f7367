import Codecs
import Testing

@Suite("Base64 (RFC 4648 §4)")
struct Base64Tests {
    // RFC 4648 §10 test vectors.
    @Test("RFC 4648 §10 vectors encode and decode", arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func rfcVectors(plain: String, encoded: String) throws {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(try Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test("all byte values round-trip")
    func allBytesRoundTrip() throws {
        let bytes = (0...255).map { UInt8($0) }
        for length in 0...bytes.count {
            #expect(try Base64.decode(Base64.encode(bytes[..<length])) == Array(bytes[..<length]))
        }
    }

    @Test("missing padding is accepted")
    func unpaddedIsAccepted() throws {
        #expect(try Base64.decode("Zm9vYg") == Array("foob".utf8))
        #expect(try Base64.decode("Zm9vYmE") == Array("fooba".utf8))
    }

    @Test("whitespace is refused with its offset")
    func whitespaceIsRefused() {
        #expect(throws: Base64DecodingError.invalidCharacter(offset: 4)) { try Base64.decode("Zm9v YmFy") }
        #expect(throws: Base64DecodingError.invalidCharacter(offset: 8)) { try Base64.decode("Zm9vYmFy\n") }
    }

    @Test("the URL-safe alphabet is refused")
    func urlSafeIsRefused() {
        #expect(throws: Base64DecodingError.invalidCharacter(offset: 2)) { try Base64.decode("Zm-_") }
    }

    @Test("padding in the wrong place or of the wrong length is refused", arguments: [
        ("Zm9v=YmFy", 4), ("Zg=", 2), ("Zg===", 2), ("Zm9vY===", 5), ("Zm8==", 3),
    ])
    func badPadding(text: String, offset: Int) {
        #expect(throws: Base64DecodingError.invalidPadding(offset: offset)) { try Base64.decode(text) }
    }

    @Test("a length of 4n+1 data characters is refused")
    func impossibleLength() {
        #expect(throws: Base64DecodingError.invalidLength(characters: 5)) { try Base64.decode("Zm9vY") }
    }
}

@Suite("Hex")
struct HexTests {
    @Test("encodes lower-case and decodes either case")
    func roundTrip() throws {
        #expect(Hex.encode([0x00, 0x9f, 0xab, 0xff]) == "009fabff")
        #expect(try Hex.decode("009FabfF") == [0x00, 0x9f, 0xab, 0xff])
    }

    @Test("an odd number of digits is refused")
    func oddLength() {
        #expect(throws: HexDecodingError.oddLength(characters: 3)) { try Hex.decode("abc") }
    }

    @Test("a non-hex character is refused with its offset")
    func invalidCharacter() {
        #expect(throws: HexDecodingError.invalidCharacter(offset: 4)) { try Hex.decode("0011x2") }
        #expect(throws: HexDecodingError.invalidCharacter(offset: 1)) { try Hex.decode("0x11") }
    }
}

@Suite("Base64url (RFC 4648 §5) and lenient decoding")
struct Base64URLTests {
    @Test("the URL alphabet writes - and _ where the standard one writes + and /")
    func urlAlphabet() throws {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF]
        #expect(Base64.encode(bytes) == "+/+/")
        #expect(Base64.encode(bytes, alphabet: .url) == "-_-_")
        #expect(try Base64.decode("-_-_", alphabet: .url) == bytes)
        #expect(Base64.encode(Array("f".utf8), alphabet: .url, padding: false) == "Zg")
    }

    @Test("each alphabet refuses the other's characters, naming the offset")
    func alphabetsDoNotMix() {
        #expect(throws: Base64DecodingError.invalidCharacter(offset: 1, alphabet: .url)) { try Base64.decode("-+-_", alphabet: .url) }
        #expect(throws: Base64DecodingError.invalidCharacter(offset: 0)) { try Base64.decode("-_-_") }
    }

    @Test("lenient decoding skips line breaks and stray bytes, and accepts both alphabets")
    func lenient() {
        #expect(Base64.decodeLenient(Array("Zm9v\r\nYmFy".utf8)) == Array("foobar".utf8))
        #expect(Base64.decodeLenient(Array("Zm9vYg==trailing".utf8)) == Array("foob".utf8))
        #expect(Base64.decodeLenient(Array("-_-_".utf8)) == Base64.decodeLenient(Array("+/+/".utf8)))
    }
}
