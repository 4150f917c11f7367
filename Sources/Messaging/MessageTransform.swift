import JSON
import Mapping

/// A compiled mapping a route applies to a message body. The mapping-file loader plugs in here
/// (`MappingFileTransform` wraps a `MappingFile`); tests and code can provide their own.
public protocol MessageTransform: Sendable {
    /// Recorded with every message it produced (and in dead letters).
    var mappingName: String { get }
    var mappingVersion: String { get }
    /// The mapped body, or nil when the mapping deliberately drops the message.
    func apply(_ input: JSONValue) throws -> JSONValue?
}

/// A `MappingFile` (YAML mapping with JSONata) as a route transform.
public struct MappingFileTransform: MessageTransform {
    public let file: MappingFile

    public init(_ file: MappingFile) { self.file = file }

    public var mappingName: String { file.name }
    public var mappingVersion: String { file.version }

    /// A runaway mapping (an unbounded recursion a partner's data triggers) must not hold up its
    /// route: past this it fails with U1001 and the message goes to the route's dead letters.
    public static let limits = JSONataExpression.Limits(timeLimitMilliseconds: 5_000)

    public func apply(_ input: JSONValue) throws -> JSONValue? {
        switch try file.apply(input, limits: Self.limits) {
        case .output(let value): value
        case .dropped: nil
        }
    }
}

/// A JSONata expression evaluated over a message document `{headers, body, split}` — a route's
/// `when`, a `split` expression, an aggregation's correlation or completion predicate.
public struct RouteExpression: Sendable, Equatable, CustomStringConvertible {
    public let source: String
    private let compiled: JSONataExpression

    /// - Throws: `JSONataError` with the position of the syntax error in `source`.
    public init(_ source: String) throws {
        self.source = source
        self.compiled = try JSONataExpression(source)
    }

    public func evaluate(_ document: JSONValue) throws -> JSONValue? {
        try compiled.evaluate(document)
    }

    /// JSONata's boolean cast (`$boolean`): undefined, null, false, 0, "", [] and {} are false.
    public func isTrue(for document: JSONValue) throws -> Bool {
        JSONataExpression.boolean(try evaluate(document))
    }

    public var description: String { source }

    /// Expressions of the same source text are the same expression.
    public static func == (a: RouteExpression, b: RouteExpression) -> Bool { a.source == b.source }
}
