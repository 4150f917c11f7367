import JSON

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

    /// Limits that keep a runaway expression from hanging or overflowing the stack. Exceeding
    /// any of them raises `JSONataError` U1001.
    public struct Limits: Sendable {
        /// Maximum nesting of evaluation steps (what jsonata-js counts as depth).
        public var maxDepth: Int
        /// Maximum evaluation time in milliseconds, nil for none.
        public var timeLimitMilliseconds: Int?
        /// Stack the evaluation may use below the point where `evaluate` is called. The default
        /// (4 MiB, roughly 1,200 levels of non-tail recursion in a release build) fits the 8 MiB
        /// stacks that Linux gives the main thread, Dispatch workers and Swift's cooperative
        /// pool; lower it on threads with smaller stacks (512 KiB on Apple platforms).
        public var stackBudgetBytes: Int
        public init(maxDepth: Int = 10_000, timeLimitMilliseconds: Int? = nil, stackBudgetBytes: Int = 4 << 20) {
            self.maxDepth = maxDepth
            self.timeLimitMilliseconds = timeLimitMilliseconds
            self.stackBudgetBytes = stackBudgetBytes
        }
        /// Depth 10,000, no time limit, 4 MiB of stack.
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
        let evaluator = Evaluator(maxDepth: limits.maxDepth, timeLimitMilliseconds: limits.timeLimitMilliseconds, stackBudgetBytes: limits.stackBudgetBytes)
        let result = try evaluator.run(ast, input: input, bindings: bindings)
        return result?.json
    }

    /// Bytes to bytes: evaluates against the JSON text `input` and returns the result as compact
    /// JSON text (nil when undefined). The text is checked whole, as `JSONValue(parsing:)` checks
    /// it, but read through a `JSONTape`: only the members the expression uses become values.
    ///
    /// - Throws: `JSONSyntaxError` for a text that is not JSON, `JSONataError` as `evaluate`.
    public func evaluate(jsonText input: [UInt8], bindings: [String: JSONValue] = [:], limits: Limits = .standard) throws -> [UInt8]? {
        let tape = try JSONTape(parsing: input)
        let evaluator = Evaluator(maxDepth: limits.maxDepth, timeLimitMilliseconds: limits.timeLimitMilliseconds, stackBudgetBytes: limits.stackBudgetBytes)
        let result = try evaluator.run(ast, value: Value(tape: tape, at: tape.root), bindings: bindings)
        guard let result else { return nil }
        var out = JSONByteBuffer(capacity: input.count / 4)
        return result.writeJSON(into: &out) ? out.bytes() : nil
    }

    /// JSONata's boolean cast, `$boolean(value)`: undefined (nil), null, false, 0, "", an empty
    /// array or object, and an array without any true item are false; everything else is true.
    public static func boolean(_ value: JSONValue?) -> Bool {
        Value.truthy(value.map(Value.init(lazy:)))
    }
}
