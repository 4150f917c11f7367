import OrderedCollections

/// A JSON document as the mapping engine sees it: objects keep insertion order (output order
/// matters to partners), numbers are IEEE doubles as in JSONata/JavaScript.
///
/// Build one by parsing bytes (`JSONValue(parsing:)`), from literals, or with the cases directly;
/// write one with `serialized()` / `jsonString`.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(OrderedDictionary<String, JSONValue>)

    /// Parses a complete JSON text (RFC 8259). Throws `JSONSyntaxError` naming the byte offset.
    ///
    /// - Parameter replacingLoneSurrogates: read a `\u` escape of half a surrogate pair as
    ///   U+FFFD, as JavaScript-made text may hold them, instead of refusing the text.
    public init(parsing bytes: some Collection<UInt8>, replacingLoneSurrogates: Bool = false) throws(JSONSyntaxError) {
        self = try JSONParser.parse(bytes, replacingLoneSurrogates: replacingLoneSurrogates)
    }

    /// Parses a JSON text given as a string.
    public init(parsing text: String) throws(JSONSyntaxError) {
        self = try JSONParser.parse(text.utf8)
    }

    /// The compact JSON encoding, numbers formatted as JavaScript's `JSON.stringify` does.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        JSONWriter.write(self, into: &out, indent: nil, level: 0)
        return out
    }

    /// The JSON encoding, optionally indented by two spaces per level.
    public func serialized(pretty: Bool) -> [UInt8] {
        var out: [UInt8] = []
        JSONWriter.write(self, into: &out, indent: pretty ? 2 : nil, level: 0)
        return out
    }

    /// `serialized()` as a String.
    public var jsonString: String { String(decoding: serialized(), as: UTF8.self) }

    // MARK: Accessors

    public var isNull: Bool { if case .null = self { return true } else { return false } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var doubleValue: Double? { if case .number(let d) = self { return d } else { return nil } }
    /// The number as an Int when it is integral and in range.
    public var intValue: Int? {
        guard case .number(let d) = self, d.rounded() == d, abs(d) < 9.2e18 else { return nil }
        return Int(d)
    }
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: OrderedDictionary<String, JSONValue>? {
        if case .object(let o) = self { return o } else { return nil }
    }

    /// Member of an object (nil when absent or not an object).
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] } else { return nil }
    }

    /// Element of an array (nil when out of range or not an array).
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] } else { return nil }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var o = OrderedDictionary<String, JSONValue>()
        for (k, v) in elements { o[k] = v }
        self = .object(o)
    }
}

extension JSONValue: CustomStringConvertible {
    public var description: String { jsonString }
}

extension JSONValue {
    /// An object from string pairs, keys sorted so the encoding is the same every time.
    public static func stringMap(_ map: [String: String]) -> JSONValue {
        var o = OrderedDictionary<String, JSONValue>()
        for key in map.keys.sorted() { o[key] = .string(map[key]!) }
        return .object(o)
    }
}
