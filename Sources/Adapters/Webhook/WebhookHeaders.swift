/// Request header fields in arrival order, looked up by case-insensitive name (RFC 9110 §5.1).
public struct WebhookHeaders: Sendable, ExpressibleByDictionaryLiteral {
    public var fields: [(name: String, value: String)]

    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// Every value of the fields named `name`, in order, with optional whitespace around the value
    /// removed (RFC 9110 §5.5: leading and trailing SP/HTAB are not part of the field value).
    public func values(named name: String) -> [String] {
        fields.compactMap { field in
            field.name.equalsIgnoringASCIICase(name) ? field.value.trimmingOptionalWhitespace() : nil
        }
    }

    /// The value of `name` when it occurs exactly once; `nil` when absent.
    /// Throws when the field is repeated, because for a signature, timestamp or id two values are
    /// ambiguous, and picking one would let a forwarder or attacker choose which one counts.
    public func singleValue(named name: String) throws(WebhookVerificationError) -> String? {
        let found = values(named: name)
        guard found.count <= 1 else { throw .repeatedHeader(name: name, count: found.count) }
        return found.first
    }
}

extension String {
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        let left = utf8, right = other.utf8
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { $0.asciiLowercased == $1.asciiLowercased }
    }

    func hasPrefixIgnoringASCIICase(_ prefix: String) -> Bool {
        let bytes = utf8, head = prefix.utf8
        guard bytes.count >= head.count else { return false }
        return zip(bytes, head).allSatisfy { $0.asciiLowercased == $1.asciiLowercased }
    }

    /// Strips SP and HTAB only, the "OWS" of RFC 9110 §5.6.3.
    func trimmingOptionalWhitespace() -> String {
        let bytes = Array(utf8)
        let isOWS: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = bytes.firstIndex(where: { !isOWS($0) }),
            let last = bytes.lastIndex(where: { !isOWS($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}

extension UInt8 {
    var asciiLowercased: UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self) ? self + 0x20 : self
    }
}
