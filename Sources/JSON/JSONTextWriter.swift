/// Appends JSON text to a byte buffer, for documents written on hot paths (event metadata,
/// idempotency results, the inbox's `MessageReceived` events), where building a value tree and
/// serializing it would cost more than the SQLite insert beside it.
public struct JSONTextWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 64) { bytes.reserveCapacity(capacity) }

    /// Writes `text` as is: punctuation and member names the caller knows to be valid JSON.
    public mutating func raw(_ text: StaticString) {
        JSONWriter.append(text, to: &bytes)
    }

    /// Writes `json`, which the caller has checked with `JSONText.validate`, as is.
    public mutating func validatedJSON(_ json: [UInt8]) {
        bytes.append(contentsOf: json)
    }

    public mutating func integer(_ value: Int64) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Writes `value` as a JSON string (`JSONWriter.appendString`'s escapes).
    public mutating func string(_ value: String) {
        JSONWriter.appendString(value, to: &bytes)
    }

    /// Writes `value` as `JSONValue.serialized()` does.
    public mutating func value(_ value: JSONValue) {
        JSONWriter.write(value, into: &bytes, indent: nil)
    }
}
