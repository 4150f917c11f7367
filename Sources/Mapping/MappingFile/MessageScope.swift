import JSON

/// The evaluation state of one message: the input document and the lookup tables converted once
/// to the evaluator's values, `let:` results kept as evaluator values (so a binding may also hold
/// a function), and one evaluator, so that every expression of the mapping sees the same input
/// without converting the document again and `$now()` is the same for all of them.
///
/// `JSONataExpression.evaluate(_:bindings:)` converts its input and bindings on every call; a
/// `fields:` mapping evaluates a few dozen expressions per message, so going through it would copy
/// (parts of) the document that many times. This type does what `Evaluator.run` does for one call (bind `$`,
/// wrap an array input so that paths treat it as one value) once for all of them.
/// Not `Sendable`: it lives inside one `apply` call.
final class MessageScope {
    private let evaluator: Evaluator
    private let root = Frame(parent: nil)
    private let input: Value?
    private let rootValue: Value?

    /// `limits` apply to the whole message: the time limit covers all of its expressions.
    init(input: JSONValue, lookups: [String: JSONValue], limits: JSONataExpression.Limits) {
        evaluator = Evaluator(
            maxDepth: limits.maxDepth, timeLimitMilliseconds: limits.timeLimitMilliseconds,
            stackBudgetBytes: limits.stackBudgetBytes)
        // Converted lazily, as `Evaluator.run` does: only the parts an expression reads.
        for (name, table) in lookups { root.bind(name, Value(lazy: table)) }
        let value = Value(lazy: input)
        rootValue = value
        if case .array(let items) = value {
            let wrapper = JArray.sequence([.array(items)])
            wrapper.outerWrapper = true
            self.input = .array(wrapper)
        } else {
            self.input = value
        }
    }

    /// Makes `value` available to the expressions evaluated after this as `$name`.
    func bind(_ name: String, _ value: Value?) {
        root.bind(name, value)
    }

    /// Evaluates `expression` against the message. Each evaluation gets its own frame, so an
    /// assignment at the top of one expression (`$x := …`) does not leak into the next.
    func evaluate(_ expression: CompiledExpression, mapping: MappingFile, part: String) throws(MappingError) -> Value? {
        let frame = Frame(parent: root)
        frame.bind("$", rootValue)
        do {
            return try evaluator.evaluate(expression.expression.ast, input, frame)
        } catch let error as JSONataError {
            throw MappingError(
                mapping: mapping.name, version: mapping.version, part: part,
                location: expression.site.location(ofOffset: error.position ?? 0), kind: .evaluation(error))
        } catch {
            throw MappingError(
                mapping: mapping.name, version: mapping.version, part: part,
                location: expression.site.location(ofOffset: 0), kind: .evaluation(JSONataError("D0000", "\(error)")))
        }
    }
}
