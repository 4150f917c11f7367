import Collections

/// Why a JSON text was refused, and at which byte.
public struct JSONParseError: Error, Sendable, CustomStringConvertible, Equatable {
    public let message: String
    /// Zero-based byte offset into the input.
    public let offset: Int
    public var description: String { "JSON parse error at byte \(offset): \(message)" }
}

/// Recursive-descent JSON parser over UTF-8 bytes (RFC 8259).
enum JSONParser {
    static let maxDepth = 512

    static func parse(_ bytes: some Collection<UInt8>) throws -> JSONValue {
        if let r = try bytes.withContiguousStorageIfAvailable({ try parse(buffer: $0) }) { return r }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { try parse(buffer: $0) }
    }

    static func parse(buffer: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        var p = Cursor(b: buffer)
        p.skipWS()
        let v = try p.value(depth: 0)
        p.skipWS()
        if p.i < p.b.count { throw p.fail("unexpected data after the JSON value") }
        return v
    }

    struct Cursor {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0

        func fail(_ m: String) -> JSONParseError { JSONParseError(message: m, offset: i) }

        @inline(__always) mutating func skipWS() {
            while i < b.count {
                let c = b[i]
                if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { break }
            }
        }

        mutating func expectWord(_ w: StaticString, _ v: JSONValue) throws -> JSONValue {
            let n = w.utf8CodeUnitCount
            guard i + n <= b.count else { throw fail("unexpected end of input") }
            let p = w.utf8Start
            for k in 0..<n where b[i + k] != p[k] { throw fail("invalid literal") }
            i += n
            return v
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard i < b.count else { throw fail("unexpected end of input") }
            if depth > JSONParser.maxDepth { throw fail("nesting deeper than \(JSONParser.maxDepth)") }
            switch b[i] {
            case UInt8(ascii: "{"):
                i += 1
                var o = OrderedDictionary<String, JSONValue>()
                skipWS()
                if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
                while true {
                    skipWS()
                    guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                    let k = try string()
                    skipWS()
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                    i += 1
                    skipWS()
                    o[k] = try value(depth: depth + 1)
                    skipWS()
                    guard i < b.count else { throw fail("unexpected end of input in object") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
                    throw fail("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                i += 1
                var a: [JSONValue] = []
                skipWS()
                if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                while true {
                    skipWS()
                    a.append(try value(depth: depth + 1))
                    skipWS()
                    guard i < b.count else { throw fail("unexpected end of input in array") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                    throw fail("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): return try expectWord("true", .bool(true))
            case UInt8(ascii: "f"): return try expectWord("false", .bool(false))
            case UInt8(ascii: "n"): return try expectWord("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .number(try number())
            default:
                throw fail("unexpected character '\(Unicode.Scalar(b[i]))'")
            }
        }

        mutating func number() throws -> Double {
            let start = i
            var neg = false
            if b[i] == UInt8(ascii: "-") { neg = true; i += 1 }
            let intStart = i
            var mant: UInt64 = 0
            var digits = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                if digits < 19 { mant = mant &* 10 &+ UInt64(b[i] - 0x30) }
                digits += 1; i += 1
            }
            if digits == 0 { throw fail("expected a digit") }
            if digits > 1, b[intStart] == 0x30 { i = intStart + 1; throw fail("leading zero in number") }
            var simple = digits <= 15
            if i < b.count, b[i] == UInt8(ascii: ".") {
                simple = false; i += 1
                var f = 0
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1; f += 1 }
                if f == 0 { throw fail("expected a digit after '.'") }
            }
            if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                simple = false; i += 1
                if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                var e = 0
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1; e += 1 }
                if e == 0 { throw fail("expected a digit in exponent") }
            }
            if simple {
                let d = Double(mant)
                return neg ? -d : d
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
            guard let d = Double(text) else { throw JSONParseError(message: "invalid number", offset: start) }
            return d
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= b.count else { throw fail("truncated \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = b[i]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw fail("invalid hex digit in \\u escape")
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }

        mutating func string() throws -> String {
            i += 1  // opening quote
            let start = i
            // Fast path: no escapes.
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    let s = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                    i += 1
                    return s
                }
                if c == UInt8(ascii: "\\") { break }
                if c < 0x20 { throw fail("control character in string") }
                i += 1
            }
            var out = Array(UnsafeBufferPointer(rebasing: b[start..<i]))
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    i += 1
                    return String(decoding: out, as: UTF8.self)
                }
                if c < 0x20 { throw fail("control character in string") }
                if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
                i += 1
                guard i < b.count else { break }
                let e = b[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var cp = try hex4()
                    if cp >= 0xD800, cp < 0xDC00 {
                        if i + 6 <= b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
                            i += 2
                            let lo = try hex4()
                            if lo >= 0xDC00, lo < 0xE000 {
                                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                cp = 0xFFFD
                            }
                        } else {
                            cp = 0xFFFD
                        }
                    } else if cp >= 0xDC00, cp < 0xE000 {
                        cp = 0xFFFD
                    }
                    appendUTF8(Unicode.Scalar(cp) ?? "\u{FFFD}", &out)
                default:
                    i -= 1
                    throw fail("invalid escape '\\\(Unicode.Scalar(e))'")
                }
            }
            throw fail("unterminated string")
        }
    }

    static func appendUTF8(_ s: Unicode.Scalar, _ out: inout [UInt8]) {
        UTF8.encode(s) { out.append($0) }
    }
}
