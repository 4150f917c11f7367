/// An ordered list of HTTP header fields that keeps repeated names and looks names up without
/// regard to ASCII case (RFC 9110 §5.1: field names are case-insensitive).
///
/// ```swift
/// var headers: HTTPHeaders = ["Content-Type": "application/json", "Accept": "application/json"]
/// headers.add(name: "X-Trace", value: "a")
/// headers.add(name: "x-trace", value: "b")
/// headers.values(for: "X-TRACE")  // ["a", "b"]
/// ```
public struct HTTPHeaders: Sendable, Hashable {
    /// One header field as it was added or received.
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The fields in the order they were added or received.
    public private(set) var fields: [Field]

    public init() {
        fields = []
    }

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// Appends a field, keeping any earlier field with the same name.
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field named `name` (any case) by one field with `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// Removes every field named `name` (any case).
    public mutating func remove(name: String) {
        fields.removeAll { Self.namesEqual($0.name, name) }
    }

    /// All values of the fields named `name` (any case), in order.
    public func values(for name: String) -> [String] {
        fields.compactMap { Self.namesEqual($0.name, name) ? $0.value : nil }
    }

    /// The first value of the fields named `name` (any case).
    public func first(_ name: String) -> String? {
        fields.first { Self.namesEqual($0.name, name) }?.value
    }

    /// The first value of the fields named `name` (any case); same as ``first(_:)``.
    public subscript(name: String) -> String? {
        first(name)
    }

    /// Whether a field named `name` (any case) is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { Self.namesEqual($0.name, name) }
    }

    /// The fields as one map: names lowercased, the values of repeated names joined with ", "
    /// (RFC 9110 §5.3), for documents that expressions read (`headers.content-type`).
    public var combinedByLowercasedName: [String: String] {
        var map: [String: String] = [:]
        for field in fields {
            let name = field.name.lowercased()
            map[name] = map[name].map { "\($0), \(field.value)" } ?? field.value
        }
        return map
    }

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }

    /// ASCII case-insensitive comparison of field names; field names are tokens (RFC 9110 §5.1),
    /// so no Unicode case folding is wanted.
    static func namesEqual(_ a: String, _ b: String) -> Bool {
        var left = a.utf8.makeIterator()
        var right = b.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil):
                return true
            case let (l?, r?):
                if asciiLower(l) != asciiLower(r) { return false }
            default:
                return false
            }
        }
    }

    @inline(__always)
    static func asciiLower(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte | 0x20 : byte
    }
}

extension HTTPHeaders: ExpressibleByDictionaryLiteral {
    /// Repeated keys in the literal are kept as repeated fields.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }
}

extension HTTPHeaders: Sequence {
    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }
}

extension HTTPHeaders: CustomStringConvertible {
    /// Lists the fields with the values of credential-bearing fields hidden, so that headers can be
    /// logged without leaking secrets.
    public var description: String {
        let shown = fields.map { field in
            "\(field.name): \(HTTPHeaders.isSensitive(field.name) ? "<redacted>" : field.value)"
        }
        return "[" + shown.joined(separator: ", ") + "]"
    }

    /// Field names whose values are credentials (RFC 9110 §11.6, §11.7) or commonly carry them.
    static func isSensitive(_ name: String) -> Bool {
        ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]
            .contains { namesEqual($0, name) }
    }
}
