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

    /// Computes derived flags over the processed tree (before it is shared between threads).
    func finalize() {
        if kind == .path, steps.count == 1, !keepArray, !keepSingletonArray, group == nil, !tuple,
            predicate == nil, seekingParent == nil
        {
            let s = steps[0]
            isSimpleNamePath = s.kind == .name && s.stages == nil && s.predicate == nil && !s.tuple
                && !s.keepArray && s.group == nil && s.focus == nil && s.index == nil && s.ancestor == nil
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

    init(_ kind: Kind, _ position: Int) {
        self.kind = kind
        self.position = position
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
