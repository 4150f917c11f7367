import Foundation

/// A function value: a lambda closure, a native (built-in) function, a partial application, or
/// a compiled regular expression (which JSONata treats as a function from a string to a match).
final class JFunction {
    enum Kind {
        /// `function($a, $b) { body }` closed over its defining environment and focus.
        case lambda(LambdaInfo, environment: Frame, input: Value?)
        case native(NativeFunction)
        /// `f(?, 2)`: the base function with some arguments bound.
        case partial(JFunction, bound: [PartialArgument])
        case regex(RegexMatcher)
        /// `next()` of a regex match object: the following match from a UTF-16 offset.
        case matchNext(RegexMatcher, String, from: Int, position: Int)
        /// `f ~> g` where both are functions: x ↦ g(f(x)).
        case composition(JFunction, JFunction)
        /// `| pattern | update, delete |`: a function from a document to a modified copy.
        case transformer(Node, environment: Frame)
    }

    enum PartialArgument {
        case placeholder
        case bound(Value?)
    }

    let kind: Kind
    /// How many arguments a higher-order function such as `$map` passes to this function
    /// (value, index, array — only as many as the function declares).
    let arity: Int
    /// The lambda's parts, when it is one, held apart from `kind`: reading them out of the enum
    /// copied (retained and released) all three on every call.
    let lambda: LambdaInfo?
    let lambdaEnvironment: Frame?
    let lambdaInput: Value?

    init(_ kind: Kind) {
        self.kind = kind
        switch kind {
        case .lambda(let info, let environment, let input):
            arity = info.params.count
            lambda = info
            lambdaEnvironment = environment
            lambdaInput = input
            return
        case .native(let n): arity = n.arity
        case .partial(_, let bound):
            arity = bound.filter { if case .placeholder = $0 { return true } else { return false } }.count
        case .regex, .composition, .transformer: arity = 1
        case .matchNext: arity = 0
        }
        lambda = nil
        lambdaEnvironment = nil
        lambdaInput = nil
    }

    var signature: Signature? {
        switch kind {
        case .lambda(let info, _, _): return info.signature
        case .native(let n): return n.signature
        default: return nil
        }
    }
}

/// Compile-time description of a lambda (shared by every closure made from it).
final class LambdaInfo: @unchecked Sendable {
    // Immutable after parsing; shared read-only by all evaluations of the compiled expression.
    let params: [String]
    let signature: Signature?
    let body: Node
    let isThunk: Bool
    let paramsAreDistinct: Bool
    init(params: [String], signature: Signature?, body: Node, isThunk: Bool) {
        self.paramsAreDistinct = Set(params).count == params.count
        self.params = params
        self.signature = signature
        self.body = body
        self.isThunk = isThunk
    }
}

/// A compiled regular expression literal `/pattern/flags`. JSONata regexes are JavaScript
/// regexes; they are run on ICU through NSRegularExpression, whose syntax agrees with JavaScript
/// for the features JSONata expressions use (classes, groups, quantifiers, anchors,
/// lookahead). Flags: `i` case-insensitive, `m` multi-line. Offsets are UTF-16 as in JavaScript.
final class RegexMatcher: @unchecked Sendable {
    // NSRegularExpression is documented as thread-safe for matching; the pattern is immutable.
    let regex: NSRegularExpression
    let pattern: String
    let flags: String
    init(pattern: String, flags: String) throws {
        var opts: NSRegularExpression.Options = []
        if flags.contains("i") { opts.insert(.caseInsensitive) }
        if flags.contains("m") { opts.insert(.anchorsMatchLines) }
        self.regex = try NSRegularExpression(pattern: pattern, options: opts)
        self.pattern = pattern
        self.flags = flags
    }

    /// All non-overlapping matches in `s` (JavaScript global matching).
    func matches(in s: String) -> [NSTextCheckingResult] {
        let ns = s as NSString
        return regex.matches(in: s, options: [], range: NSRange(location: 0, length: ns.length))
    }

    /// First match at or after UTF-16 offset `from`.
    func firstMatch(in s: String, from: Int) -> NSTextCheckingResult? {
        let ns = s as NSString
        guard from <= ns.length else { return nil }
        return regex.firstMatch(in: s, options: [], range: NSRange(location: from, length: ns.length - from))
    }
}

/// A built-in function: name (without `$`), signature, implementation.
///
/// The implementation receives the arguments already validated and coerced against the
/// signature (see `Signature.validate`): one entry per declared parameter, `nil` for undefined.
/// A class, so that taking one from a node or the table is one retain, not one per field.
final class NativeFunction: Sendable {
    typealias Implementation = @Sendable (_ args: [Value?], _ context: CallContext) throws -> Value?

    let name: String
    let signature: Signature?
    let arity: Int
    let implementation: Implementation

    /// - Parameters:
    ///   - name: without the `$`.
    ///   - signature: JSONata signature string such as "<s-nn?:s>", or nil for no validation
    ///     (the implementation then sees the raw arguments).
    ///   - arity: arguments passed by `$map`-style callers; defaults to the required parameters.
    init(_ name: String, _ signature: String?, arity: Int? = nil, _ implementation: @escaping Implementation) {
        self.name = name
        let sig = signature.map(Signature.init)
        self.signature = sig
        self.arity = arity ?? sig?.requiredCount ?? 1
        self.implementation = implementation
    }
}

/// What a native function can use besides its arguments: the focus (`$` at the call site),
/// the environment, and a way to call function arguments back.
struct CallContext {
    // unowned(unsafe): a context lives only inside the evaluator's own call, and a checked
    // unowned reference cost a retain and a release on every use.
    unowned(unsafe) let evaluator: Evaluator
    /// The context value at the call site (what `$` is there).
    let input: Value?
    let environment: Frame
    /// Character position of the call in the expression (for error reporting).
    let position: Int

    /// Calls a JSONata function value (lambda, native, partial, regex) with arguments.
    func apply(_ function: JFunction, _ args: [Value?]) throws -> Value? {
        try evaluator.apply(function, args, input: input, environment: environment, position: position)
    }

    /// Calls `function` with the first `function.arity` of `args` (at least one) — what `$map`,
    /// `$filter`, `$each`, `$sift` do so that `function($v)` and `function($v, $i, $a)` both work.
    func applyHigherOrder(_ function: JFunction, _ args: [Value?]) throws -> Value? {
        let n = max(1, min(function.arity, args.count))
        if n == args.count { return try apply(function, args) }
        // A lambda without a signature binds its parameters and ignores what is left over.
        if let info = function.lambda, info.signature == nil { return try apply(function, args) }
        return try apply(function, Array(args.prefix(n)))
    }

    /// Raises a JSONata error located at this call.
    func error(_ code: String, _ message: String) -> JSONataError {
        JSONataError(code, message, position: position)
    }
}

/// A scope of variable bindings. Frames are chained to their parent; lookups walk outwards and
/// end in the built-in function library.
final class Frame {
    // The first two bindings are held inline: most frames are a lambda's one or two parameters
    // or a block's few variables, and an array per frame was an allocation per call (issue 27).
    private var name0: String?
    private var value0: Value?
    private var name1: String?
    private var value1: Value?
    private var more: [(name: String, value: Value?)] = []
    private(set) var parent: Frame?

    init(parent: Frame?) { self.parent = parent }

    /// A frame with one or two distinct names already bound (lambda parameters).
    init(parent: Frame?, _ firstName: String, _ firstValue: Value?, _ secondName: String? = nil, _ secondValue: Value? = nil) {
        self.parent = parent
        self.name0 = firstName
        self.value0 = firstValue
        self.name1 = secondName
        self.value1 = secondValue
    }

    /// Makes a frame that nothing refers to any more new again, as `init(parent:_:_:_:_:)`
    /// would (the evaluator reuses a lambda call's frame for the next call).
    func reset(parent: Frame?, _ firstName: String, _ firstValue: Value?, _ secondName: String? = nil, _ secondValue: Value? = nil) {
        self.parent = parent
        self.name0 = firstName
        self.value0 = firstValue
        self.name1 = secondName
        self.value1 = secondValue
        if !more.isEmpty { more = [] }
    }

    /// Lets go of everything the frame holds.
    func clear() {
        parent = nil
        name0 = nil
        value0 = nil
        name1 = nil
        value1 = nil
        if !more.isEmpty { more = [] }
    }

    func bind(_ name: String, _ value: Value?) {
        guard let n0 = name0 else {
            name0 = name
            value0 = value
            return
        }
        if n0 == name {
            value0 = value
            return
        }
        guard let n1 = name1 else {
            name1 = name
            value1 = value
            return
        }
        if n1 == name {
            value1 = value
            return
        }
        for i in more.indices where more[i].name == name {
            more[i].value = value
            return
        }
        more.append((name, value))
    }

    /// The bound value: `.some(nil)` when bound to undefined, `nil` when not bound anywhere.
    func lookup(_ name: String) -> Value?? {
        // The walk up the chain holds no references of its own: `self` keeps every parent
        // alive, and retaining each frame and its names on the way was a quarter of a lookup.
        var frame = Unmanaged.passUnretained(self)
        while true {
            let step: (found: Value??, parent: Unmanaged<Frame>?) = frame._withUnsafeGuaranteedRef { f in
                if let v = f.own(name) { return (v, nil) }
                guard let p = f.parent else { return (nil, nil) }
                return (nil, Unmanaged.passUnretained(p))
            }
            if let found = step.found { return found }
            guard let parent = step.parent else { return nil }
            frame = parent
        }
    }

    /// A binding of this frame itself.
    @inline(__always) private func own(_ name: String) -> Value?? {
        guard let n0 = name0 else { return nil }
        if n0 == name { return .some(value0) }
        guard let n1 = name1 else { return nil }
        if n1 == name { return .some(value1) }
        if more.isEmpty { return nil }
        for i in more.indices where more[i].name == name { return .some(more[i].value) }
        return nil
    }
}
