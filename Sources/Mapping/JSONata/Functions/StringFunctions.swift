import Codecs
import Foundation
import JSON

/// JSONata's string functions (docs.jsonata.org/string-functions): `$string $length $substring
/// $substringBefore $substringAfter $uppercase $lowercase $trim $pad $join $base64encode
/// $base64decode`. The regular-expression ones (`$contains $split $match $replace`) live in
/// `RegexFunctions.swift`, the URL ones in `URLFunctions.swift`.
///
/// Lengths and offsets count Unicode code points, as jsonata-js does with `Array.from(str)`.
/// Every function maps an undefined input to an undefined result.
enum StringFunctions {
    static let functions: [NativeFunction] = [
        NativeFunction("string", "<x-b?:s>", arity: 1) { args, _ in
            guard let value = args[0] else { return nil }
            return .string(try JSONataText.string(value, pretty: args[1]?.boolValue ?? false))
        },
        NativeFunction("length", "<s-:n>", arity: 1) { args, _ in
            guard case .string(let s)? = args[0] else { return nil }
            return .number(Double(s.unicodeScalars.count))
        },
        NativeFunction("substring", "<s-nn?:s>", arity: 3) { args, _ in
            guard case .string(let s)? = args[0] else { return nil }
            // An undefined start behaves as NaN does in jsonata-js (slice treats it as 0).
            return .string(substring(s, start: args[1]?.numberValue ?? .nan, length: args[2]?.numberValue))
        },
        NativeFunction("substringBefore", "<s-s:s>", arity: 2) { args, _ in
            guard case .string(let s)? = args[0] else { return nil }
            guard case .string(let chars)? = args[1] else { return .string(s) }
            let hay = Array(s.utf8)
            guard let at = TextSearch.firstIndex(of: Array(chars.utf8), in: hay, from: 0) else { return .string(s) }
            return .string(String(decoding: hay[..<at], as: UTF8.self))
        },
        NativeFunction("substringAfter", "<s-s:s>", arity: 2) { args, _ in
            guard case .string(let s)? = args[0] else { return nil }
            guard case .string(let chars)? = args[1] else { return .string(s) }
            let hay = Array(s.utf8)
            let needle = Array(chars.utf8)
            guard let at = TextSearch.firstIndex(of: needle, in: hay, from: 0) else { return .string(s) }
            return .string(String(decoding: hay[(at + needle.count)...], as: UTF8.self))
        },
        NativeFunction("uppercase", "<s-:s>", arity: 1) { args, _ in
            guard case .string(let s)? = args[0] else { return nil }
            return .string(s.uppercased())
        },
        NativeFunction("lowercase", "<s-:s>", arity: 1) { args, _ in
            guard case .string(let s)? = args[0] else { return nil }
            return .string(s.lowercased())
        },
        NativeFunction("trim", "<s-:s>", arity: 1) { args, _ in
            guard case .string(let s)? = args[0] else { return nil }
            return .string(trim(s))
        },
        NativeFunction("pad", "<s-ns?:s>", arity: 3) { args, _ in
            guard case .string(let s)? = args[0] else { return nil }
            guard let width = args[1]?.numberValue else { return .string(s) }
            return .string(pad(s, width: width, with: args[2]?.stringValue))
        },
        NativeFunction("join", "<a<s>s?:s>", arity: 2) { args, _ in
            guard case .array(let strings)? = args[0] else { return nil }
            let separator = args[1]?.stringValue ?? ""
            return .string(strings.items.map { $0.stringValue ?? "" }.joined(separator: separator))
        },
        NativeFunction("base64encode", "<s-:s>", arity: 1) { args, _ in
            guard case .string(let s)? = args[0] else { return nil }
            return .string(Base64Latin1.encode(s))
        },
        NativeFunction("base64decode", "<s-:s>", arity: 1) { args, _ in
            guard case .string(let s)? = args[0] else { return nil }
            return .string(Base64Latin1.decode(s))
        },
    ]

    /// `$substring(str, start, length)`: negative `start` counts from the end; offsets are
    /// truncated to integers as JavaScript's `Array.prototype.slice` does.
    static func substring(_ s: String, start: Double, length: Double?) -> String {
        let scalars = s.unicodeScalars
        let count = Double(scalars.count)
        var start = start
        if count + start < 0 { start = 0 }
        let end: Double
        if let length {
            if !(length > 0) { return "" }
            end = start >= 0 ? start + length : count + start + length
        } else {
            end = count
        }
        let range = sliceRange(count: Int(count), start: start, end: end)
        let from = scalars.index(scalars.startIndex, offsetBy: range.lowerBound)
        let to = scalars.index(from, offsetBy: range.count)
        return String(scalars[from..<to])
    }

    /// The index range `Array.prototype.slice(start, end)` selects (ECMA-262 §23.1.3.28).
    static func sliceRange(count: Int, start: Double, end: Double) -> Range<Int> {
        func clamp(_ v: Double) -> Int {
            let t = v.isNaN ? 0 : v.rounded(.towardZero)
            if t < 0 { return max(count + Int(max(t, -Double(count) - 1)), 0) }
            return Int(min(t, Double(count)))
        }
        let from = clamp(start)
        let to = clamp(end)
        return from < to ? from..<to : from..<from
    }

    /// Collapses runs of space, tab, CR and LF into one space and drops a leading and a trailing
    /// space (other Unicode white space is kept, as in jsonata-js).
    static func trim(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var inRun = false
        for b in s.utf8 {
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
                if !inRun { out.append(0x20); inRun = true }
            } else {
                out.append(b)
                inRun = false
            }
        }
        if out.first == 0x20 { out.removeFirst() }
        if out.last == 0x20 { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// `$pad`: a positive width pads on the right, a negative one on the left, with the pad
    /// string repeated and cut to the missing number of code points.
    static func pad(_ s: String, width: Double, with padString: String?) -> String {
        let padScalars = Array((padString?.isEmpty ?? true ? " " : padString!).unicodeScalars)
        let target = abs(width.rounded(.towardZero))
        let length = Double(s.unicodeScalars.count)
        guard target > length, target.isFinite else { return s }
        let missing = Int(target - length)
        var padding = String.UnicodeScalarView()
        for i in 0..<missing { padding.append(padScalars[i % padScalars.count]) }
        return width > 0 ? s + String(padding) : String(padding) + s
    }
}

/// Text forms of values shared by `$string` and other functions.
enum JSONataText {
    /// `$string(value, prettify)`: strings unchanged, functions as "", numbers as JavaScript
    /// writes them (non-integers first rounded to 15 significant digits), everything else as
    /// `JSON.stringify` with the same number rule, functions inside containers written as "".
    static func string(_ value: Value, pretty: Bool) throws -> String {
        switch value {
        case .string(let s): return s
        case .function: return ""
        case .number(let d) where !d.isFinite:
            throw JSONataError("D3001", "Attempting to invoke string function on Infinity or NaN")
        case .array(let a) where a.outerWrapper && !a.items.isEmpty:
            return try json(a.items[0], pretty: pretty)
        default:
            return try json(value, pretty: pretty)
        }
    }

    /// A number as `$string` writes it: integers exactly, other values via 15 significant digits.
    static func number(_ d: Double) -> String {
        d == d.rounded() ? NumberFormatting.javaScript(d) : NumberFormatting.precision15(d)
    }

    static func json(_ value: Value, pretty: Bool) throws -> String {
        var out: [UInt8] = []
        try write(value, into: &out, indent: pretty ? 2 : nil, level: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private static func write(_ value: Value, into out: inout [UInt8], indent: Int?, level: Int) throws {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .number(let d):
            guard d.isFinite else { throw JSONataError("D1001", "Number out of range: \(d)") }
            out += Array(number(d).utf8)
        case .string(let s): JSONWriter.appendString(s, to: &out)
        case .function: out += [0x22, 0x22]
        case .array(let a):
            if a.items.isEmpty { out += [0x5B, 0x5D]; return }
            out.append(0x5B)
            for (i, item) in a.items.enumerated() {
                if i > 0 { out.append(0x2C) }
                JSONWriter.appendNewline(to: &out, indent: indent, level: level + 1)
                try write(item, into: &out, indent: indent, level: level + 1)
            }
            JSONWriter.appendNewline(to: &out, indent: indent, level: level)
            out.append(0x5D)
        case .object(let o):
            if o.fields.isEmpty { out += [0x7B, 0x7D]; return }
            out.append(0x7B)
            var first = true
            for (key, item) in o.fields {
                if !first { out.append(0x2C) }
                first = false
                JSONWriter.appendNewline(to: &out, indent: indent, level: level + 1)
                JSONWriter.appendString(key, to: &out)
                out.append(0x3A)
                if indent != nil { out.append(0x20) }
                try write(item, into: &out, indent: indent, level: level + 1)
            }
            JSONWriter.appendNewline(to: &out, indent: indent, level: level)
            out.append(0x7D)
        }
    }
}

/// Base64 over "binary" strings as Node's `Buffer.from(s, 'binary')` and
/// `buf.toString('binary')` treat them: each UTF-16 code unit stands for its low byte, each
/// decoded byte becomes the code point U+0000–U+00FF. Decoding is lenient like Node's
/// (`Base64.decodeLenient`).
enum Base64Latin1 {
    static func encode(_ s: String) -> String {
        Base64.encode(s.utf16.map { UInt8(truncatingIfNeeded: $0) })
    }

    static func decode(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for byte in Base64.decodeLenient(s.utf8) { out.append(Unicode.Scalar(byte)) }
        return String(out)
    }
}

/// Substring search on UTF-8 bytes. For valid Unicode text the first occurrence found on bytes
/// is the first occurrence found on UTF-16 code units (UTF-8 is self-synchronising), so results
/// agree with JavaScript's `indexOf` while staying on bytes.
enum TextSearch {
    static func firstIndex(of needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        if needle.isEmpty { return from <= hay.count ? from : nil }
        guard hay.count >= needle.count else { return nil }
        let first = needle[0]
        var i = from
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == first {
                var j = 1
                while j < needle.count && hay[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
