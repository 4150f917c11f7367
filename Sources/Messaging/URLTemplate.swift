import JSON
import Mapping

/// A URL (or a query parameter value) with `{expression}` holes filled from each message: the
/// expressions are JSONata over `{headers, body}`, their values percent-encoded as RFC 3986 §2.3
/// says (everything but the unreserved characters), so a value never changes the URL's shape.
///
/// ```swift
/// let t = try URLTemplate("https://shop.example/admin/api/orders/{body.orderId}/fulfillments.json")
/// t.expand(["headers": [:], "body": ["orderId": "4711"]])   // …/orders/4711/fulfillments.json
/// ```
///
/// Braces nest (`{ $join([a, b], "-") }` is one hole); a text without holes is used as it is.
public struct URLTemplate: Sendable, Equatable, CustomStringConvertible {
    enum Part: Sendable, Equatable {
        case literal(String)
        case expression(RouteExpression)
    }

    let parts: [Part]
    public let source: String

    /// - Throws: `URLTemplateError` for an unclosed `{` or an expression that does not compile.
    public init(_ source: String) throws {
        self.source = source
        var parts: [Part] = []
        var literal = ""
        var chars = Array(source)[...]
        while let c = chars.popFirst() {
            guard c == "{" else {
                literal.append(c)
                continue
            }
            var depth = 1
            var text = ""
            var quote: Character?
            while depth > 0 {
                guard let d = chars.popFirst() else { throw URLTemplateError(template: source, problem: "a '{' is not closed") }
                if let q = quote {
                    if d == q { quote = nil }
                } else if d == "\"" || d == "'" {
                    quote = d
                } else if d == "{" {
                    depth += 1
                } else if d == "}" {
                    depth -= 1
                    if depth == 0 { break }
                }
                text.append(d)
            }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            do {
                parts.append(.expression(try RouteExpression(text)))
            } catch {
                throw URLTemplateError(template: source, problem: "'{\(text)}': \(error)")
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    /// True when it has no holes.
    public var isConstant: Bool { !parts.contains { if case .expression = $0 { true } else { false } } }

    /// The text for `document`; throws when a hole's expression fails or is undefined.
    public func expand(_ document: JSONValue) throws -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let s): out += s
            case .expression(let e):
                let value: JSONValue?
                do { value = try e.evaluate(document) } catch {
                    throw URLTemplateError(template: source, problem: "'{\(e.source)}' failed: \(error)")
                }
                switch value {
                case .string(let s)?: out += PercentEncoding.encodingAllButUnreserved(s)
                case .number?, .bool?: out += PercentEncoding.encodingAllButUnreserved(String(decoding: value!.serialized(), as: UTF8.self))
                case nil, .null?: throw URLTemplateError(template: source, problem: "'{\(e.source)}' is undefined for this message")
                case let other?: throw URLTemplateError(template: source, problem: "'{\(e.source)}' is \(other), not a string or number")
                }
            }
        }
        return out
    }

    public var description: String { source }
}

/// Why a URL template cannot be compiled or filled in.
public struct URLTemplateError: Error, Equatable, CustomStringConvertible {
    public var template: String
    public var problem: String
    public var description: String { "URL template '\(template)': \(problem)" }
}
