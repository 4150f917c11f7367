import Codecs
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
