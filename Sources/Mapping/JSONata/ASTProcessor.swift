import JSON

/// Turns the raw parse tree into the evaluator's form, as the reference implementation's
/// `processAST` does: `a.b.c` becomes one path of steps; predicates become filter stages of the
/// step they follow; `{…}` after a path becomes its group-by; `@`/`#` mark tuple steps; `%` is
/// resolved to the step whose context it refers to; calls in tail position of lambda bodies
/// become thunks (tail-call optimisation).
struct ASTProcessor {
    private var ancestorLabel = 0
    private var ancestorIndex = 0
    private var ancestry: [Node] = []
    /// Raw nodes shared by two parents (`a ?: b` uses `a` as condition and value) are processed
    /// once, so that in-place rewrites (such as folding `-1`) are not applied twice.
    private var processed: [ObjectIdentifier: Node] = [:]

    /// Processes the root of a parse tree; a `%` with no step to refer to is an error here.
    mutating func processRoot(_ expr: Node) throws -> Node {
        let result = try process(expr)
        if result.kind == .parent || result.seekingParent != nil {
            throw JSONataError("S0217", "The object representing the 'parent' cannot be derived from this expression", position: result.position, token: "parent")
        }
        return result
    }

    mutating func process(_ expr: Node) throws -> Node {
        if let done = processed[ObjectIdentifier(expr)] { return done }
        let result = try processOnce(expr)
        processed[ObjectIdentifier(expr)] = result
        return result
    }

    private mutating func processOnce(_ expr: Node) throws -> Node {
        let result: Node
        switch expr.kind {
        case .rawDot:
            let lstep = try process(expr.lhs!)
            var path: Node
            if lstep.kind == .path {
                path = lstep
            } else {
                path = Node(.path, lstep.position)
                path.steps = [lstep]
            }
            if lstep.kind == .parent, let s = lstep.slot { path.seekingParent = [s] }
            let rest = try process(expr.rhs!)
            if rest.kind == .path {
                path.steps.append(contentsOf: rest.steps)
            } else {
                if rest.predicate != nil {
                    rest.stages = rest.predicate
                    rest.predicate = nil
                }
                path.steps.append(rest)
            }
            for step in path.steps {
                if step.kind == .number || step.kind == .value {
                    throw JSONataError("S0213", "The literal value \(literalText(step)) cannot be used as a step within a path expression", position: step.position, token: literalText(step))
                }
                if step.kind == .string { step.kind = .name }
            }
            if path.steps.contains(where: { $0.keepArray }) { path.keepSingletonArray = true }
            if let first = path.steps.first, first.kind == .arrayConstructor { first.consarray = true }
            if let last = path.steps.last, last.kind == .arrayConstructor { last.consarray = true }
            try resolveAncestry(path)
            result = path

        case .rawPredicate:
            let r = try process(expr.lhs!)
            var step = r
            var toStages = false
            if r.kind == .path, let last = r.steps.last {
                step = last
                toStages = true
            }
            if step.group != nil {
                throw JSONataError("S0209", "A predicate cannot follow a grouping expression in a step", position: expr.position)
            }
            let predicate = try process(expr.rhs!)
            if let seeking = predicate.seekingParent {
                for slot in seeking {
                    if slot.level == 1 {
                        _ = try seekParent(step, slot)
                    } else {
                        slot.level -= 1
                    }
                }
                pushAncestry(step, predicate)
            }
            let filter = Node(.filter, expr.position)
            filter.expression = predicate
            if toStages {
                step.stages = (step.stages ?? []) + [filter]
            } else {
                step.predicate = (step.predicate ?? []) + [filter]
            }
            result = r

        case .rawGroup:
            let r = try process(expr.lhs!)
            if r.group != nil {
                throw JSONataError("S0210", "Each step can only have one grouping expression", position: expr.position)
            }
            var pairs: [(Node, Node)] = []
            for (k, v) in expr.pairs { pairs.append((try process(k), try process(v))) }
            r.group = Node.Group(pairs: pairs, position: expr.position)
            result = r

        case .rawSort:
            var r = try process(expr.lhs!)
            if r.kind != .path {
                let p = Node(.path, r.position)
                p.steps = [r]
                r = p
            }
            let sortStep = Node(.sort, expr.position)
            for (e, desc) in expr.terms {
                let pe = try process(e)
                pushAncestry(sortStep, pe)
                sortStep.terms.append((pe, desc))
            }
            r.steps.append(sortStep)
            try resolveAncestry(r)
            result = r

        case .rawBind:
            let n = Node(.bind, expr.position)
            n.lhs = try process(expr.lhs!)
            n.rhs = try process(expr.rhs!)
            pushAncestry(n, n.rhs!)
            result = n

        case .rawFocus:
            let r = try process(expr.lhs!)
            var step = r
            if r.kind == .path, let last = r.steps.last { step = last }
            if step.stages != nil || step.predicate != nil {
                throw JSONataError("S0215", "A context variable binding must precede any predicates on a step", position: expr.position)
            }
            if step.kind == .sort {
                throw JSONataError("S0216", "A context variable binding must precede the 'order-by' clause on a step", position: expr.position)
            }
            if expr.keepArray { step.keepArray = true }
            step.focus = expr.rhs!.text
            step.tuple = true
            result = r

        case .rawIndex:
            var r = try process(expr.lhs!)
            var step = r
            if r.kind == .path, let last = r.steps.last {
                step = last
            } else {
                let p = Node(.path, r.position)
                p.steps = [r]
                if step.predicate != nil {
                    step.stages = step.predicate
                    step.predicate = nil
                }
                r = p
            }
            if step.stages == nil {
                step.index = expr.rhs!.text
            } else {
                let ix = Node(.indexStage, expr.position)
                ix.text = expr.rhs!.text
                step.stages!.append(ix)
            }
            step.tuple = true
            result = r

        case .apply:
            let n = Node(.apply, expr.position)
            n.text = "~>"
            n.lhs = try process(expr.lhs!)
            n.rhs = try process(expr.rhs!)
            n.keepArray = n.lhs!.keepArray || n.rhs!.keepArray
            result = n

        case .binary:
            let n = Node(.binary, expr.position)
            n.text = expr.text
            n.lhs = try process(expr.lhs!)
            n.rhs = try process(expr.rhs!)
            pushAncestry(n, n.lhs!)
            pushAncestry(n, n.rhs!)
            result = n

        case .arrayConstructor:
            let n = Node(.arrayConstructor, expr.position)
            for item in expr.expressions {
                let v = try process(item)
                pushAncestry(n, v)
                n.expressions.append(v)
            }
            result = n

        case .objectConstructor:
            let n = Node(.objectConstructor, expr.position)
            for (k, v) in expr.pairs {
                let pk = try process(k)
                pushAncestry(n, pk)
                let pv = try process(v)
                pushAncestry(n, pv)
                n.pairs.append((pk, pv))
            }
            result = n

        case .negate:
            let inner = try process(expr.expression!)
            if inner.kind == .number {
                inner.number = -inner.number
                result = inner
            } else {
                let n = Node(.negate, expr.position)
                n.expression = inner
                pushAncestry(n, inner)
                result = n
            }

        case .call, .partial:
            let n = Node(expr.kind, expr.position)
            for a in expr.arguments {
                let pa = try process(a)
                pushAncestry(n, pa)
                n.arguments.append(pa)
            }
            n.procedure = try process(expr.procedure!)
            result = n

        case .lambda:
            let n = Node(.lambda, expr.position)
            let body = tailCallOptimize(try process(expr.expression!))
            let signature = expr.signatureSource.map(Signature.init)
            n.lambda = LambdaInfo(params: expr.params, signature: signature, body: body, isThunk: false)
            result = n

        case .condition:
            let n = Node(.condition, expr.position)
            n.condition = try process(expr.condition!)
            pushAncestry(n, n.condition!)
            n.then = try process(expr.then!)
            pushAncestry(n, n.then!)
            if let e = expr.otherwise {
                n.otherwise = try process(e)
                pushAncestry(n, n.otherwise!)
            }
            result = n

        case .transform:
            let n = Node(.transform, expr.position)
            n.pattern = try process(expr.pattern!)
            n.update = try process(expr.update!)
            if let d = expr.delete { n.delete = try process(d) }
            result = n

        case .block:
            let n = Node(.block, expr.position)
            for e in expr.expressions {
                let part = try process(e)
                pushAncestry(n, part)
                if part.consarray || (part.kind == .path && part.steps.first?.consarray == true) {
                    n.consarray = true
                }
                n.expressions.append(part)
            }
            result = n

        case .name:
            let p = Node(.path, expr.position)
            p.steps = [expr]
            if expr.keepArray { p.keepSingletonArray = true }
            result = p

        case .parent:
            let n = Node(.parent, expr.position)
            n.slot = AncestorSlot(label: "!\(ancestorLabel)", level: 1, index: ancestorIndex)
            ancestorLabel += 1
            ancestorIndex += 1
            ancestry.append(n)
            result = n

        case .string, .number, .value, .wildcard, .descendant, .variable, .regex, .placeholder:
            result = expr

        default:
            throw JSONataError("S0201", "Syntax error", position: expr.position)
        }
        if expr.keepArray { result.keepArray = true }
        return result
    }

    private func literalText(_ n: Node) -> String {
        if n.kind == .number { return NumberFormatting.javaScript(n.number) }
        return n.bool.map { $0 ? "true" : "false" } ?? "null"
    }

    private func tailCallOptimize(_ expr: Node) -> Node {
        switch expr.kind {
        case .call where expr.predicate == nil:
            let thunk = Node(.lambda, expr.position)
            thunk.lambda = LambdaInfo(params: [], signature: nil, body: expr, isThunk: true)
            return thunk
        case .condition:
            expr.then = tailCallOptimize(expr.then!)
            if let e = expr.otherwise { expr.otherwise = tailCallOptimize(e) }
            return expr
        case .block:
            if let last = expr.expressions.last {
                expr.expressions[expr.expressions.count - 1] = tailCallOptimize(last)
            }
            return expr
        default:
            return expr
        }
    }

    private func seekParent(_ node: Node, _ slotIn: AncestorSlot) throws -> AncestorSlot {
        var slot = slotIn
        switch node.kind {
        case .name, .wildcard:
            slot.level -= 1
            if slot.level == 0 {
                if let existing = node.ancestor {
                    ancestry[slot.index].slot!.label = existing.label
                    node.ancestor = slot
                } else {
                    node.ancestor = slot
                }
                node.tuple = true
            }
        case .parent:
            slot.level += 1
        case .block:
            if let last = node.expressions.last {
                node.tuple = true
                slot = try seekParent(last, slot)
            }
        case .path:
            node.tuple = true
            var index = node.steps.count - 1
            slot = try seekParent(node.steps[index], slot)
            index -= 1
            while slot.level > 0 && index >= 0 {
                slot = try seekParent(node.steps[index], slot)
                index -= 1
            }
        default:
            throw JSONataError("S0217", "The object representing the 'parent' cannot be derived from this expression", position: node.position)
        }
        return slot
    }

    private func pushAncestry(_ result: Node, _ value: Node) {
        guard value.seekingParent != nil || value.kind == .parent else { return }
        var slots = value.seekingParent ?? []
        if value.kind == .parent, let s = value.slot { slots.append(s) }
        if result.seekingParent == nil {
            result.seekingParent = slots
        } else {
            result.seekingParent!.append(contentsOf: slots)
        }
    }

    private mutating func resolveAncestry(_ path: Node) throws {
        guard let laststep = path.steps.last else { return }
        var slots = laststep.seekingParent ?? []
        if laststep.kind == .parent, let s = laststep.slot { slots.append(s) }
        for s in slots {
            var slot = s
            var index = path.steps.count - 2
            while slot.level > 0 {
                if index < 0 {
                    if path.seekingParent == nil {
                        path.seekingParent = [slot]
                    } else {
                        path.seekingParent!.append(slot)
                    }
                    break
                }
                var step = path.steps[index]
                index -= 1
                while index >= 0 && step.focus != nil && path.steps[index].focus != nil {
                    step = path.steps[index]
                    index -= 1
                }
                slot = try seekParent(step, slot)
            }
        }
    }
}
