import JSON

/// One difference between an expected and an actual JSON document, at a JSONPath-style location:
///
/// ```
/// $.lines[3].sku: expected "A-1", got "A-2"
/// $.customer.phone: missing (expected "+1 555 0100")
/// $.totals.discount: unexpected (got 0)
/// ```
///
/// Objects compare by members regardless of order; arrays compare item by item; numbers compare
/// as IEEE doubles (as JSONata computes them).
public struct JSONDifference: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Both have a value here, and they differ.
        case changed(expected: JSONValue, got: JSONValue)
        /// The expected document has a value here, the actual one has none.
        case missing(expected: JSONValue)
        /// The actual document has a value here that the expected one does not.
        case unexpected(got: JSONValue)
    }

    /// `$`, `$.lines[3].sku`, `$["odd key"]`.
    public let path: String
    public let kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    public var description: String {
        switch kind {
        case .changed(let expected, let got): "\(path): expected \(Self.excerpt(expected)), got \(Self.excerpt(got))"
        case .missing(let expected): "\(path): missing (expected \(Self.excerpt(expected)))"
        case .unexpected(let got): "\(path): unexpected (got \(Self.excerpt(got)))"
        }
    }

    /// Every difference between `expected` and `actual`, in the expected document's order
    /// (unexpected object members after the expected ones).
    public static func differences(expected: JSONValue, actual: JSONValue) -> [JSONDifference] {
        var out: [JSONDifference] = []
        compare(expected, actual, path: "$", into: &out)
        return out
    }

    private static func compare(_ expected: JSONValue, _ actual: JSONValue, path: String, into out: inout [JSONDifference]) {
        switch (expected, actual) {
        case (.object(let e), .object(let a)):
            for (key, value) in e {
                let child = path + member(key)
                if let other = a[key] {
                    compare(value, other, path: child, into: &out)
                } else {
                    out.append(JSONDifference(path: child, kind: .missing(expected: value)))
                }
            }
            for (key, value) in a where e[key] == nil {
                out.append(JSONDifference(path: path + member(key), kind: .unexpected(got: value)))
            }
        case (.array(let e), .array(let a)):
            for i in 0..<max(e.count, a.count) {
                let child = "\(path)[\(i)]"
                let x: JSONValue? = i < e.count ? e[i] : Optional.none
                let y: JSONValue? = i < a.count ? a[i] : Optional.none
                switch (x, y) {
                case let (x?, y?): compare(x, y, path: child, into: &out)
                case let (x?, .none): out.append(JSONDifference(path: child, kind: .missing(expected: x)))
                case let (.none, y?): out.append(JSONDifference(path: child, kind: .unexpected(got: y)))
                case (.none, .none): break
                }
            }
        default:
            if expected != actual {
                out.append(JSONDifference(path: path, kind: .changed(expected: expected, got: actual)))
            }
        }
    }

    /// `.name` for identifier-like keys, `["odd key"]` otherwise.
    private static func member(_ key: String) -> String {
        let bytes = Array(key.utf8)
        let plain = !bytes.isEmpty && bytes.enumerated().allSatisfy { i, b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || b == 0x24 || (i > 0 && b >= 0x30 && b <= 0x39)
        }
        return plain ? ".\(key)" : "[\(JSONValue.string(key).jsonString)]"
    }

    /// Compact JSON of `value`, cut to about 80 characters so that a diff line stays readable.
    static func excerpt(_ value: JSONValue, limit: Int = 80) -> String {
        let text = value.jsonString
        guard text.unicodeScalars.count > limit else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit))) + "…"
    }
}
