import JSON

extension Value {
    /// Appends the compact JSON text of `json?.serialized()` without building the `JSONValue`
    /// tree first (the bytes-to-bytes path): the same text, the same rules — a function is
    /// `null` inside an array, left out of an object, and undefined (nothing written, false
    /// returned) at the top.
    @discardableResult
    func writeJSON(into out: inout JSONByteBuffer) -> Bool {
        switch self {
        case .null: JSONWriter.append("null", to: &out)
        case .bool(let b): JSONWriter.append(b ? "true" : "false", to: &out)
        case .number(let d): NumberFormatting.appendJavaScript(d, to: &out)
        case .string(let s): JSONWriter.appendString(s, to: &out)
        case .array(let a):
            if let untouched = a.untouchedSource {
                JSONWriter.write(.array(untouched), into: &out, indent: nil)
                return true
            }
            out.append(UInt8(ascii: "["))
            for (i, item) in a.items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if !item.writeJSON(into: &out) { JSONWriter.append("null", to: &out) }
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            if let untouched = o.untouchedSource {
                JSONWriter.write(.object(untouched), into: &out, indent: nil)
                return true
            }
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in o.fields where !value.isFunction {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONWriter.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                value.writeJSON(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .function: return false
        }
        return true
    }
}
