import JSON
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// JSONata's numeric functions (docs.jsonata.org/numeric-functions): `$number $abs $floor $ceil
/// $round $power $sqrt $random $formatBase`. `$formatNumber $formatInteger $parseInteger` are in
/// `NumberFormatFunctions.swift`, the aggregations in `AggregationFunctions.swift`.
enum NumericFunctions {
    static let functions: [NativeFunction] = [
        NativeFunction("number", "<(nsb)-:n>", arity: 1) { args, ctx in
            guard let arg = args[0] else { return nil }
            switch arg {
            case .number: return arg
            case .bool(let b): return .number(b ? 1 : 0)
            case .string(let s):
                if let d = JavaScriptNumbers.number(fromJSONataString: s) { return .number(d) }
                throw ctx.error("D3030", "Unable to cast value to a number: \"\(s)\"")
            default:
                throw ctx.error("D3030", "Unable to cast value to a number")
            }
        },
        NativeFunction("abs", "<n-:n>", arity: 1) { args, _ in
            guard let d = args[0]?.numberValue else { return nil }
            return .number(abs(d))
        },
        NativeFunction("floor", "<n-:n>", arity: 1) { args, _ in
            guard let d = args[0]?.numberValue else { return nil }
            return .number(d.rounded(.down))
        },
        NativeFunction("ceil", "<n-:n>", arity: 1) { args, _ in
            guard let d = args[0]?.numberValue else { return nil }
            return .number(d.rounded(.up))
        },
        NativeFunction("round", "<n-n?:n>", arity: 2) { args, _ in
            guard let d = args[0]?.numberValue else { return nil }
            return .number(JavaScriptNumbers.roundHalfEven(d, precision: args[1]?.numberValue))
        },
        NativeFunction("power", "<n-n:n>", arity: 2) { args, ctx in
            guard let base = args[0]?.numberValue else { return nil }
            let exponent = args[1]?.numberValue ?? .nan
            let result = JavaScriptNumbers.pow(base, exponent)
            guard result.isFinite else {
                throw ctx.error(
                    "D3061",
                    "The power function has resulted in a value that cannot be represented as a JSON number: base=\(NumberFormatting.javaScript(base)), exponent=\(NumberFormatting.javaScript(exponent))"
                )
            }
            return .number(result)
        },
        NativeFunction("sqrt", "<n-:n>", arity: 1) { args, ctx in
            guard let d = args[0]?.numberValue else { return nil }
            if d < 0 {
                throw ctx.error("D3060", "The sqrt function cannot be applied to a negative number: \(NumberFormatting.javaScript(d))")
            }
            return .number(d.squareRoot())
        },
        NativeFunction("random", "<:n>", arity: 0) { _, _ in
            .number(Double.random(in: 0..<1))
        },
        NativeFunction("formatBase", "<n-n?:s>", arity: 2) { args, ctx in
            guard let d = args[0]?.numberValue else { return nil }
            let value = JavaScriptNumbers.roundHalfEven(d, precision: nil)
            let radix = args[1]?.numberValue.map { JavaScriptNumbers.roundHalfEven($0, precision: nil) } ?? 10
            guard radix >= 2, radix <= 36 else {
                throw ctx.error(
                    "D3100", "The radix of the formatBase function must be between 2 and 36.  It was given \(NumberFormatting.javaScript(radix))")
            }
            return .string(JavaScriptNumbers.string(value, radix: Int(radix)))
        },
    ]

    /// A numeric result, or D1001 when it is not a finite number.
    static func finite(_ d: Double, _ ctx: CallContext) throws -> Value {
        guard d.isFinite else { throw ctx.error("D1001", "Number out of range: \(d)") }
        return .number(d)
    }
}

/// JavaScript number behaviours the built-in functions reproduce.
enum JavaScriptNumbers {
    /// `$number(string)`: a JSON-style decimal (`-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?`) that is
    /// finite, or a `0x`/`0o`/`0b` integer literal; nil otherwise.
    static func number(fromJSONataString s: String) -> Double? {
        // Decimal text, the usual case (prices in webhooks): read in place, without the copies
        // and the C string that `Double(String)` makes. Leading zeros ("007"), which JSON
        // refuses, go to `Double(String)` as before.
        var utf8Text = s
        let decimal: Double?? = utf8Text.withUTF8 { utf8 in
            let b = UnsafeRawBufferPointer(utf8)
            guard isJSONDecimal(b) else { return nil }
            guard let d = JSONReader.number(wholeText: b) ?? Double(s), d.isFinite else { return .some(nil) }
            return .some(d)
        }
        if let decimal { return decimal }
        let b = Array(s.utf8)
        // jsonata-js tests /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/ — the anchors bind
        // to the first and last alternatives only — then converts with Number(), which accepts
        // surrounding white space and nothing else.
        let text = String(decoding: b, as: UTF8.self)
        let hexAtStart = b.count > 2 && b[0] == UInt8(ascii: "0") && (b[1] | 0x20) == UInt8(ascii: "x") && isHexDigit(b[2])
        let octalAnywhere = text.range(of: "0[oO][0-7]", options: .regularExpression) != nil
        let binaryAtEnd = text.range(of: "0[bB][01]+$", options: .regularExpression) != nil
        guard hexAtStart || octalAnywhere || binaryAtEnd else { return nil }
        let t = Array(b.drop(while: isJSWhiteSpace).reversed().drop(while: isJSWhiteSpace).reversed())
        guard t.count > 2, t[0] == UInt8(ascii: "0") else { return nil }
        let radix: Double
        switch t[1] | 0x20 {
        case UInt8(ascii: "x"): radix = 16
        case UInt8(ascii: "o"): radix = 8
        case UInt8(ascii: "b"): radix = 2
        default: return nil
        }
        var value = 0.0
        for c in t[2...] {
            let digit: Double
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Double(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = Double(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = Double(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            guard digit < radix else { return nil }
            value = value * radix + digit
        }
        return value.isFinite ? value : nil
    }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "f"))
    }

    private static func isJSONDecimal(_ b: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        func digits() -> Bool {
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            return i > start
        }
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        guard digits() else { return false }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() else { return false }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() else { return false }
        }
        return i == b.count
    }

    static func isJSWhiteSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0B || c == 0x0C || c == 0x0D
    }

    /// `parseInt(s, 10)`: leading white space, an optional sign, then as many decimal digits as
    /// there are; nil (NaN) when there are none.
    static func parseInt(_ s: String) -> Double? {
        var b = Array(s.utf8)[...]
        while let c = b.first, isJSWhiteSpace(c) { b = b.dropFirst() }
        var negative = false
        if let c = b.first, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
            negative = c == UInt8(ascii: "-")
            b = b.dropFirst()
        }
        var value = 0.0
        var any = false
        for c in b {
            guard c >= 0x30, c <= 0x39 else { break }
            value = value * 10 + Double(c - 0x30)
            any = true
        }
        guard any else { return nil }
        return negative ? -value : value
    }

    /// JSONata's `$round`: round half to even at `precision` decimal places (negative: to tens,
    /// hundreds…). The decimal point is shifted in the decimal text of the number, not by
    /// multiplying, so that 4.525 rounds as the decimal 4.525 (to 4.52) — as jsonata-js does.
    static func roundHalfEven(_ x: Double, precision: Double?) -> Double {
        guard x.isFinite else { return x }
        let places: Int? = precision.flatMap { p in
            guard p.isFinite, p != 0 else { return nil }
            return Int(max(-400, min(400, p.rounded(.towardZero))))
        }
        var arg = x
        if let places { arg = shiftDecimal(x, by: places) }
        var result = jsMathRound(arg)
        if abs(result - arg) == 0.5, abs(result.truncatingRemainder(dividingBy: 2)) == 1 {
            result -= 1
        }
        if let places { result = shiftDecimal(result, by: -places) }
        if result == 0 { result = 0 }  // no negative zero in JSON
        return result
    }

    /// `x × 10^places` computed on the decimal text ("4.525e2"), exactly as written.
    private static func shiftDecimal(_ x: Double, by places: Int) -> Double {
        let text = NumberFormatting.javaScript(x)
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = (parts.count > 1 ? Int(parts[1]) ?? 0 : 0) + places
        return Double("\(parts[0])e\(exponent)") ?? .nan
    }

    /// `Math.round`: nearest integer, halves towards +∞.
    static func jsMathRound(_ x: Double) -> Double {
        guard x.isFinite else { return x }
        let f = x.rounded(.down)
        return x - f >= 0.5 ? f + 1 : f
    }

    /// `Math.pow` (IEEE pow except that a NaN exponent or 1^±∞ gives NaN).
    static func pow(_ base: Double, _ exponent: Double) -> Double {
        if exponent.isNaN { return .nan }
        if abs(base) == 1 && exponent.isInfinite { return .nan }
        #if canImport(Glibc)
        return Glibc.pow(base, exponent)
        #else
        return Darwin.pow(base, exponent)
        #endif
    }

    /// `Number.prototype.toString(radix)` for an integral value, as V8 writes it: digits beyond
    /// the 53 bits of precision come out as zeros.
    static func string(_ value: Double, radix: Int) -> String {
        if radix == 10 || !value.isFinite { return NumberFormatting.javaScript(value) }
        if value == 0 { return "0" }
        let digits: [UInt8] = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)
        let r = Double(radix)
        var integer = abs(value).rounded(.down)
        var out: [UInt8] = []
        while integer / r >= 9_007_199_254_740_992 {  // 2^53: no integer digits left below
            integer /= r
            out.append(UInt8(ascii: "0"))
        }
        repeat {
            let remainder = integer.truncatingRemainder(dividingBy: r)
            out.append(digits[Int(remainder)])
            integer = (integer - remainder) / r
        } while integer > 0
        if value < 0 { out.append(UInt8(ascii: "-")) }
        return String(decoding: out.reversed(), as: UTF8.self)
    }

    /// `Number.prototype.toFixed(digits)` for a finite value below 1e21 (above, JavaScript
    /// falls back to `String(x)`). Uses the exact binary value, so halfway cases can only arise
    /// for exactly representable halves, which JavaScript rounds up in magnitude.
    static func toFixed(_ x: Double, _ digits: Int) -> String {
        if !x.isFinite || abs(x) >= 1e21 { return NumberFormatting.javaScript(x) }
        let digits = max(0, min(100, digits))
        // An exactly representable half at the rounding position: round away from zero, as
        // toFixed picks the larger n.
        let scaled = abs(x) * powerOfTen(digits)
        var value = x
        if scaled.isFinite, scaled - scaled.rounded(.down) == 0.5, scaled < 9.0e15 {
            let up = (scaled.rounded(.down) + 1) / powerOfTen(digits)
            value = x < 0 ? -up : up
        }
        var buf = [CChar](repeating: 0, count: 160)
        let len = buf.withUnsafeMutableBufferPointer { p -> Int32 in
            withVaList([Int32(digits), value]) { vsnprintf(p.baseAddress, 160, "%.*f", $0) }
        }
        var text = String(decoding: buf[0..<Int(max(0, min(159, len)))].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { text.removeFirst() }
        return text
    }

    private static func powerOfTen(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<n { r *= 10 }
        return r
    }
}
