/// A forward-only reader over JSON text as UTF-8 bytes (RFC 8259). It validates while it skips,
/// so the store can check an event's `data` without building any value, and it reads the few
/// strings that event metadata consists of.
struct JSONCursor {
    struct Failure: Error, CustomStringConvertible {
        var offset: Int
        var reason: String
        var description: String { "\(reason) at byte \(offset)" }
    }

    private let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int = 0
    /// Nesting guard: deep nesting is valid JSON but a stack hazard for a recursive skipper.
    private var depth = 0
    private static let maximumDepth = 512

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { offset >= bytes.count }

    /// Checks that `bytes` hold exactly one JSON value, surrounded by optional whitespace.
    static func validate(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
        var cursor = JSONCursor(bytes)
        cursor.skipWhitespace()
        try cursor.skipValue()
        cursor.skipWhitespace()
        if !cursor.isAtEnd { throw cursor.failure("unexpected content after the JSON value") }
    }

    func failure(_ reason: String) -> Failure { Failure(offset: offset, reason: reason) }

    func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    /// Consumes `byte` (after whitespace) or fails naming what was expected.
    mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        skipWhitespace()
        guard peek() == byte else { throw failure("expected \(what)") }
        offset += 1
    }

    /// Consumes `byte` if it is next (after whitespace).
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        if peek() == byte { offset += 1; return true }
        return false
    }

    mutating func skipValue() throws(Failure) {
        skipWhitespace()
        guard let byte = peek() else { throw failure("expected a value, found the end") }
        switch byte {
        case UInt8(ascii: "{"): try skipObject()
        case UInt8(ascii: "["): try skipArray()
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try skipLiteral("true")
        case UInt8(ascii: "f"): try skipLiteral("false")
        case UInt8(ascii: "n"): try skipLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw failure("unexpected byte 0x\(String(byte, radix: 16))")
        }
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > Self.maximumDepth { throw failure("nesting deeper than \(Self.maximumDepth)") }
    }

    private mutating func skipObject() throws(Failure) {
        try enter()
        offset += 1
        if consume(UInt8(ascii: "}")) { depth -= 1; return }
        repeat {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw failure("expected an object key") }
            try skipString()
            try expect(UInt8(ascii: ":"), "':' after an object key")
            try skipValue()
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"), "',' or '}' in an object")
        depth -= 1
    }

    private mutating func skipArray() throws(Failure) {
        try enter()
        offset += 1
        if consume(UInt8(ascii: "]")) { depth -= 1; return }
        repeat { try skipValue() } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"), "',' or ']' in an array")
        depth -= 1
    }

    private mutating func skipLiteral(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw failure("truncated literal") }
        let base = literal.utf8Start
        for i in 0..<count where bytes[offset + i] != base[i] {
            throw failure("invalid literal")
        }
        offset += count
    }

    private mutating func skipDigits() -> Int {
        let start = offset
        while offset < bytes.count, bytes[offset] >= UInt8(ascii: "0"), bytes[offset] <= UInt8(ascii: "9") { offset += 1 }
        return offset - start
    }

    private mutating func skipNumber() throws(Failure) {
        if peek() == UInt8(ascii: "-") { offset += 1 }
        if peek() == UInt8(ascii: "0") {
            offset += 1
        } else if skipDigits() == 0 {
            throw failure("expected digits in a number")
        }
        if peek() == UInt8(ascii: ".") {
            offset += 1
            if skipDigits() == 0 { throw failure("expected digits after '.'") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            if skipDigits() == 0 { throw failure("expected digits in an exponent") }
        }
    }

    /// Skips a string, checking escapes, that no raw control character appears and that non-ASCII
    /// bytes form well-formed UTF-8 (JSON exchanged between systems must be UTF-8, RFC 8259 §8.1).
    private mutating func skipString() throws(Failure) {
        offset += 1
        while true {
            // Strings are most of a document's bytes: step over plain ones eight at a time.
            while offset + 8 <= bytes.count,
                  !Self.hasSpecialByte(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))) {
                offset += 8
            }
            guard offset < bytes.count else { break }
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return
            case UInt8(ascii: "\\"):
                try skipEscape()
            case 0x00..<0x20:
                throw failure("raw control character in a string")
            case 0x80...:
                try skipUTF8Sequence(lead: byte)
            default:
                offset += 1
            }
        }
        throw failure("unterminated string")
    }

    /// Whether any of the eight bytes needs a look of its own inside a string: a quote, a
    /// backslash, a control character or a non-ASCII byte. These are the well-known "does a word
    /// have a zero byte" bit tricks, exact for "any", which is all that is asked: a byte below
    /// 0x80 is below `n` exactly when subtracting `n` borrows into its top bit.
    @inline(__always)
    private static func hasSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroInQuote = (quote &- ones) & ~quote
        let zeroInBackslash = (backslash &- ones) & ~backslash
        let control = (word &- ones &* 0x20) & ~word
        return (zeroInQuote | zeroInBackslash | control | word) & (ones &* 0x80) != 0
    }

    /// Skips one multi-byte UTF-8 sequence, refusing what RFC 3629 §4 rules out: stray
    /// continuation bytes, overlong forms, surrogates and code points above U+10FFFF.
    private mutating func skipUTF8Sequence(lead: UInt8) throws(Failure) {
        let count: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: count = 2
        case 0xE0: count = 3; secondRange = 0xA0...0xBF
        case 0xED: count = 3; secondRange = 0x80...0x9F
        case 0xE1...0xEF: count = 3
        case 0xF0: count = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: count = 4
        case 0xF4: count = 4; secondRange = 0x80...0x8F
        default: throw failure("invalid UTF-8 byte 0x\(String(lead, radix: 16)) in a string")
        }
        guard offset + count <= bytes.count else { throw failure("truncated UTF-8 sequence in a string") }
        guard secondRange.contains(bytes[offset + 1]) else { throw failure("invalid UTF-8 sequence in a string") }
        for i in 2..<count where bytes[offset + i] & 0xC0 != 0x80 {
            throw failure("invalid UTF-8 sequence in a string")
        }
        offset += count
    }

    private mutating func skipEscape() throws(Failure) {
        offset += 1
        guard let byte = peek() else { throw failure("unterminated escape") }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            offset += 1
        case UInt8(ascii: "u"):
            offset += 1
            _ = try readHex4()
        default:
            throw failure("invalid escape")
        }
    }

    private mutating func readHex4() throws(Failure) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    /// Reads a string value, decoding escapes.
    mutating func readString() throws(Failure) -> String {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw failure("expected a string") }
        offset += 1
        let start = offset
        // Fast path: no escapes.
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let string = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
                offset += 1
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("raw control character in a string") }
            offset += 1
        }
        var utf8 = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<offset]))
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                offset += 1
                guard let escaped = peek() else { throw failure("unterminated escape") }
                offset += 1
                switch escaped {
                case UInt8(ascii: "\""): utf8.append(0x22)
                case UInt8(ascii: "\\"): utf8.append(0x5C)
                case UInt8(ascii: "/"): utf8.append(0x2F)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try readHex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A high surrogate must be followed by an escaped low surrogate.
                        guard offset + 2 <= bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                            throw failure("unpaired surrogate in \\u escape")
                        }
                        offset += 2
                        let low = try readHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate in \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw failure("invalid \\u escape") }
                    utf8.append(contentsOf: UTF8.encode(unicode)!)
                default:
                    throw failure("invalid escape")
                }
            case 0x00..<0x20:
                throw failure("raw control character in a string")
            default:
                utf8.append(byte)
                offset += 1
            }
        }
        throw failure("unterminated string")
    }

    /// Reads an integer that fits in `Int64` (no fraction, no exponent).
    mutating func readInt64() throws(Failure) -> Int64 {
        skipWhitespace()
        var negative = false
        if peek() == UInt8(ascii: "-") { negative = true; offset += 1 }
        let start = offset
        var value: Int64 = 0
        while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            if o1 || o2 { throw failure("integer out of range") }
            value = a
            offset += 1
        }
        if offset == start { throw failure("expected an integer") }
        return negative ? -value : value
    }

    /// Reads `null` (returning nil) or a string.
    mutating func readOptionalString() throws(Failure) -> String? {
        skipWhitespace()
        if peek() == UInt8(ascii: "n") {
            try skipLiteral("null")
            return nil
        }
        return try readString()
    }
}
