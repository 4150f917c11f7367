import Synchronization

/// A node of the compiled expression tree. The parser builds raw nodes; `ASTProcessor` turns
/// them into the evaluator's form (paths with steps and stages, tuple flags for `@`/`#`/`%`).
///
/// `@unchecked Sendable`: nodes are mutated only while compiling; a compiled expression shares
/// its tree read-only between evaluations and threads.
final class Node: @unchecked Sendable {
    enum Kind {
        case path, binary, negate, arrayConstructor, objectConstructor
        case name, string, number, value, wildcard, descendant, parent, variable, regex
        case call, partial, placeholder, lambda, condition, transform, block, bind, apply
        case sort, filter, indexStage
        // Raw binary forms that only exist between parsing and processing.
        case rawGroup, rawSort, rawFocus, rawIndex, rawPredicate, rawDot, rawBind, rawCondition
    }

    var kind: Kind
    var position: Int
    /// Operator for binary nodes; the name for name/variable/string nodes.
    var text: String = ""
    var number: Double = 0
    /// For `.value` nodes: true/false, or nil for null.
    var bool: Bool? = nil

    var lhs: Node?
    var rhs: Node?
    var expression: Node?
    var expressions: [Node] = []
    var pairs: [(Node, Node)] = []

    // Paths and steps
    var steps: [Node] = []
    var stages: [Node]? = nil
    var predicate: [Node]? = nil
    var group: Group? = nil
    var keepArray = false
    var keepSingletonArray = false
    var consarray = false
    var tuple = false
    var focus: String? = nil
    var index: String? = nil
    var ancestor: AncestorSlot? = nil
    var seekingParent: [AncestorSlot]? = nil
    var slot: AncestorSlot? = nil

    // Calls
    var procedure: Node?
    var arguments: [Node] = []

    // Conditions
    var condition: Node?
    var then: Node?
    var otherwise: Node?

    // Transform
    var pattern: Node?
    var update: Node?
    var delete: Node?

    // Sort terms (expression, descending)
    var terms: [(Node, Bool)] = []

    var lambda: LambdaInfo? = nil
    var regex: RegexMatcher? = nil
    /// Raw lambda parameter names and signature, before processing.
    var params: [String] = []
    var signatureSource: String? = nil
    var isThunk = false

    /// A path that is one plain field name (`SKU`): no stages, tuples, grouping or array
    /// flags. Set by `finalize()` once the tree is processed.
    private(set) var isSimpleNamePath = false

    /// A path of plain field names, optionally starting at a variable (`$item.sku`,
    /// `customer.first_name`): navigated without building sequences while every value on the
    /// way is a single object.
    private(set) var isSimpleChain = false
    /// For a variable naming a built-in function: that function, resolved at compile time
    /// (used when no variable of that name is bound at run time).
    private(set) var builtin: NativeFunction? = nil

    /// Names the expression binds itself (`:=`, lambda parameters, `@$x`, `#$i`); calls to a
    /// built-in of such a name are resolved at run time. Set around `finalize()` only.
    @TaskLocal static var shadowedNames: Set<String> = []

    /// Variable names bound anywhere in the tree, and whether `$eval` is used (which could bind
    /// any name at run time).
    func boundNames(into names: inout Set<String>, usesEval: inout Bool) {
        switch kind {
        case .bind: if let l = lhs, l.kind == .variable { names.insert(l.text) }
        case .variable: if text == "eval" { usesEval = true }
        default: break
        }
        if let f = focus { names.insert(f) }
        if let i = index { names.insert(i) }
        if kind == .indexStage { names.insert(text) }
        if let l = lambda { names.formUnion(l.params) }
        var children: [Node] = []
        if let x = lhs { children.append(x) }
        if let x = rhs { children.append(x) }
        if let x = expression { children.append(x) }
        children += expressions
        for (k, v) in pairs { children += [k, v] }
        children += steps
        children += stages ?? []
        children += predicate ?? []
        for (k, v) in group?.pairs ?? [] { children += [k, v] }
        if let x = procedure { children.append(x) }
        children += arguments
        for x in [condition, then, otherwise, pattern, update, delete] { if let x { children.append(x) } }
        for (t, _) in terms { children.append(t) }
        if let l = lambda { children.append(l.body) }
        for c in children { c.boundNames(into: &names, usesEval: &usesEval) }
    }

    private var isPlainStep: Bool {
        stages == nil && predicate == nil && !tuple && !keepArray && group == nil && focus == nil
            && index == nil && ancestor == nil && seekingParent == nil
    }

    /// For an object constructor whose keys are distinct string literals: the keys in order,
    /// and the value expressions (apart from the pairs, so that a walk over them does not copy
    /// a tuple of two nodes each time).
    private(set) var staticKeys: [String]? = nil
    private(set) var staticValues: [Node] = []

    /// The operator of a binary node, decided once (the evaluator compared strings per use).
    enum BinaryOperator: UInt8 {
        case add, subtract, multiply, divide, modulo, equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
        case concatenate, range, `in`, and, or, unknown

        init(_ text: String) {
            switch text {
            case "+": self = .add
            case "-": self = .subtract
            case "*": self = .multiply
            case "/": self = .divide
            case "%": self = .modulo
            case "=": self = .equal
            case "!=": self = .notEqual
            case "<": self = .less
            case "<=": self = .lessOrEqual
            case ">": self = .greater
            case ">=": self = .greaterOrEqual
            case "&": self = .concatenate
            case "..": self = .range
            case "in": self = .in
            case "and": self = .and
            case "or": self = .or
            default: self = .unknown
            }
        }
    }
    private(set) var binaryOperator = BinaryOperator.unknown

    /// Leaves `Evaluator.evaluateOperand` answers itself: a literal, `field` on the context,
    /// `$var.field`, `$var`. Nothing after them (predicates, groups, `[]`).
    enum LeafShape: UInt8 { case none, string, number, literal, fieldOfContext, fieldOfVariable, variable }
    private(set) var leafShape = LeafShape.none

    /// `text` has no byte above 0x7F (keys compare as bytes against a tape's plain keys).
    private(set) var textIsASCII = false
    /// For name steps with an ASCII `text`: its bytes, held by the node, which a tape's plain
    /// keys are compared with in place (reaching them through the `String` on every member
    /// looked up was a copy and a `withUTF8` each time).
    private(set) var asciiKey: UnsafeRawBufferPointer?

    /// The node has predicates or a group-by applied after its own evaluation.
    private(set) var hasPredicateOrGroup = true

    /// Computes derived flags over the processed tree (before it is shared between threads).
    func finalize() {
        hasPredicateOrGroup = predicate != nil || group != nil
        textIsASCII = text.utf8.allSatisfy { $0 < 0x80 }
        releaseASCIIKey()
        if kind == .name, textIsASCII {
            let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(text.utf8.count, 1), alignment: 1)
            _ = bytes.initializeMemory(as: UInt8.self, from: text.utf8)
            asciiKey = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[..<text.utf8.count])
        }
        if kind == .binary { binaryOperator = BinaryOperator(text) }
        if kind == .objectConstructor, pairs.allSatisfy({ $0.0.kind == .string && $0.0.predicate == nil && $0.0.group == nil && !$0.0.keepArray }) {
            let keys = pairs.map { $0.0.text }
            if Set(keys).count == keys.count {
                staticKeys = keys
                staticValues = pairs.map(\.1)
            }
        }
        if kind == .path, !steps.isEmpty, !keepArray, !keepSingletonArray, group == nil, !tuple,
            predicate == nil, seekingParent == nil
        {
            isSimpleNamePath = steps.count == 1 && steps[0].kind == .name && steps[0].isPlainStep
            isSimpleChain = steps.enumerated().allSatisfy { i, s in
                s.isPlainStep && (s.kind == .name || (i == 0 && s.kind == .variable && steps.count > 1))
            }
        }
        if kind == .variable, !text.isEmpty, !Node.shadowedNames.contains(text) {
            builtin = FunctionLibrary.table[text]
        }
        if predicate == nil, group == nil, stages == nil, !keepArray {
            switch kind {
            case .string: leafShape = .string
            case .number: leafShape = .number
            case .value: leafShape = .literal
            case .variable where !text.isEmpty && isPlainStep: leafShape = .variable
            case .path where isSimpleNamePath: leafShape = .fieldOfContext
            case .path where isSimpleChain && steps.count == 2 && steps[0].kind == .variable && !steps[0].text.isEmpty:
                leafShape = .fieldOfVariable
            default: break
            }
        }
        lhs?.finalize()
        rhs?.finalize()
        expression?.finalize()
        for e in expressions { e.finalize() }
        for (k, v) in pairs { k.finalize(); v.finalize() }
        for st in steps { st.finalize() }
        for st in stages ?? [] { st.finalize() }
        for p in predicate ?? [] { p.finalize() }
        for (k, v) in group?.pairs ?? [] { k.finalize(); v.finalize() }
        procedure?.finalize()
        for a in arguments { a.finalize() }
        condition?.finalize()
        then?.finalize()
        otherwise?.finalize()
        pattern?.finalize()
        update?.finalize()
        delete?.finalize()
        for (t, _) in terms { t.finalize() }
        lambda?.body.finalize()
    }

    /// For name steps: where the key was found in the last object looked up (objects of one
    /// document usually share their key order, so the next lookup checks there first).
    /// Shared by concurrent evaluations; a stale hint only costs a normal lookup.
    let fieldHint = Atomic<Int>(-1)
    /// For name steps on a `JSONTape`: the key's entry relative to its object's, last time.
    let tapeHint = Atomic<Int>(0)

    init(_ kind: Kind, _ position: Int) {
        self.kind = kind
        self.position = position
    }

    deinit { releaseASCIIKey() }

    private func releaseASCIIKey() {
        asciiKey.map { UnsafeMutableRawPointer(mutating: $0.baseAddress!).deallocate() }
        asciiKey = nil
    }

    struct Group {
        var pairs: [(Node, Node)]
        var position: Int
    }
}

/// Where a parent operator `%` finds its value: the step that binds it records the label, the
/// `%` reads the label from the tuple bindings.
final class AncestorSlot: @unchecked Sendable {
    // Mutated only while compiling.
    var label: String
    var level: Int
    let index: Int
    init(label: String, level: Int, index: Int) {
        self.label = label
        self.level = level
        self.index = index
    }
}
