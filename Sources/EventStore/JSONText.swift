/// Checks and navigates JSON text (RFC 8259) as bytes, without building values: what a transport
/// needs to refuse a malformed body with the byte offset, and what the inbox needs to embed a
/// body in an event and find it again byte for byte.
public enum JSONText {
    /// Where and why a text is not JSON.
    public struct SyntaxError: Error, Equatable, CustomStringConvertible {
        /// Zero-based byte offset of the first byte that is wrong.
        public let offset: Int
        public let reason: String
        public var description: String { "\(reason) at byte \(offset)" }

        init(_ failure: JSONCursor.Failure) {
            offset = failure.offset
            reason = failure.reason
        }
    }

    /// Checks that `bytes` hold exactly one JSON value (optionally surrounded by whitespace), with
    /// strings in well-formed UTF-8 (RFC 8259 §8.1).
    public static func validate(_ bytes: [UInt8]) throws(SyntaxError) {
        let failure = bytes.withUnsafeBytes { buffer -> JSONCursor.Failure? in
            do throws(JSONCursor.Failure) { try JSONCursor.validate(buffer); return nil } catch { return error }
        }
        if let failure { throw SyntaxError(failure) }
    }

    /// The byte range of the value of member `name` of the top-level object in `bytes`, or nil when
    /// the text is not an object or has no such member. The range covers the value's own text
    /// exactly, whitespace around it excluded.
    public static func memberRange(_ name: String, in bytes: [UInt8]) throws(SyntaxError) -> Range<Int>? {
        let result = bytes.withUnsafeBytes { buffer -> Result<Range<Int>?, JSONCursor.Failure> in
            do throws(JSONCursor.Failure) {
                var cursor = JSONCursor(buffer)
                guard cursor.consume(UInt8(ascii: "{")) else { return .success(nil) }
                if cursor.consume(UInt8(ascii: "}")) { return .success(nil) }
                repeat {
                    let key = try cursor.readString()
                    try cursor.expect(UInt8(ascii: ":"), "':' after an object key")
                    cursor.skipWhitespace()
                    let start = cursor.offset
                    try cursor.skipValue()
                    if key == name { return .success(start..<cursor.offset) }
                } while cursor.consume(UInt8(ascii: ","))
                return .success(nil)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let range): return range
        case .failure(let failure): throw SyntaxError(failure)
        }
    }
}
