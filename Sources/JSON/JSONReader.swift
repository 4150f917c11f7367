/// A forward-only reader over JSON text as UTF-8 bytes (RFC 8259): the one lexer behind
/// validation (`JSONText`), member lookup, value building (`JSONValue(parsing:)`) and the
/// hand-written decoders of hot-path documents (event metadata, append results). It checks as
/// it reads: escapes, raw control characters, well-formed UTF-8 in strings (RFC 8259 §8.1),
/// paired surrogate escapes (§8.2), the number grammar of §6, and a nesting
/// limit.
///
/// ```swift
/// var reader = JSONReader(buffer)
/// try reader.expect(UInt8(ascii: "{"), "'{'")
/// let key = try reader.readString()
/// ```
public struct JSONReader {
    public let bytes: UnsafeRawBufferPointer
    /// The next byte to read.
    public internal(set) var offset: Int = 0
    /// Nesting guard: deep nesting is valid JSON but a stack hazard for recursive readers.
    private(set) var depth = 0
    /// What a `\uD800`-style escape without its other half becomes: an error (the default), or
    /// U+FFFD. RFC 8259 §8.2 leaves the choice open; JavaScript's `JSON.parse` keeps such a
    /// string, which a Swift `String` cannot hold.
    public var replacesLoneSurrogates = false
    static let maximumDepth = 512

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    public var isAtEnd: Bool { offset >= bytes.count }

    public func failure(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: offset, reason: reason) }

    func failure(_ reason: String, at offset: Int) -> JSONSyntaxError { JSONSyntaxError(offset: offset, reason: reason) }

    @inline(__always)
    public func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    @inline(__always)
    public mutating func skipWhitespace() {
        // Compact text has none: one comparison. Every JSON whitespace byte is at most 0x20.
        guard offset < bytes.count, bytes[offset] <= 0x20 else { return }
        skipWhitespaceRun()
    }

    /// Whitespace (RFC 8259 §2: space, tab, line feed, carriage return) from `offset` on. The
    /// indentation of pretty-printed text is stepped over eight bytes at a time: a line break and
    /// its run of spaces cost two rounds, where a byte at a time made them half of building a
    /// tape of an indented document (issue 27).
    @inline(__always) mutating func skipWhitespaceRun() {
        while offset + 8 <= bytes.count {
            let spaces = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) ^ 0x2020_2020_2020_2020
            if spaces == 0 {
                offset += 8
                continue
            }
            offset += spaces.trailingZeroBitCount >> 3
            switch bytes[offset] {
            case 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    /// Consumes `byte` (after whitespace) or fails naming what was expected.
    @inline(__always)
    public mutating func expect(_ byte: UInt8, _ what: StaticString) throws(JSONSyntaxError) {
        // The byte right there (a key's colon, a container's end): no call.
        if offset < bytes.count, bytes[offset] == byte {
            offset += 1
            return
        }
        try expectAfterWhitespace(byte, what)
    }

    mutating func expectAfterWhitespace(_ byte: UInt8, _ what: StaticString) throws(JSONSyntaxError) {
        skipWhitespace()
        guard peek() == byte else { throw failure(isAtEnd ? "expected \(what), found the end" : "expected \(what)") }
        offset += 1
    }

    /// Consumes `byte` if it is next (after whitespace).
    @inline(__always)
    public mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        if peek() == byte { offset += 1; return true }
        return false
    }

    /// Checks that the whole text is used (after trailing whitespace).
    public mutating func expectEnd() throws(JSONSyntaxError) {
        skipWhitespace()
        if !isAtEnd { throw failure("unexpected content after the JSON value") }
    }

    /// Enters an object or array (its opening byte is next): counts the nesting.
    mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > Self.maximumDepth { throw failure("nesting deeper than \(Self.maximumDepth)") }
        offset += 1
    }

    mutating func leave() { depth -= 1 }

    // MARK: Skipping

    public mutating func skipValue() throws(JSONSyntaxError) {
        skipWhitespace()
        guard let byte = peek() else { throw failure("expected a value, found the end") }
        switch byte {
        case UInt8(ascii: "{"):
            try enter()
            if !consume(UInt8(ascii: "}")) {
                repeat {
                    try skipKey()
                    try skipValue()
                } while consume(UInt8(ascii: ","))
                try expect(UInt8(ascii: "}"), "',' or '}' in an object")
            }
            leave()
        case UInt8(ascii: "["):
            try enter()
            if !consume(UInt8(ascii: "]")) {
                repeat { try skipValue() } while consume(UInt8(ascii: ","))
                try expect(UInt8(ascii: "]"), "',' or ']' in an array")
            }
            leave()
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try number(building: false)
        default: throw unexpectedByte(byte)
        }
    }

    /// An object member's key and its colon, skipped.
    private mutating func skipKey() throws(JSONSyntaxError) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw failure(isAtEnd ? "expected an object key, found the end" : "expected an object key") }
        try skipString()
        try expect(UInt8(ascii: ":"), "':' after an object key")
    }

    func unexpectedByte(_ byte: UInt8) -> JSONSyntaxError {
        if byte >= 0x21, byte < 0x7F {
            return failure("unexpected character '\(Character(Unicode.Scalar(byte)))'")
        }
        return failure("unexpected byte 0x\(String(byte, radix: 16))")
    }

    /// Consumes `literal` (`true`, `false`, `null`) exactly.
    @inline(__always)
    mutating func literal(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw failure("truncated literal") }
        let base = literal.utf8Start
        for i in 0..<count where bytes[offset + i] != base[i] {
            throw failure("invalid literal")
        }
        offset += count
    }

    // MARK: Numbers

    /// Reads a number (its first byte is next). With `building`, returns its value; otherwise
    /// only checks it and returns 0.
    @inline(__always)
    mutating func number(building: Bool) throws(JSONSyntaxError) -> Double {
        if let integer = plainInteger() { return integer }
        return try anyNumber(building: building)
    }

    /// The commonest number, an integer of at most 15 digits (ids, counts, quantities), read
    /// inline; nil, with nothing consumed, for anything else (a fraction, an exponent, a leading
    /// zero, more digits, no digit), which `anyNumber` reads or refuses. 15 digits stay below
    /// 2^53, so the value is exact.
    @inline(__always)
    private mutating func plainInteger() -> Double? {
        var i = offset
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        let first = i
        var value: UInt64 = 0
        while i < bytes.count, case let digit = bytes[i] &- UInt8(ascii: "0"), digit < 10 {
            value = value &* 10 &+ UInt64(digit)
            i += 1
        }
        let digits = i - first
        guard digits > 0, digits <= 15, digits == 1 || bytes[first] != UInt8(ascii: "0") else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] | 0x20 == UInt8(ascii: "e") { return nil }
        offset = i
        return negative ? -Double(value) : Double(value)
    }

    mutating func anyNumber(building: Bool) throws(JSONSyntaxError) -> Double {
        let start = offset
        var negative = false
        if bytes[offset] == UInt8(ascii: "-") { negative = true; offset += 1 }
        let integerStart = offset
        // int = zero / digit1-9 *DIGIT (RFC 8259 §6): after a leading 0 the number's integer part
        // ends, so "01" is the number 0 followed by stray content. The first 19 digits (integer
        // and fraction) accumulate exactly in `mantissa`; `scale` is the power of ten it needs.
        var mantissa: UInt64 = 0
        var mantissaDigits = 0
        var exact = true
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "0") {
            offset += 1
        } else {
            while offset < bytes.count, case let digit = bytes[offset] &- UInt8(ascii: "0"), digit < 10 {
                if mantissaDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    mantissaDigits += 1
                } else {
                    exact = false
                }
                offset += 1
            }
        }
        if offset == integerStart { throw failure(isAtEnd ? "expected a digit, found the end" : "expected a digit") }
        var scale = 0
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            let fractionStart = offset
            while offset < bytes.count, case let digit = bytes[offset] &- UInt8(ascii: "0"), digit < 10 {
                if mantissaDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    mantissaDigits += 1
                    scale -= 1
                } else {
                    exact = false
                }
                offset += 1
            }
            if offset == fractionStart { throw failure("expected digits after '.'") }
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            var exponentNegative = false
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                exponentNegative = bytes[offset] == UInt8(ascii: "-")
                offset += 1
            }
            let exponentStart = offset
            var exponent = 0
            while offset < bytes.count, case let digit = bytes[offset] &- UInt8(ascii: "0"), digit < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(digit) }
                offset += 1
            }
            if offset == exponentStart { throw failure("expected digits in an exponent") }
            scale += exponentNegative ? -exponent : exponent
        }
        guard building else { return 0 }
        // Clinger's fast path: a mantissa below 2^53 and a power of ten up to 10^22 are both
        // exact doubles, so one multiplication or division rounds correctly, as Double(String)
        // does: the same bits.
        if exact, mantissa <= 1 << 53, scale >= -22, scale <= 22 {
            var value = Double(mantissa)
            if scale > 0 {
                value *= Self.powerOfTen(scale)
            } else if scale < 0 {
                value /= Self.powerOfTen(-scale)
            }
            return negative ? -value : value
        }
        // Swift's Double(String) rounds correctly (as JSON.parse does); the text is ASCII here.
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        guard let value = Double(text) else { throw failure("invalid number", at: start) }
        return value
    }

    /// 10^exponent for 0...22, each exact in a Double.
    @inline(__always)
    /// The value of `text` when it is exactly one JSON number (RFC 8259 §6), read as the parser
    /// reads numbers; nil otherwise. For callers that hold a number's text apart from any JSON
    /// document (JSONata's `$number` on a string).
    public static func number(wholeText text: UnsafeRawBufferPointer) -> Double? {
        var reader = JSONReader(text)
        guard let d = try? reader.number(building: true), reader.isAtEnd else { return nil }
        return d
    }

    private static func powerOfTen(_ exponent: Int) -> Double {
        withUnsafeBytes(of: powersOfTen) { $0.load(fromByteOffset: exponent &* 8, as: Double.self) }
    }

    private static let powersOfTen: (Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double,
                                     Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double) =
        (1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22)

    /// Reads an integer that fits in `Int64` (no fraction, no exponent).
    public mutating func readInt64() throws(JSONSyntaxError) -> Int64 {
        skipWhitespace()
        var negative = false
        if peek() == UInt8(ascii: "-") { negative = true; offset += 1 }
        let start = offset
        var value: Int64 = 0
        while let byte = peek(), byte &- UInt8(ascii: "0") < 10 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            if o1 || o2 { throw failure("integer out of range") }
            value = a
            offset += 1
        }
        if offset == start { throw failure("expected an integer") }
        return negative ? -value : value
    }

    // MARK: Strings

    /// Skips a string (its opening quote is next), checking it as `readString` does.
    mutating func skipString() throws(JSONSyntaxError) {
        offset += 1
        var ascii = true
        while try !scanUnescaped(ascii: &ascii) { _ = try escapedScalar() }
    }

    /// Reads a string value (after whitespace; a quote must be next), decoding escapes.
    public mutating func readString() throws(JSONSyntaxError) -> String {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw failure("expected a string") }
        return try readStringBody()
    }

    /// Reads the string whose opening quote is next.
    @inline(__always)
    mutating func readStringBody() throws(JSONSyntaxError) -> String {
        offset += 1
        let start = offset
        var ascii = true
        // Most strings have no escape: check them in place and make the String in one go.
        guard try scanUnescaped(ascii: &ascii) else { return try readEscapedString(from: start) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<(offset - 1)]), as: UTF8.self)
    }

    /// Steps over string content up to the closing quote (consumed; returns true) or up to an
    /// escape (its backslash next; returns false), checking control characters and UTF-8.
    /// Clears `ascii` on a byte above 0x7F.
    @inline(__always)
    mutating func scanUnescaped(ascii: inout Bool) throws(JSONSyntaxError) -> Bool {
        while true {
            skipPlainBytes()
            guard offset < bytes.count else { throw failure("unterminated string") }
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return true
            case UInt8(ascii: "\\"):
                return false
            case 0x00..<0x20:
                throw failure("raw control character in a string")
            case 0x80...:
                ascii = false
                try utf8Sequence(lead: byte)
            default:
                offset += 1
            }
        }
    }

    /// Reads `null` (returning nil) or a string.
    public mutating func readOptionalString() throws(JSONSyntaxError) -> String? {
        skipWhitespace()
        if peek() == UInt8(ascii: "n") {
            try literal("null")
            return nil
        }
        return try readString()
    }

    /// The rest of a string from its first escape on (`start` is its first content byte).
    mutating func readEscapedString(from start: Int) throws(JSONSyntaxError) -> String {
        var utf8 = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<offset]))
        utf8.reserveCapacity(utf8.count + 16)
        while offset < bytes.count {
            let runStart = offset
            skipPlainBytes()
            if offset > runStart { utf8.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<offset])) }
            guard offset < bytes.count else { break }
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                let scalar = try escapedScalar()
                if scalar.isASCII { utf8.append(UInt8(scalar.value)) } else { utf8.append(contentsOf: UTF8.encode(scalar)!) }
            case 0x00..<0x20:
                throw failure("raw control character in a string")
            case 0x80...:
                let sequenceStart = offset
                try utf8Sequence(lead: byte)
                utf8.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[sequenceStart..<offset]))
            default:
                utf8.append(byte)
                offset += 1
            }
        }
        throw failure("unterminated string")
    }

    /// Steps over plain string bytes (printable ASCII other than quote and backslash) eight at a
    /// time, then one at a time.
    @inline(__always)
    private mutating func skipPlainBytes() {
        while offset + 8 <= bytes.count {
            let special = Self.specialBytes(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            if special != 0 {
                // The lowest flagged byte is exact (see `specialBytes`): step straight to it.
                offset += special.trailingZeroBitCount >> 3
                return
            }
            offset += 8
        }
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte < 0x20 || byte >= 0x80 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return }
            offset += 1
        }
    }

    /// The top bit of each of the eight bytes that needs a look of its own inside a string (a
    /// quote, a backslash, a control character or a non-ASCII byte), exact for the lowest.
    @inline(__always)
    private static func specialBytes(_ word: UInt64) -> UInt64 {
        ByteWord.quoteBackslashOrControl(word) | word & ByteWord.highBits
    }

    /// Steps over one multi-byte UTF-8 sequence, refusing what RFC 3629 §4 rules out: stray
    /// continuation bytes, overlong forms, surrogates and code points above U+10FFFF.
    private mutating func utf8Sequence(lead: UInt8) throws(JSONSyntaxError) {
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

    /// Decodes one escape sequence (its backslash is next).
    mutating func escapedScalar() throws(JSONSyntaxError) -> Unicode.Scalar {
        let start = offset
        offset += 1
        guard let byte = peek() else { throw failure("unterminated escape") }
        offset += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                if offset + 6 <= bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") {
                    let next = offset
                    offset += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) {
                        return Unicode.Scalar(0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00))!
                    }
                    offset = next  // the next escape stands on its own
                }
                scalar = 0xD800
            }
            if let unicode = Unicode.Scalar(scalar) { return unicode }
            guard replacesLoneSurrogates else { throw failure("unpaired surrogate in \\u escape", at: start) }
            return "\u{FFFD}"
        default:
            throw failure("invalid escape '\\\(Character(Unicode.Scalar(byte)))'", at: start + 1)
        }
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
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
}

extension JSONReader {
    /// Runs `body` with a reader over `bytes`, keeping the typed error (`withUnsafeBytes` only
    /// rethrows untyped errors).
    static func reading<Bytes: Collection, Result>(
        _ bytes: Bytes, _ body: (inout JSONReader) throws(JSONSyntaxError) -> Result
    ) throws(JSONSyntaxError) -> Result where Bytes.Element == UInt8 {
        try withoutActuallyEscaping(body) { body throws(JSONSyntaxError) in
            let run = { (buffer: UnsafeRawBufferPointer) -> Swift.Result<Result, JSONSyntaxError> in
                var reader = JSONReader(buffer)
                do throws(JSONSyntaxError) { return .success(try body(&reader)) } catch { return .failure(error) }
            }
            if let outcome = bytes.withContiguousStorageIfAvailable({ run(UnsafeRawBufferPointer($0)) }) { return try outcome.get() }
            return try Array(bytes).withUnsafeBytes(run).get()
        }
    }
}
