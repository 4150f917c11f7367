import OrderedCollections

/// Writes JSON text as JavaScript's `JSON.stringify` does (same escapes, same number text): the
/// one writer and string escaper of the code base. `JSONValue.serialized()`, `JSONTextWriter`,
/// JSONata's `$string` and the log lines all write through it, so a string is escaped the same
/// way wherever it goes.
public enum JSONWriter {
    /// Appends `value`; `indent` spaces per level when given (pretty), compact when nil.
    @inlinable
    public static func write<Output: JSONOutput & ~Copyable>(_ value: JSONValue, into out: inout Output, indent: Int?, level: Int = 0) {
        switch value {
        case .null: append("null", to: &out)
        case .bool(let b): append(b ? "true" : "false", to: &out)
        case .number(let d): NumberFormatting.appendJavaScript(d, to: &out)
        case .string(let s): appendString(s, to: &out)
        case .array(let a):
            if a.isEmpty { append("[]", to: &out); return }
            out.append(UInt8(ascii: "["))
            for (i, e) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendNewline(to: &out, indent: indent, level: level + 1)
                write(e, into: &out, indent: indent, level: level + 1)
            }
            appendNewline(to: &out, indent: indent, level: level)
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            if o.isEmpty { append("{}", to: &out); return }
            out.append(UInt8(ascii: "{"))
            var first = true
            for (k, e) in o {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                appendNewline(to: &out, indent: indent, level: level + 1)
                appendString(k, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(0x20) }
                write(e, into: &out, indent: indent, level: level + 1)
            }
            appendNewline(to: &out, indent: indent, level: level)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A line break and `indent × level` spaces, when pretty-printing (nothing when `indent` is nil).
    @inlinable @inline(__always)
    public static func appendNewline<Output: JSONOutput & ~Copyable>(to out: inout Output, indent: Int?, level: Int) {
        guard let indent else { return }
        out.append(0x0A)
        for _ in 0..<(indent * level) { out.append(0x20) }
    }

    /// Appends `text` as a JSON string literal with the escapes `JSON.stringify` uses: `\"`,
    /// `\\`, `\b \f \n \r \t`, and `\u00XX` for the other control characters (RFC 8259 §7).
    /// Everything else, non-ASCII included, is written as UTF-8.
    @inlinable
    public static func appendString<Output: JSONOutput & ~Copyable>(_ text: String, to out: inout Output) {
        var text = text
        text.withUTF8 { utf8 in
            let raw = UnsafeRawBufferPointer(utf8)
            out.append(UInt8(ascii: "\""))
            // Most strings (ids, names, header values) need no escape: copied in one go after
            // a scan eight bytes at a time.
            let clean = firstEscape(in: raw)
            if clean == raw.count {
                out.append(raw)
            } else {
                out.append(UnsafeRawBufferPointer(rebasing: raw[..<clean]))
                for byte in raw[clean...] {
                    if needsEscape(byte) { appendEscape(byte, to: &out) } else { out.append(byte) }
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    /// The index of the first byte that needs an escape, or the count when none does.
    @inlinable @inline(__always)
    static func firstEscape(in raw: UnsafeRawBufferPointer) -> Int {
        var i = 0
        while i + 8 <= raw.count {
            let flagged = ByteWord.quoteBackslashOrControl(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            if flagged != 0 { return i + flagged.trailingZeroBitCount >> 3 }
            i += 8
        }
        if i < raw.count, raw.count >= 8 {
            // The last eight bytes in one load, the ones already scanned masked off.
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: raw.count - 8, as: UInt64.self))
            let seen = 8 - (raw.count - i)
            let flagged = ByteWord.quoteBackslashOrControl(word) & (~0 << UInt64(seen * 8))
            return flagged == 0 ? raw.count : raw.count - 8 + flagged.trailingZeroBitCount >> 3
        }
        while i < raw.count, !needsEscape(raw[i]) { i += 1 }
        return i
    }

    /// `text` as a quoted, escaped JSON string.
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        appendString(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @inlinable @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    @inlinable
    static func appendEscape<Output: JSONOutput & ~Copyable>(_ byte: UInt8, to out: inout Output) {
        switch byte {
        case UInt8(ascii: "\""): append("\\\"", to: &out)
        case UInt8(ascii: "\\"): append("\\\\", to: &out)
        case 0x08: append("\\b", to: &out)
        case 0x0C: append("\\f", to: &out)
        case 0x0A: append("\\n", to: &out)
        case 0x0D: append("\\r", to: &out)
        case 0x09: append("\\t", to: &out)
        default:
            append("\\u00", to: &out)
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
    }

    @usableFromInline static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    @inlinable @inline(__always)
    public static func append<Output: JSONOutput & ~Copyable>(_ text: StaticString, to out: inout Output) {
        out.append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
