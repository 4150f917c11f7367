import JSON
import Collections
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Evaluates a processed expression tree. One evaluator per evaluation: it carries the depth and
/// time guards and the cache of built-in function values. The semantics follow the JSONata
/// reference implementation (jsonata-js `evaluate*` functions): sequences are flattened per
/// step and unwrapped when they hold one value; `@`/`#`/`%` paths run as tuple streams.
final class Evaluator {
    let maxDepth: Int
    let deadline: UInt64?
    private(set) var depth = 0
    private var ticks = 0
    /// Evaluation start, milliseconds since 1970 (`$now()`/`$millis()` return this throughout).
    let timestamp: Double
    private var builtins: [String: JFunction] = [:]
    /// A binding passed to `evaluate` reuses a built-in's name, so compile-time resolution of
    /// built-in calls must be checked against the environment.
    private var builtinsRebound = false
    /// A lambda call's frame that nothing refers to any more, for the next call.
    private var spareFrame: Frame?

    /// Lowest stack address this evaluation may use: deep recursion raises U1001 before the
    /// stack budget (and so the thread's stack) runs out. Stacks grow downwards here.
    private let stackFloor: UInt

    init(maxDepth: Int, timeLimitMilliseconds: Int?, stackBudgetBytes: Int = 4 << 20) {
        self.maxDepth = maxDepth
        let here = Evaluator.stackPosition()
        self.stackFloor = here > UInt(stackBudgetBytes) ? here - UInt(stackBudgetBytes) : 0
        let now = Evaluator.monotonicNanos()
        self.deadline = timeLimitMilliseconds.map { now + UInt64($0) * 1_000_000 }
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        self.timestamp = (Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec / 1_000_000)).rounded(.down)
    }

    /// Current stack position (address of a local), for the stack budget.
    @inline(__always) static func stackPosition() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }

    static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    // MARK: Entry

    func run(_ ast: Node, input: JSONValue?, bindings: [String: JSONValue]) throws -> Value? {
        try run(ast, value: input.map(Value.init(lazy:)), bindings: bindings)
    }

    /// `run` on an input already in the evaluator's form (a tape's root, say).
    func run(_ ast: Node, value: Value?, bindings: [String: JSONValue]) throws -> Value? {
        let env = Frame(parent: nil)
        for (k, v) in bindings {
            env.bind(k, Value(lazy: v))
            if FunctionLibrary.table[k] != nil { builtinsRebound = true }
        }
        var inputValue = value
        env.bind("$", inputValue)
        if case .array(let a)? = inputValue {
            let wrapper = JArray.sequence([.array(a)])
            wrapper.outerWrapper = true
            inputValue = .array(wrapper)
        }
        return try evaluate(ast, inputValue, env)
    }

    // MARK: Guards

    @inline(__always) private func enter(_ node: Node) throws {
        depth += 1
        if depth > maxDepth || Evaluator.stackPosition() < stackFloor {
            throw JSONataError("U1001", "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.", position: node.position)
        }
        if let deadline {
            ticks &+= 1
            if ticks & 255 == 0, Evaluator.monotonicNanos() > deadline {
                throw JSONataError("U1001", "Expression evaluation timeout: Check for infinite loop", position: node.position)
            }
        }
    }

    /// Called by long-running loops inside functions (e.g. ranges) to honour the time limit.
    func checkTime() throws {
        if let deadline, Evaluator.monotonicNanos() > deadline {
            throw JSONataError("U1001", "Expression evaluation timeout: Check for infinite loop")
        }
    }

    // MARK: Dispatcher

    func evaluate(_ expr: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        try enter(expr)
        defer { depth -= 1 }
        var result: Value?
        switch expr.kind {
        case .path: result = try evaluatePath(expr, input, env)
        case .binary: result = try evaluateBinary(expr, input, env)
        case .negate: result = try evaluateNegate(expr, input, env)
        case .arrayConstructor: result = try evaluateArray(expr, input, env)
        case .objectConstructor:
            if let keys = expr.staticKeys, !(input?.isArray ?? false) {
                result = try evaluateStaticObject(expr, keys, input, env)
            } else {
                result = try evaluateGroup(Node.Group(pairs: expr.pairs, position: expr.position), input, env)
            }
        case .name:
            // By the node, so that an object not yet converted converts only this member.
            if case .object(let o)? = input { result = o.field(expr) } else { result = Evaluator.lookup(input, expr.text) }
        case .string: result = .string(expr.text)
        case .number: result = .number(expr.number)
        case .value: result = expr.bool.map(Value.bool) ?? .null
        case .wildcard: result = evaluateWildcard(input)
        case .descendant: result = evaluateDescendants(input)
        case .parent: result = env.lookup(expr.slot!.label) ?? nil
        case .condition: result = try evaluateCondition(expr, input, env)
        case .block: result = try evaluateBlock(expr, input, env)
        case .bind: result = try evaluateBind(expr, input, env)
        case .regex: result = .function(JFunction(.regex(expr.regex!)))
        case .call: result = try evaluateCall(expr, input, env, applyTo: nil)
        case .variable: result = evaluateVariable(expr, input, env)
        case .lambda: result = .function(JFunction(.lambda(expr.lambda!, environment: env, input: input)))
        case .partial: result = try evaluatePartial(expr, input, env)
        case .apply: result = try evaluateApply(expr, input, env)
        case .transform: result = .function(JFunction(.transformer(expr, environment: env)))
        case .placeholder:
            throw JSONataError("S0201", "Syntax error: ?", position: expr.position, token: "?")
        case .sort, .filter, .indexStage, .rawGroup, .rawSort, .rawFocus, .rawIndex, .rawPredicate, .rawDot, .rawBind, .rawCondition:
            throw JSONataError("S0201", "Unexpected node", position: expr.position)
        }

        if expr.hasPredicateOrGroup {
            if let preds = expr.predicate {
                for p in preds { result = try evaluateFilter(p.expression!, result, env) }
            }
            if expr.kind != .path, let g = expr.group {
                result = try evaluateGroup(g, result, env)
            }
        }

        if case .array(let a)? = result, a.isSequence, !a.tupleStream {
            if expr.keepArray { a.keepSingleton = true }
            if a.items.isEmpty { return nil }
            if a.items.count == 1 { return a.keepSingleton ? result : a.items[0] }
        }
        return result
    }

    /// `evaluate` for an operand, a member value or an argument: leaves of the commonest shapes
    /// (a literal, a field of the context object, `$var.field`) are answered here without the
    /// dispatcher's guards and sequence handling, which they do not need; everything else goes
    /// to `evaluate`. Leaves cannot recurse, so the depth guard loses nothing.
    @inline(__always) func evaluateOperand(_ expr: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        switch expr.leafShape {
        case .string: return .string(expr.text)
        case .number: return .number(expr.number)
        case .literal: return expr.bool.map(Value.bool) ?? .null
        case .fieldOfContext:
            if case .object(let o)? = input {
                let v = o.field(expr.steps[0])
                if case .array(let a)? = v, a.isSequence { break }
                return v
            }
        case .fieldOfVariable:
            if case .object(let o)? = env.lookup(expr.steps[0].text) ?? nil {
                let v = o.field(expr.steps[1])
                if case .array(let a)? = v, a.isSequence { break }
                return v
            }
        case .variable:
            if let v = env.lookup(expr.text) {
                if case .array(let a)? = v, a.isSequence || a.outerWrapper { break }
                return v
            }
        case .none:
            break
        }
        return try evaluate(expr, input, env)
    }

    // The node kinds below are kept out of line so that `evaluate`, which is on every level of
    // a recursion, keeps a small stack frame.

    @inline(never) private func evaluateNegate(_ expr: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        switch try evaluate(expr.expression!, input, env) {
        case nil: return nil
        case .number(let d)?: return .number(-d)
        default:
            throw JSONataError("D1002", "Cannot negate a non-numeric value", position: expr.position, token: "-")
        }
    }

    @inline(never) private func evaluateCondition(_ expr: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        if Value.truthy(try evaluateOperand(expr.condition!, input, env)) {
            return try evaluateOperand(expr.then!, input, env)
        } else if let e = expr.otherwise {
            return try evaluateOperand(e, input, env)
        }
        return nil
    }

    @inline(never) private func evaluateBlock(_ expr: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        let frame = Frame(parent: env)
        var result: Value? = nil
        for e in expr.expressions { result = try evaluate(e, input, frame) }
        return result
    }

    @inline(never) private func evaluateBind(_ expr: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        let v = try evaluate(expr.rhs!, input, env)
        env.bind(expr.lhs!.text, v)
        return v
    }

    @inline(never) private func evaluateVariable(_ expr: Node, _ input: Value?, _ env: Frame) -> Value? {
        if expr.text.isEmpty {
            if case .array(let a)? = input, a.outerWrapper, let first = a.items.first { return first }
            return input
        }
        return lookupVariable(expr.text, env)
    }

    /// `{"a": x, "b": y}` with literal, distinct keys on one context item: the key set is
    /// shared by every object built from this constructor.
    @inline(never) private func evaluateStaticObject(_ expr: Node, _ keys: [String], _ input: Value?, _ env: Frame) throws -> Value? {
        var values: [Value] = []
        values.reserveCapacity(keys.count)
        var missing: [Int] = []
        let members = expr.staticValues
        for i in members.indices {
            if let x = try evaluateOperand(members[i], input, env) {
                values.append(x)
            } else {
                missing.append(i)
            }
        }
        if missing.isEmpty {
            return .object(JObject(OrderedDictionary(uncheckedUniqueKeys: keys, values: values)))
        }
        var present: [String] = []
        present.reserveCapacity(values.count)
        var m = 0
        for (i, k) in keys.enumerated() {
            if m < missing.count, missing[m] == i {
                m += 1
            } else {
                present.append(k)
            }
        }
        return .object(JObject(OrderedDictionary(uncheckedUniqueKeys: present, values: values)))
    }

    func lookupVariable(_ name: String, _ env: Frame) -> Value? {
        if let v = env.lookup(name) { return v }
        if let f = builtins[name] { return .function(f) }
        if let native = FunctionLibrary.table[name] {
            let f = JFunction(.native(native))
            builtins[name] = f
            return .function(f)
        }
        return nil
    }

    // MARK: Paths

    @inline(never) private func evaluatePath(_ expr: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        // Fast path: a plain field name on an object (`SKU`), which is most of what mappings do.
        // Equivalent to the general path below for these shapes (see `isSimpleName`).
        if expr.isSimpleNamePath {
            switch input {
            case .object(let o)?:
                try enter(expr.steps[0])
                depth -= 1
                guard let v = o.field(expr.steps[0]) else { return nil }
                if case .array(let a) = v, a.isSequence { break }
                return v
            case nil, .null?, .bool?, .number?, .string?, .function?:
                return nil
            case .array?:
                break
            }
        }
        if expr.isSimpleChain, let r = try evaluateChain(expr, input, env) { return r }
        var inputSequence: JArray
        if case .array(let a)? = input, expr.steps[0].kind != .variable {
            inputSequence = a
        } else {
            inputSequence = JArray.sequence(input.map { [$0] } ?? [])
            if input == nil { inputSequence.items = [] ; inputSequence.outerWrapper = false }
        }
        // jsonata-js wraps undefined as a one-item sequence [undefined]; we model it with
        // `undefinedInput` so that steps still run once (e.g. `$` or a literal first step).
        let undefinedInput = input == nil

        var resultSequence: JArray? = nil
        var isTupleStream = false
        var tupleBindings: JArray? = nil
        let lastIndex = expr.steps.count - 1

        for (i, step) in expr.steps.enumerated() {
            if step.tuple { isTupleStream = true }
            if i == 0 && step.consarray {
                let v = try evaluate(step, undefinedInput ? nil : .array(inputSequence), env)
                resultSequence = Evaluator.toSequence(v)
            } else if isTupleStream {
                tupleBindings = try evaluateTupleStep(step, inputSequence, tupleBindings, env, undefinedInput: undefinedInput && i == 0)
            } else {
                resultSequence = try evaluateStep(step, inputSequence, env, lastStep: i == lastIndex, undefinedInput: undefinedInput && i == 0)
            }
            if !isTupleStream, resultSequence == nil || resultSequence!.items.isEmpty { break }
            if step.focus == nil, let r = resultSequence { inputSequence = r }
        }

        if isTupleStream {
            if expr.tuple {
                resultSequence = tupleBindings
            } else {
                let out = JArray.sequence()
                if let tb = tupleBindings {
                    out.items.reserveCapacity(tb.items.count)
                    for t in tb.items {
                        if case .object(let o) = t, let v = o.fields["@"] { out.items.append(v) }
                    }
                }
                resultSequence = out
            }
        }

        if expr.keepSingletonArray {
            if let r = resultSequence, r.isConstructed, !r.isSequence {
                resultSequence = JArray.sequence([.array(r)])
            }
            if resultSequence == nil { resultSequence = JArray.sequence() }
            resultSequence!.keepSingleton = true
        }

        if let g = expr.group {
            let src = isTupleStream ? tupleBindings : resultSequence
            return try evaluateGroup(g, src.map { .array($0) }, env)
        }
        return resultSequence.map { .array($0) }
    }

    /// A path of names (maybe after a variable) over single objects. Returns nil when the
    /// data needs the general algorithm (an array on the way), `.some(value)` otherwise; it has
    /// the same result as the general algorithm for the shapes it accepts.
    private func evaluateChain(_ expr: Node, _ input: Value?, _ env: Frame) throws -> Value?? {
        var cur: Value?
        var start = 0
        if expr.steps[0].kind == .variable {
            cur = try evaluate(expr.steps[0], input, env)
            start = 1
        } else {
            cur = input
        }
        let last = expr.steps.count - 1
        for i in start...last {
            switch cur {
            case .object(let o)?:
                let step = expr.steps[i]
                try enter(step)
                depth -= 1
                cur = o.field(step)
                if case .array(let a)? = cur {
                    if i == last && !a.isSequence { return .some(cur) }
                    return nil
                }
                if cur == nil { return .some(nil) }
            case .array?:
                return nil
            default:
                return .some(nil)
            }
        }
        return .some(cur)
    }

    /// Result of an expression as a sequence (what a first-step array constructor yields).
    static func toSequence(_ v: Value?) -> JArray? {
        guard let v else { return nil }
        if case .array(let a) = v { return a }
        return JArray.sequence([v])
    }

    @inline(never) private func evaluateStep(_ expr: Node, _ input: JArray, _ env: Frame, lastStep: Bool, undefinedInput: Bool) throws -> JArray? {
        if expr.kind == .sort {
            var r = try evaluateSort(expr, input, env)
            if let stages = expr.stages, let rr = r { r = try evaluateStages(stages, rr, env) }
            return r
        }
        if expr.kind == .name, expr.stages == nil, !expr.keepArray, !undefinedInput {
            // Name step without predicates: the lookups go straight into the output sequence,
            // with the same unwrapping and flattening as the general loop below.
            let key = expr.text
            let out = JArray.sequence()
            var produced = 0
            var first: Value? = nil
            for item in input.items {
                try enter(expr)
                depth -= 1
                var v: Value
                switch item {
                case .object(let o):
                    guard let f = o.field(expr) else { continue }
                    v = f
                case .array:
                    guard let f = Evaluator.lookup(item, key) else { continue }
                    v = f
                default:
                    continue
                }
                if case .array(let a) = v, a.isSequence, !a.tupleStream {
                    if a.items.isEmpty { continue }
                    if a.items.count == 1, !a.keepSingleton { v = a.items[0] }
                }
                produced += 1
                if produced == 1 { first = v }
                if case .array(let a) = v, !a.isConstructed {
                    out.items.append(contentsOf: a.items)
                } else {
                    out.items.append(v)
                }
            }
            if lastStep, produced == 1, case .array(let a)? = first, !a.isSequence { return a }
            return out
        }
        var result: [Value] = []
        result.reserveCapacity(input.items.count)
        if undefinedInput {
            var res = try evaluate(expr, nil, env)
            if let stages = expr.stages {
                for s in stages where s.kind == .filter { res = try evaluateFilter(s.expression!, res, env) }
            }
            if let res { result.append(res) }
        } else {
            for item in input.items {
                var res = try evaluate(expr, item, env)
                if let stages = expr.stages {
                    for s in stages where s.kind == .filter { res = try evaluateFilter(s.expression!, res, env) }
                }
                if let res { result.append(res) }
            }
        }
        if lastStep, result.count == 1, case .array(let a) = result[0], !a.isSequence {
            return a
        }
        let out = JArray.sequence()
        out.items.reserveCapacity(result.count)
        for r in result {
            if case .array(let a) = r, !a.isConstructed {
                out.items.append(contentsOf: a.items)
            } else {
                out.items.append(r)
            }
        }
        return out
    }

    @inline(never) private func evaluateStages(_ stages: [Node], _ input: JArray, _ env: Frame) throws -> JArray? {
        var result: JArray? = input
        for stage in stages {
            switch stage.kind {
            case .filter:
                let r = try evaluateFilter(stage.expression!, result.map { .array($0) }, env)
                result = r.flatMap(Evaluator.toSequenceKeepingFlags)
            case .indexStage:
                if let r = result {
                    for (i, t) in r.items.enumerated() {
                        if case .object(let o) = t { o.fields[stage.text] = .number(Double(i)) }
                    }
                }
            default: break
            }
        }
        return result
    }

    static func toSequenceKeepingFlags(_ v: Value) -> JArray {
        if case .array(let a) = v { return a }
        return JArray.sequence([v])
    }

    private func tupleValue(_ t: Value) -> Value? {
        if case .object(let o) = t { return o.fields["@"] }
        return nil
    }

    private func frameFromTuple(_ env: Frame, _ tuple: Value) -> Frame {
        let f = Frame(parent: env)
        if case .object(let o) = tuple {
            for (k, v) in o.fields { f.bind(k, v) }
        }
        return f
    }

    @inline(never) private func evaluateTupleStep(_ expr: Node, _ input: JArray, _ tupleBindings: JArray?, _ env: Frame, undefinedInput: Bool) throws -> JArray? {
        if expr.kind == .sort {
            var result: JArray?
            if let tb = tupleBindings {
                result = try evaluateSort(expr, tb, env)
            } else {
                let sorted = try evaluateSort(expr, input, env)
                let r = JArray.sequence()
                r.tupleStream = true
                for (i, v) in (sorted?.items ?? []).enumerated() {
                    let t = JObject(["@": v])
                    if let ix = expr.index { t.fields[ix] = .number(Double(i)) }
                    r.items.append(.object(t))
                }
                result = r
            }
            if let stages = expr.stages, let r = result { result = try evaluateStages(stages, r, env) }
            return result
        }

        var result = JArray.sequence()
        result.tupleStream = true
        let bindings: [Value]
        if let tb = tupleBindings {
            bindings = tb.items
        } else if undefinedInput {
            bindings = [.object(JObject())]
        } else {
            bindings = input.items.map { .object(JObject(["@": $0])) }
        }
        for tuple in bindings {
            guard case .object(let tobj) = tuple else { continue }
            let stepEnv = frameFromTuple(env, tuple)
            let context = tobj.fields["@"]
            guard let res = try evaluate(expr, context, stepEnv) else { continue }
            let resItems: [Value]
            var resIsTupleStream = false
            if case .array(let a) = res {
                resItems = a.items
                resIsTupleStream = a.tupleStream
            } else {
                resItems = [res]
            }
            for (bb, item) in resItems.enumerated() {
                let t = JObject(tobj.fields)
                if resIsTupleStream {
                    if case .object(let o) = item { for (k, v) in o.fields { t.fields[k] = v } }
                } else {
                    if let focus = expr.focus {
                        t.fields[focus] = item
                        t.fields["@"] = context
                    } else {
                        t.fields["@"] = item
                    }
                    if let ix = expr.index { t.fields[ix] = .number(Double(bb)) }
                    if let anc = expr.ancestor { t.fields[anc.label] = context }
                }
                result.items.append(.object(t))
            }
        }
        if let stages = expr.stages {
            guard let r = try evaluateStages(stages, result, env) else { return nil }
            result = r
        }
        return result
    }

    @inline(never) func evaluateFilter(_ predicate: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        let results = JArray.sequence()
        let items: JArray
        if case .array(let a)? = input {
            items = a
            if a.tupleStream { results.tupleStream = true }
        } else {
            items = JArray.sequence(input.map { [$0] } ?? [])
        }
        if predicate.kind == .number {
            var index = Int(predicate.number.rounded(.down))
            if index < 0 { index = items.items.count + index }
            if index >= 0, index < items.items.count {
                let item = items.items[index]
                if case .array(let inner) = item {
                    return .array(inner)
                }
                results.items.append(item)
            }
            return .array(results)
        }
        for (index, item) in items.items.enumerated() {
            var context: Value? = item
            var e = env
            if items.tupleStream {
                context = tupleValue(item)
                e = frameFromTuple(env, item)
            }
            let res = try evaluate(predicate, context, e)
            switch res {
            case .number(let d)?:
                var ii = Int(d.rounded(.down))
                if ii < 0 { ii = items.items.count + ii }
                if ii == index { results.items.append(item) }
            case .array(let a)? where !a.items.isEmpty && a.items.allSatisfy(\.isNumber):
                for v in a.items {
                    guard case .number(let d) = v else { continue }
                    var ii = Int(d.rounded(.down))
                    if ii < 0 { ii = items.items.count + ii }
                    if ii == index { results.items.append(item) }
                }
            default:
                if Value.truthy(res) { results.items.append(item) }
            }
        }
        return .array(results)
    }

    // MARK: Navigation

    /// `fn.lookup`: field of an object, or of every object in an array (flattened one level).
    static func lookup(_ input: Value?, _ key: String) -> Value? {
        guard let input else { return nil }
        switch input {
        case .object(let o): return o.fields[key]
        case .array(let a):
            let result = JArray.sequence()
            for item in a.items {
                guard let res = lookup(item, key) else { continue }
                if case .array(let inner) = res {
                    result.items.append(contentsOf: inner.items)
                } else {
                    result.items.append(res)
                }
            }
            return .array(result)
        default: return nil
        }
    }

    @inline(never) private func evaluateWildcard(_ input: Value?) -> Value? {
        let results = JArray.sequence()
        var inp = input
        if case .array(let a)? = input, a.outerWrapper, let first = a.items.first { inp = first }
        switch inp {
        case .object(let o)?:
            for (_, v) in o.fields {
                if case .array(let a) = v {
                    Evaluator.flatten(a, into: &results.items)
                } else {
                    results.items.append(v)
                }
            }
        case .array(let a)?:
            for v in a.items {
                if case .array(let inner) = v {
                    Evaluator.flatten(inner, into: &results.items)
                } else {
                    results.items.append(v)
                }
            }
        default: break
        }
        return .array(results)
    }

    static func flatten(_ a: JArray, into out: inout [Value]) {
        for v in a.items {
            if case .array(let inner) = v { flatten(inner, into: &out) } else { out.append(v) }
        }
    }

    @inline(never) private func evaluateDescendants(_ input: Value?) -> Value? {
        guard let input else { return nil }
        var out: [Value] = []
        Evaluator.recurseDescendants(input, &out)
        if out.count == 1 { return out[0] }
        return .array(JArray.sequence(out))
    }

    static func recurseDescendants(_ v: Value, _ out: inout [Value]) {
        switch v {
        case .array(let a):
            for m in a.items { recurseDescendants(m, &out) }
        case .object(let o):
            out.append(v)
            for (_, m) in o.fields { recurseDescendants(m, &out) }
        default:
            out.append(v)
        }
    }

    // MARK: Constructors

    @inline(never) private func evaluateArray(_ expr: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        var items: [Value] = []
        items.reserveCapacity(expr.expressions.count)
        for item in expr.expressions {
            guard let v = try evaluate(item, input, env) else { continue }
            if item.kind == .arrayConstructor {
                items.append(v)
            } else if case .array(let a) = v {
                items.append(contentsOf: a.items)
            } else {
                items.append(v)
            }
        }
        let result = JArray(items)
        if expr.consarray { result.isConstructed = true }
        return .array(result)
    }

    @inline(never) func evaluateGroup(_ group: Node.Group, _ input: Value?, _ env: Frame) throws -> Value? {
        if !(input?.isArray ?? false) {
            // One context item: no grouping needed, pairs are evaluated in order.
            let result = JObject()
            var keyOwners: [(String, Int)] = []
            for (pairIndex, pair) in group.pairs.enumerated() {
                guard let key = try evaluate(pair.0, input, env) else { continue }
                guard case .string(let k) = key else {
                    throw JSONataError("T1003", "Key in object structure must evaluate to a string; got: \(key.stringified())", position: group.position)
                }
                if keyOwners.contains(where: { $0.0 == k && $0.1 != pairIndex }) {
                    throw JSONataError("D1009", "Multiple key definitions evaluate to same key: \(k)", position: group.position)
                }
                keyOwners.append((k, pairIndex))
            }
            var keys: [String] = []
            var values: [Value] = []
            keys.reserveCapacity(keyOwners.count)
            values.reserveCapacity(keyOwners.count)
            for (k, pairIndex) in keyOwners {
                if let v = try evaluate(group.pairs[pairIndex].1, input, env) {
                    keys.append(k)
                    values.append(v)
                }
            }
            result.fields = OrderedDictionary(uncheckedUniqueKeys: keys, values: values)
            return .object(result)
        }
        let reduce: Bool
        var items: [Value?]
        if case .array(let a)? = input {
            reduce = a.tupleStream
            items = a.items.map { Optional($0) }
        } else {
            reduce = false
            items = [input]
        }
        if items.isEmpty { items = [nil] }

        var groups = OrderedDictionary<String, (data: Value?, exprIndex: Int)>()
        for item in items {
            let e = reduce && item != nil ? frameFromTuple(env, item!) : env
            for (pairIndex, pair) in group.pairs.enumerated() {
                let ctx: Value? = reduce ? item.flatMap(tupleValue) : item
                let key = try evaluate(pair.0, ctx, e)
                guard let key else { continue }
                guard case .string(let k) = key else {
                    throw JSONataError("T1003", "Key in object structure must evaluate to a string; got: \(key.stringified())", position: group.position)
                }
                if let existing = groups[k] {
                    if existing.exprIndex != pairIndex {
                        throw JSONataError("D1009", "Multiple key definitions evaluate to same key: \(k)", position: group.position)
                    }
                    groups[k] = (Evaluator.append(existing.data, item), pairIndex)
                } else {
                    groups[k] = (item, pairIndex)
                }
            }
        }

        let result = JObject()
        for (key, entry) in groups {
            var context = entry.data
            var e = env
            if reduce, let data = entry.data {
                let tuple = reduceTupleStream(data)
                context = tuple.fields["@"]
                tuple.fields.removeValue(forKey: "@")
                e = frameFromTuple(env, .object(tuple))
            }
            if let v = try evaluate(group.pairs[entry.exprIndex].1, context, e) {
                result.fields[key] = v
            }
        }
        return .object(result)
    }

    private func reduceTupleStream(_ stream: Value) -> JObject {
        guard case .array(let a) = stream else {
            if case .object(let o) = stream { return JObject(o.fields) }
            return JObject()
        }
        let result = JObject()
        guard let first = a.items.first, case .object(let f) = first else { return result }
        result.fields = f.fields
        for t in a.items.dropFirst() {
            guard case .object(let o) = t else { continue }
            for (k, v) in o.fields { result.fields[k] = Evaluator.append(result.fields[k], v) }
        }
        return result
    }

    /// `$append` semantics: concatenation where non-arrays count as one-item arrays.
    static func append(_ a: Value?, _ b: Value?) -> Value? {
        guard let a else { return b }
        guard let b else { return a }
        var items: [Value]
        if case .array(let x) = a { items = x.items } else { items = [a] }
        if case .array(let y) = b { items.append(contentsOf: y.items) } else { items.append(b) }
        return .array(JArray(items))
    }

    // MARK: Operators

    @inline(never) private func evaluateBinary(_ expr: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        let op = expr.binaryOperator
        let lhs = try evaluateOperand(expr.lhs!, input, env)
        if op == .and {
            if !Value.truthy(lhs) { return .bool(false) }
            return .bool(Value.truthy(try evaluateOperand(expr.rhs!, input, env)))
        }
        if op == .or {
            if Value.truthy(lhs) { return .bool(true) }
            return .bool(Value.truthy(try evaluateOperand(expr.rhs!, input, env)))
        }
        let rhs = try evaluateOperand(expr.rhs!, input, env)
        do {
            switch op {
            case .add, .subtract, .multiply, .divide, .modulo:
                return try arithmetic(lhs, rhs, op, expr.text)
            case .equal:
                if lhs == nil || rhs == nil { return .bool(false) }
                return .bool(Value.deepEqual(lhs, rhs))
            case .notEqual:
                if lhs == nil || rhs == nil { return .bool(false) }
                return .bool(!Value.deepEqual(lhs, rhs))
            case .less, .lessOrEqual, .greater, .greaterOrEqual:
                return try compare(lhs, rhs, op, expr.text)
            case .concatenate:
                let l = try lhs?.toJSONataString() ?? ""
                let r = try rhs?.toJSONataString() ?? ""
                return .string(l + r)
            case .range:
                return try range(lhs, rhs)
            case .in:
                guard let lhs, let rhs else { return .bool(false) }
                let candidates: [Value]
                if case .array(let a) = rhs { candidates = a.items } else { candidates = [rhs] }
                return .bool(candidates.contains { Evaluator.strictEqual($0, lhs) })
            case .and, .or, .unknown:
                throw JSONataError("S0201", "Unknown operator \(expr.text)")
            }
        } catch var e as JSONataError {
            if e.position == nil { e.position = expr.position }
            if e.token == nil { e.token = expr.text }
            throw e
        }
    }

    /// JavaScript `===`: value equality for primitives, identity for objects and arrays.
    static func strictEqual(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x === y
        case (.object(let x), .object(let y)): return x === y
        case (.function(let x), .function(let y)): return x === y
        default: return false
        }
    }

    private func arithmetic(_ lhs: Value?, _ rhs: Value?, _ kind: Node.BinaryOperator, _ op: String) throws -> Value? {
        if let lhs, !lhs.isNumber {
            throw JSONataError("T2001", "The left side of the \(op) operator must evaluate to a number")
        }
        if let rhs, !rhs.isNumber {
            throw JSONataError("T2002", "The right side of the \(op) operator must evaluate to a number")
        }
        guard case .number(let l)? = lhs, case .number(let r)? = rhs else { return nil }
        // As in jsonata-js, an infinite operand is an error (D1001) but an infinite result is
        // not (yet): `$string(1/0)` reports D3001, `1/(1e300*1e300)` reports D1001.
        if !l.isFinite || !r.isFinite {
            throw JSONataError("D1001", "Number out of range: \(NumberFormatting.javaScript(l.isFinite ? r : l))")
        }
        let v: Double
        switch kind {
        case .add: v = l + r
        case .subtract: v = l - r
        case .multiply: v = l * r
        case .divide: v = l / r
        default: v = l.truncatingRemainder(dividingBy: r)
        }
        return .number(v)
    }

    private func compare(_ lhs: Value?, _ rhs: Value?, _ kind: Node.BinaryOperator, _ op: String) throws -> Value? {
        let lok = lhs == nil || lhs!.isString || lhs!.isNumber
        let rok = rhs == nil || rhs!.isString || rhs!.isNumber
        if !lok || !rok {
            throw JSONataError("T2010", "The expressions either side of operator \"\(op)\" must evaluate to numeric or string values")
        }
        guard let lhs, let rhs else { return nil }
        let c: Int
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)): c = a < b ? -1 : (a > b ? 1 : 0)
        case (.string(let a), .string(let b)): c = Evaluator.compareStrings(a, b)
        default:
            throw JSONataError("T2009", "The values either side of the operator \(op) must be of the same data type")
        }
        switch kind {
        case .less: return .bool(c < 0)
        case .lessOrEqual: return .bool(c <= 0)
        case .greater: return .bool(c > 0)
        default: return .bool(c >= 0)
        }
    }

    /// JavaScript string order: by UTF-16 code units.
    static func compareStrings(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        return a.utf16.lexicographicallyPrecedes(b.utf16) ? -1 : 1
    }

    private func range(_ lhs: Value?, _ rhs: Value?) throws -> Value? {
        if let lhs {
            guard case .number(let d) = lhs, d.rounded() == d else {
                throw JSONataError("T2003", "The left side of the range operator (..) must evaluate to an integer")
            }
        }
        if let rhs {
            guard case .number(let d) = rhs, d.rounded() == d else {
                throw JSONataError("T2004", "The right side of the range operator (..) must evaluate to an integer")
            }
        }
        guard case .number(let l)? = lhs, case .number(let r)? = rhs else { return nil }
        if l > r { return nil }
        let size = r - l + 1
        if size > 1e7 {
            throw JSONataError("D2014", "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate \(NumberFormatting.javaScript(size)).")
        }
        var items: [Value] = []
        items.reserveCapacity(Int(size))
        var x = l
        while x <= r {
            items.append(.number(x))
            x += 1
        }
        return .array(JArray.sequence(items))
    }

    // MARK: Sorting

    /// Stable merge sort with a throwing "a goes after b" predicate (jsonata-js `$sort`).
    static func mergeSort(_ items: [Value], _ after: (Value, Value) throws -> Bool) throws -> [Value] {
        if items.count <= 1 { return items }
        var src = items
        var dst = items
        var width = 1
        let n = items.count
        while width < n {
            var i = 0
            while i < n {
                let mid = min(i + width, n)
                let hi = min(i + 2 * width, n)
                var l = i
                var r = mid
                var k = i
                while l < mid && r < hi {
                    if try after(src[l], src[r]) {
                        dst[k] = src[r]; r += 1
                    } else {
                        dst[k] = src[l]; l += 1
                    }
                    k += 1
                }
                while l < mid { dst[k] = src[l]; l += 1; k += 1 }
                while r < hi { dst[k] = src[r]; r += 1; k += 1 }
                i += 2 * width
            }
            swap(&src, &dst)
            width *= 2
        }
        return src
    }

    @inline(never) private func evaluateSort(_ expr: Node, _ input: JArray, _ env: Frame) throws -> JArray? {
        let isTuple = input.tupleStream
        let items = input.items
        if items.isEmpty { return input }
        // Sort keys are computed once per item and term.
        var keys: [[Value?]] = []
        keys.reserveCapacity(items.count)
        for item in items {
            var ctx: Value? = item
            var e = env
            if isTuple {
                ctx = tupleValue(item)
                e = frameFromTuple(env, item)
            }
            var k: [Value?] = []
            for (term, _) in expr.terms { k.append(try evaluate(term, ctx, e)) }
            keys.append(k)
        }
        let indexed: [Value] = (0..<items.count).map { .number(Double($0)) }
        let sorted = try Evaluator.mergeSort(indexed) { a, b in
            guard case .number(let ia) = a, case .number(let ib) = b else { return false }
            let ka = keys[Int(ia)]
            let kb = keys[Int(ib)]
            var comp = 0
            for (t, term) in expr.terms.enumerated() where comp == 0 {
                let aa = ka[t]
                let bb = kb[t]
                guard let aa else { comp = bb == nil ? 0 : 1; continue }
                guard let bb else { comp = -1; continue }
                let aok = aa.isString || aa.isNumber
                let bok = bb.isString || bb.isNumber
                if !aok || !bok {
                    throw JSONataError("T2008", "The expressions within an order-by clause must evaluate to numeric or string values", position: expr.position)
                }
                switch (aa, bb) {
                case (.number(let x), .number(let y)): comp = x == y ? 0 : (x < y ? -1 : 1)
                case (.string(let x), .string(let y)): comp = Evaluator.compareStrings(x, y)
                default:
                    throw JSONataError("T2007", "Type mismatch within order-by clause. All values must be of the same type", position: expr.position)
                }
                if term.1 { comp = -comp }
            }
            return comp == 1
        }
        let out = JArray.sequence(sorted.map { v -> Value in
            if case .number(let i) = v { return items[Int(i)] }
            return v
        })
        out.tupleStream = input.tupleStream
        return out
    }

    // MARK: Functions

    @inline(never) private func evaluateCall(_ expr: Node, _ input: Value?, _ env: Frame, applyTo: Value??) throws -> Value? {
        let procNode = expr.procedure!
        if let native = procNode.builtin, !builtinsRebound || env.lookup(procNode.text) == nil {
            // A built-in called by name: no function value to build.
            try enter(procNode)
            depth -= 1
            var args: [Value?]
            if applyTo == nil, expr.arguments.count == 1 {
                // Most calls (`$number(x)`, `$string(x)`): an array literal is allocated at its
                // size, where reserving and appending went through the growth path.
                args = [try evaluateOperand(expr.arguments[0], input, env)]
            } else {
                args = []
                args.reserveCapacity(expr.arguments.count + 1)
                if let applyTo { args.append(applyTo) }
                for a in expr.arguments { args.append(try evaluateOperand(a, input, env)) }
            }
            do {
                let validated = try native.signature?.validate(args, context: input, position: expr.position) ?? args
                let ctx = CallContext(evaluator: self, input: input, environment: env, position: expr.position)
                return try native.implementation(validated, ctx)
            } catch var e as JSONataError {
                if e.position == nil { e.position = expr.position }
                if e.token == nil { e.token = procNode.text }
                throw e
            }
        }
        let proc = try evaluate(procNode, input, env)
        if proc == nil, procNode.kind == .path, let first = procNode.steps.first, first.kind == .name,
            lookupVariable(first.text, env) != nil
        {
            throw JSONataError("T1005", "Attempted to invoke a non-function. Did you mean ${\(first.text)}?", position: expr.position, token: first.text)
        }
        var args: [Value?] = []
        args.reserveCapacity(expr.arguments.count + 1)
        if let applyTo { args.append(applyTo) }
        for a in expr.arguments { args.append(try evaluate(a, input, env)) }
        let name = procNode.kind == .path ? procNode.steps.first?.text : procNode.text
        guard case .function(let f)? = proc else {
            throw JSONataError("T1006", "Attempted to invoke a non-function", position: expr.position, token: name)
        }
        do {
            return try apply(f, args, input: input, environment: env, position: expr.position)
        } catch var e as JSONataError {
            if e.position == nil { e.position = expr.position }
            if e.token == nil { e.token = name }
            throw e
        }
    }

    /// Applies a function to arguments, running tail-call thunks in a loop (trampoline).
    @inline(never) func apply(_ f: JFunction, _ args: [Value?], input: Value?, environment: Frame, position: Int) throws -> Value? {
        var result = try applyInner(f, args, input: input, environment: environment, position: position)
        while case .function(let t)? = result, let info = t.lambda, info.isThunk, let tenv = t.lambdaEnvironment {
            let tinput = t.lambdaInput
            let body = info.body
            let next = try evaluate(body.procedure!, tinput, tenv)
            var evaluated: [Value?] = []
            evaluated.reserveCapacity(body.arguments.count)
            for a in body.arguments { evaluated.append(try evaluate(a, tinput, tenv)) }
            guard case .function(let nf)? = next else {
                let name = body.procedure!.kind == .path ? body.procedure!.steps.first?.text : body.procedure!.text
                throw JSONataError("T1006", "Attempted to invoke a non-function", position: body.position, token: name)
            }
            result = try applyInner(nf, evaluated, input: input, environment: environment, position: body.position)
        }
        return result
    }

    @inline(never) private func applyInner(_ f: JFunction, _ args: [Value?], input: Value?, environment: Frame, position: Int) throws -> Value? {
        if let info = f.lambda, let fenv = f.lambdaEnvironment {
            let finput = f.lambdaInput
            let validated = try info.signature?.validate(args, context: input, position: position) ?? args
            let frame: Frame
            let params = info.params
            if info.paramsAreDistinct, params.count <= 2, !params.isEmpty {
                let first = validated.isEmpty ? nil : validated[0]
                let secondName = params.count == 2 ? params[1] : nil
                let second = params.count == 2 && validated.count >= 2 ? validated[1] : nil
                var reused: Frame
                if let spare = spareFrame {
                    spareFrame = nil
                    spare.reset(parent: fenv, params[0], first, secondName, second)
                    reused = spare
                } else {
                    reused = Frame(parent: fenv, params[0], first, secondName, second)
                }
                let result = try evaluate(info.body, finput, reused)
                // Nothing made during the call kept the frame (no closure over it): the next
                // call can have it, one allocation less per call of `$map`'s function.
                if isKnownUniquelyReferenced(&reused) {
                    reused.clear()
                    spareFrame = reused
                }
                return result
            } else {
                frame = Frame(parent: fenv)
                for (i, p) in info.params.enumerated() {
                    frame.bind(p, i < validated.count ? validated[i] : nil)
                }
            }
            return try evaluate(info.body, finput, frame)
        }
        switch f.kind {
        case .lambda:
            preconditionFailure("lambdas are applied above")
        case .native(let n):
            let validated = try n.signature?.validate(args, context: input, position: position) ?? args
            let ctx = CallContext(evaluator: self, input: input, environment: environment, position: position)
            return try n.implementation(validated, ctx)
        case .partial(let base, let bound):
            var filled: [Value?] = []
            var k = 0
            for b in bound {
                switch b {
                case .bound(let v): filled.append(v)
                case .placeholder:
                    filled.append(k < args.count ? args[k] : nil)
                    k += 1
                }
            }
            return try apply(base, filled, input: input, environment: environment, position: position)
        case .regex(let m):
            guard case .string(let s)? = args.first ?? nil else { return nil }
            var from = 0
            if args.count > 1, case .number(let d)? = args[1] { from = Int(d) }
            return regexMatch(m, s, from: from, position: position)
        case .matchNext(let m, let s, let from, let pos):
            if from >= (s as NSString).length { return nil }
            let n = regexMatch(m, s, from: from, position: pos)
            if case .object(let o)? = n, case .string(let mm)? = o.fields["match"], mm.isEmpty {
                throw JSONataError("D1004", "Regular expression matches zero length string", position: pos)
            }
            return n
        case .composition(let first, let second):
            let inner = try apply(first, [args.first ?? nil], input: input, environment: environment, position: position)
            return try apply(second, [inner], input: input, environment: environment, position: position)
        case .transformer(let node, let tenv):
            let validated = try Evaluator.transformSignature.validate(args, context: input, position: position)
            return try transform(node, tenv, validated.first ?? nil)
        }
    }

    static let transformSignature = Signature("<(oa):o>")

    /// The JSONata match object of a regex applied at UTF-16 offset `from`:
    /// `{match, start, end, groups, next}`.
    func regexMatch(_ m: RegexMatcher, _ s: String, from: Int, position: Int) -> Value? {
        guard let r = m.firstMatch(in: s, from: from) else { return nil }
        let ns = s as NSString
        let matched = ns.substring(with: r.range)
        let obj = JObject()
        obj.fields["match"] = .string(matched)
        obj.fields["start"] = .number(Double(r.range.location))
        obj.fields["end"] = .number(Double(r.range.location + r.range.length))
        var groups: [Value] = []
        if r.numberOfRanges > 1 {
            for g in 1..<r.numberOfRanges {
                let gr = r.range(at: g)
                groups.append(.string(gr.location == NSNotFound ? "" : ns.substring(with: gr)))
            }
        }
        obj.fields["groups"] = .array(JArray(groups))
        let end = r.range.location + r.range.length
        obj.fields["next"] = .function(JFunction(.matchNext(m, s, from: end, position: position)))
        return .object(obj)
    }

    @inline(never) private func evaluatePartial(_ expr: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        var bound: [JFunction.PartialArgument] = []
        for a in expr.arguments {
            if a.kind == .placeholder {
                bound.append(.placeholder)
            } else {
                bound.append(.bound(try evaluate(a, input, env)))
            }
        }
        let procNode = expr.procedure!
        let proc = try evaluate(procNode, input, env)
        if proc == nil, procNode.kind == .path, let first = procNode.steps.first, first.kind == .name,
            lookupVariable(first.text, env) != nil
        {
            throw JSONataError("T1007", "Attempted to partially apply a non-function. Did you mean ${\(first.text)}?", position: expr.position, token: first.text)
        }
        guard case .function(let f)? = proc else {
            let name = procNode.kind == .path ? procNode.steps.first?.text : procNode.text
            throw JSONataError("T1008", "Attempted to partially apply a non-function", position: expr.position, token: name)
        }
        return .function(JFunction(.partial(f, bound: bound)))
    }

    @inline(never) private func evaluateApply(_ expr: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        let rhsNode = expr.rhs!
        if rhsNode.kind == .call {
            let lhs = try evaluate(expr.lhs!, input, env)
            return try evaluateCall(rhsNode, input, env, applyTo: .some(lhs))
        }
        let lhs = try evaluate(expr.lhs!, input, env)
        let fv = try evaluate(rhsNode, input, env)
        guard case .function(let f)? = fv else {
            throw JSONataError("T2006", "The right side of the function application operator ~> must be a function", position: expr.position)
        }
        if case .function(let lf)? = lhs {
            // Function composition: x ~> (f ~> g) = g(f(x)).
            return .function(JFunction(.composition(lf, f)))
        }
        return try apply(f, [lhs], input: nil, environment: env, position: expr.position)
    }

    // MARK: Transform

    @inline(never) private func transform(_ expr: Node, _ env: Frame, _ obj: Value?) throws -> Value? {
        guard let obj else { return nil }
        let result = Evaluator.deepClone(obj)
        guard let matches = try evaluate(expr.pattern!, result, env) else { return result }
        let list: [Value]
        if case .array(let a) = matches { list = a.items } else { list = [matches] }
        for match in list {
            if let update = try evaluate(expr.update!, match, env) {
                guard case .object(let u) = update else {
                    throw JSONataError("T2011", "The insert/update clause of the transform expression must evaluate to an object: \(update.stringified())", position: expr.update!.position)
                }
                if case .object(let m) = match {
                    for (k, v) in u.fields { m.fields[k] = v }
                }
            }
            if let delNode = expr.delete, let deletions = try evaluate(delNode, match, env) {
                let names: [Value]
                if case .array(let a) = deletions { names = a.items } else { names = [deletions] }
                guard names.allSatisfy(\.isString) else {
                    throw JSONataError("T2012", "The delete clause of the transform expression must evaluate to a string or array of strings: \(deletions.stringified())", position: delNode.position)
                }
                if case .object(let m) = match {
                    for n in names { if case .string(let k) = n { m.fields.removeValue(forKey: k) } }
                }
            }
        }
        return result
    }

    /// Deep copy of arrays and objects (what `$clone` / the transform operator start from).
    static func deepClone(_ v: Value) -> Value {
        switch v {
        case .array(let a):
            let c = JArray(a.items.map(deepClone), sequence: a.isSequence)
            return .array(c)
        case .object(let o):
            var f = OrderedDictionary<String, Value>(minimumCapacity: o.fields.count)
            for (k, x) in o.fields { f[k] = deepClone(x) }
            return .object(JObject(f))
        default:
            return v
        }
    }
}
