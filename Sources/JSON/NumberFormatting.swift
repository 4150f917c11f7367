#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place where numbers become text, following ECMAScript's Number::toString
/// (ECMA-262 §6.1.6.1.20): shortest round-trip digits, plain notation for exponents in
/// [-7, 21), exponent notation ("1e+21", "1.5e-7") outside, "-0" printed as "0".
public enum NumberFormatting {
    /// JavaScript's `String(x)` / `JSON.stringify(x)` for a finite double.
    /// Non-finite values give "null" (what JSON.stringify writes).
    public static func javaScript(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == 0 { return "0" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        let (neg, digits, n) = decompose(x)
        return layout(neg: neg, digits: digits, n: n)
    }

    /// `javaScript(x)` appended to `out` as UTF-8. Integers and numbers Swift already prints in
    /// plain notation are written without the intermediate arrays and strings of the general
    /// layout (a JSON writer formats every number it meets).
    @inlinable
    public static func appendJavaScript<Output: JSONOutput & ~Copyable>(_ x: Double, to out: inout Output) {
        if x == x.rounded(), abs(x) < 1e15 {
            // Also 0 and -0 (both "0"); NaN fails the comparison and infinities the bound.
            if x < 0 { out.append(UInt8(ascii: "-")) }
            appendDigits(UInt64(abs(x)), to: &out)
            return
        }
        let magnitude = abs(x)
        if magnitude < 1e9 {
            // Amounts with one or two decimals (prices, weights). When `cents / 100` (the double
            // nearest to the decimal I.FF) is x, "I.FF" reads back as x; below 10^9 a double's
            // spacing is under 10^-6, so no text with fewer digits does, and I.FF without a
            // trailing zero is the shortest round-trip text Number::toString writes.
            let cents = (magnitude * 100).rounded()
            if cents / 100 == magnitude {
                let whole = UInt64(cents)
                if x < 0 { out.append(UInt8(ascii: "-")) }
                appendDigits(whole / 100, to: &out)
                out.append(UInt8(ascii: "."))
                let fraction = UInt8(whole % 100)  // not 0: x is not an integer
                out.append(UInt8(ascii: "0") + fraction / 10)
                if fraction % 10 != 0 { out.append(UInt8(ascii: "0") + fraction % 10) }
                return
            }
        }
        appendGeneral(x, to: &out)
    }

    /// The decimal digits of `magnitude` (below 10^16).
    @inlinable @inline(__always)
    static func appendDigits<Output: JSONOutput & ~Copyable>(_ magnitude: UInt64, to out: inout Output) {
        var magnitude = magnitude
        var digits: (UInt64, UInt64) = (0, 0)  // room for 16 digits, filled from the end
        withUnsafeMutableBytes(of: &digits) { buffer in
            var i = 16
            repeat {
                i -= 1
                buffer[i] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(UnsafeRawBufferPointer(rebasing: buffer[i..<16]))
        }
    }

    /// `appendJavaScript` for a number that is not an integer below 10^15.
    @inlinable
    static func appendGeneral<Output: JSONOutput & ~Copyable>(_ x: Double, to out: inout Output) {
        if x.isFinite, x != x.rounded() {
            // Outside exponent notation, Swift's shortest round-trip text of a number that is
            // not an integer is ECMAScript's: the same digits, sign and decimal point (Swift
            // writes large integers as "1000000000000000.0", so they take the general layout).
            var text = x.description
            let plain: Bool = text.withUTF8 { utf8 in
                guard !utf8.contains(UInt8(ascii: "e")) else { return false }
                out.append(UnsafeRawBufferPointer(utf8))
                return true
            }
            if plain { return }
        }
        var text = javaScript(x)
        text.withUTF8 { out.append(UnsafeRawBufferPointer($0)) }
    }

    /// `Number(x.toPrecision(15))` then `String(...)`: what JSONata's `$string` does to numbers so
    /// that 0.1+0.2 prints as "0.3".
    public static func precision15(_ x: Double) -> String {
        javaScript(roundedTo15(x))
    }

    /// The double nearest to `x` written with 15 significant digits.
    public static func roundedTo15(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x }
        var buf = [CChar](repeating: 0, count: 40)
        let len = buf.withUnsafeMutableBufferPointer { p -> Int32 in
            withVaList([x]) { vsnprintf(p.baseAddress, 40, "%.14e", $0) }
        }
        let s = String(decoding: buf[0..<Int(len)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return Double(s) ?? x
    }

    /// Sign, shortest significant digits (no leading/trailing zeros) and the decimal exponent n
    /// such that x = 0.d1d2…dk × 10^n.
    static func decompose(_ x: Double) -> (Bool, [UInt8], Int) {
        let text = Array(abs(x).description.utf8)  // Swift prints the shortest round-trip digits
        var mantissa = text[...]
        var exp10 = 0
        if let e = text.firstIndex(of: UInt8(ascii: "e")) {
            mantissa = text[..<e]
            exp10 = Int(String(decoding: text[(e + 1)...], as: UTF8.self)) ?? 0
        }
        var intPart = mantissa[...]
        var frac: ArraySlice<UInt8> = []
        if let dot = mantissa.firstIndex(of: UInt8(ascii: ".")) {
            intPart = mantissa[..<dot]
            frac = mantissa[(dot + 1)...]
        }
        var digits: [UInt8] = []
        var n: Int
        let intDigits = intPart.drop(while: { $0 == UInt8(ascii: "0") })
        if intDigits.isEmpty {
            let lead = frac.prefix(while: { $0 == UInt8(ascii: "0") }).count
            digits = Array(frac.dropFirst(lead))
            n = -lead + exp10
        } else {
            digits = Array(intDigits) + Array(frac)
            n = intDigits.count + exp10
        }
        while let l = digits.last, l == UInt8(ascii: "0") { digits.removeLast() }
        if digits.isEmpty { digits = [UInt8(ascii: "0")]; n = 1 }
        return (x < 0, digits, n)
    }

    static func layout(neg: Bool, digits: [UInt8], n: Int) -> String {
        var out: [UInt8] = neg ? [UInt8(ascii: "-")] : []
        let k = digits.count
        if k <= n && n <= 21 {
            out += digits
            out += [UInt8](repeating: UInt8(ascii: "0"), count: n - k)
        } else if 0 < n && n <= 21 {
            out += digits[0..<n]
            out.append(UInt8(ascii: "."))
            out += digits[n...]
        } else if -6 < n && n <= 0 {
            out += Array("0.".utf8)
            out += [UInt8](repeating: UInt8(ascii: "0"), count: -n)
            out += digits
        } else {
            out.append(digits[0])
            if k > 1 {
                out.append(UInt8(ascii: "."))
                out += digits[1...]
            }
            out.append(UInt8(ascii: "e"))
            let e = n - 1
            out.append(e < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            out += Array(String(abs(e)).utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
