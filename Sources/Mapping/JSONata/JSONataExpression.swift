/// A compiled JSONata expression (https://docs.jsonata.org): compile once, evaluate many times,
/// from any thread.
///
/// ```swift
/// let expr = try JSONataExpression("Account.Order.Product.(Price * Quantity) ~> $sum()")
/// let total = try expr.evaluate(try JSONValue(parsing: bytes))   // nil when undefined
/// ```
///
/// Errors are `JSONataError` values with JSONata's codes (S0xxx syntax at compile time;
/// T/D codes at evaluation; U1001 when the depth or time limit is exceeded).
public struct JSONataExpression: Sendable {
    /// The expression text as given.
    public let source: String
    let ast: Node

    /// Limits that keep a runaway expression from hanging or overflowing the stack.
    public struct Limits: Sendable {
        /// Maximum nesting of evaluation steps (recursion). Exceeding it raises U1001.
        public var maxDepth: Int
        /// Maximum evaluation time in milliseconds, nil for none. Exceeding it raises U1001.
        public var timeLimitMilliseconds: Int?
        public init(maxDepth: Int = 1000, timeLimitMilliseconds: Int? = nil) {
            self.maxDepth = maxDepth
            self.timeLimitMilliseconds = timeLimitMilliseconds
        }
        /// Default limits: depth 1000 (safe on a 512 KiB thread stack), no time limit.
        public static let standard = Limits()
    }

    /// Parses and prepares the expression. Throws `JSONataError` (S0xxx) on a syntax error,
    /// with the byte position in `source`.
    public init(_ source: String) throws {
        self.source = source
        self.ast = try Parser.parse(source)
    }

    /// Evaluates against `input` (nil = no input). `bindings` supplies variables by name without
    /// the `$` (`["rate": 1.2]` is `$rate` in the expression). Returns nil when the result is
    /// undefined.
    public func evaluate(_ input: JSONValue?, bindings: [String: JSONValue] = [:]) throws -> JSONValue? {
        try evaluate(input, bindings: bindings, limits: .standard)
    }

    /// `evaluate(_:bindings:)` with explicit limits.
    public func evaluate(_ input: JSONValue?, bindings: [String: JSONValue] = [:], limits: Limits) throws -> JSONValue? {
        let evaluator = Evaluator(maxDepth: limits.maxDepth, timeLimitMilliseconds: limits.timeLimitMilliseconds)
        let result = try evaluator.run(ast, input: input, bindings: bindings)
        return result?.json
    }
}
