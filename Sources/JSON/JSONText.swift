/// Checks and navigates JSON text (RFC 8259) as bytes, without building values: what a transport
/// needs to refuse a malformed body with the byte offset, and what the inbox needs to embed a
/// body in an event and find it again byte for byte.
public enum JSONText {
    /// Checks that `bytes` hold exactly one JSON value (optionally surrounded by whitespace), with
    /// strings in well-formed UTF-8 (RFC 8259 §8.1).
    public static func validate(_ bytes: [UInt8]) throws(JSONSyntaxError) {
        try JSONReader.reading(bytes) { reader throws(JSONSyntaxError) in
            try reader.skipValue()
            try reader.expectEnd()
        }
    }

    /// The byte range of the value of member `name` of the top-level object in `bytes`, or nil when
    /// the text is not an object or has no such member. The range covers the value's own text
    /// exactly, whitespace around it excluded.
    public static func memberRange(_ name: String, in bytes: [UInt8]) throws(JSONSyntaxError) -> Range<Int>? {
        try JSONReader.reading(bytes) { reader throws(JSONSyntaxError) -> Range<Int>? in
            guard reader.consume(UInt8(ascii: "{")) else { return nil }
            if reader.consume(UInt8(ascii: "}")) { return nil }
            repeat {
                let key = try reader.readString()
                try reader.expect(UInt8(ascii: ":"), "':' after an object key")
                reader.skipWhitespace()
                let start = reader.offset
                try reader.skipValue()
                if key == name { return start..<reader.offset }
            } while reader.consume(UInt8(ascii: ","))
            return nil
        }
    }
}
