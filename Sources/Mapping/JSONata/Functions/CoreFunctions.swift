/// Built-ins that belong to the language core: the higher-order functions the evaluator's
/// function protocol is designed around, `$eval`, and the boolean/existence/type functions.
enum CoreFunctions {
    static let functions: [NativeFunction] = [
        NativeFunction("map", "<af>", arity: 2) { args, ctx in
            guard case .array(let arr)? = args[0], case .function(let f)? = args[1] else { return nil }
            var out: [Value] = []
            let items = arr.items
            out.reserveCapacity(items.count)
            // One argument array for every call: it is unshared again once a call returns.
            var callArgs: [Value?] = [nil, nil, .array(arr)]
            for (i, item) in items.enumerated() {
                callArgs[0] = item
                callArgs[1] = .number(Double(i))
                if let r = try ctx.applyHigherOrder(f, callArgs) { out.append(r) }
            }
            return .array(JArray.sequence(out))
        },
        NativeFunction("filter", "<af>", arity: 2) { args, ctx in
            guard case .array(let arr)? = args[0], case .function(let f)? = args[1] else { return nil }
            let result = JArray.sequence()
            let whole: Value = .array(arr)
            for (i, item) in arr.items.enumerated() {
                if Value.truthy(try ctx.applyHigherOrder(f, [item, .number(Double(i)), whole])) {
                    result.items.append(item)
                }
            }
            return .array(result)
        },
        NativeFunction("reduce", "<afj?:j>", arity: 2) { args, ctx in
            guard case .array(let arr)? = args[0], case .function(let f)? = args[1] else { return nil }
            let arity = f.arity
            if arity < 2 {
                throw ctx.error("D3050", "The second argument of reduce function must be a function with at least two arguments")
            }
            var result: Value?
            var index = 0
            let initial = args.count > 2 ? args[2] : nil
            if initial == nil, !arr.items.isEmpty {
                result = arr.items[0]
                index = 1
            } else {
                result = initial
            }
            while index < arr.items.count {
                var callArgs: [Value?] = [result, arr.items[index]]
                if arity >= 3 { callArgs.append(.number(Double(index))) }
                if arity >= 4 { callArgs.append(.array(arr)) }
                result = try ctx.apply(f, callArgs)
                index += 1
            }
            return result
        },
        NativeFunction("single", "<af?>", arity: 2) { args, ctx in
            guard case .array(let arr)? = args[0] else { return nil }
            var found: Value? = nil
            var hasMatch = false
            let whole: Value = .array(arr)
            for (i, item) in arr.items.enumerated() {
                var positive = true
                if case .function(let f)? = args.count > 1 ? args[1] : nil {
                    positive = Value.truthy(try ctx.applyHigherOrder(f, [item, .number(Double(i)), whole]))
                }
                if positive {
                    if hasMatch {
                        throw ctx.error("D3138", "The $single() function expected exactly 1 matching result.  Instead it matched more.")
                    }
                    found = item
                    hasMatch = true
                }
            }
            if !hasMatch {
                throw ctx.error("D3139", "The $single() function expected exactly 1 matching result.  Instead it matched 0.")
            }
            return found
        },
        NativeFunction("eval", "<sx?:x>", arity: 1) { args, ctx in
            guard case .string(let source)? = args[0] else { return nil }
            var input = ctx.input
            if args.count > 1, let focus = args[1] {
                input = focus
                if case .array(let a) = focus, !a.isSequence {
                    let w = JArray.sequence([focus])
                    w.outerWrapper = true
                    input = .array(w)
                }
            }
            let ast: Node
            do {
                ast = try Parser.parse(source)
            } catch let e as JSONataError {
                throw ctx.error("D3120", "Syntax error in expression passed to function eval: \(e.message)")
            }
            do {
                return try ctx.evaluator.evaluate(ast, input, ctx.environment)
            } catch let e as JSONataError {
                if e.code == "U1001" { throw e }
                throw ctx.error("D3121", "Dynamic error evaluating the expression passed to function eval: \(e.message)")
            }
        },
        NativeFunction("boolean", "<x-:b>") { args, _ in
            guard let v = args[0] else { return nil }
            return .bool(Value.truthy(v))
        },
        NativeFunction("not", "<x-:b>") { args, _ in
            guard let v = args[0] else { return nil }
            return .bool(!Value.truthy(v))
        },
        NativeFunction("exists", "<x:b>") { args, _ in
            .bool(args[0] != nil)
        },
        NativeFunction("count", "<a:n>") { args, _ in
            guard case .array(let a)? = args[0] else { return .number(0) }
            return .number(Double(a.items.count))
        },
        NativeFunction("type", "<x:s>") { args, _ in
            guard let v = args[0] else { return nil }
            return .string(v.typeName)
        },
        NativeFunction("error", "<s?:x>") { args, ctx in
            let message = args.first.flatMap { $0?.stringValue } ?? "$error() function evaluated"
            throw ctx.error("D3137", message)
        },
        NativeFunction("assert", "<bs?:x>") { args, ctx in
            guard case .bool(let ok)? = args[0] else { return nil }
            if !ok {
                let message = args.count > 1 ? (args[1]?.stringValue ?? "$assert() statement failed") : "$assert() statement failed"
                throw ctx.error("D3141", message)
            }
            return nil
        },
    ]
}
