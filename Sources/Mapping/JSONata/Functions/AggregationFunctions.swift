/// JSONata's aggregation functions (docs.jsonata.org/aggregation-functions): `$sum $max $min
/// $average` over an array of numbers (a single number counts as a one-item array; the signature
/// rejects other items with T0412).
enum AggregationFunctions {
    static let functions: [NativeFunction] = [
        NativeFunction("sum", "<a<n>:n>", arity: 1) { args, ctx in
            guard case .array(let a)? = args[0] else { return nil }
            var total = 0.0
            for item in a.items { total += item.numberValue ?? 0 }
            return try NumericFunctions.finite(total, ctx)
        },
        NativeFunction("max", "<a<n>:n>", arity: 1) { args, _ in
            guard case .array(let a)? = args[0], !a.items.isEmpty else { return nil }
            var best = -Double.infinity
            for item in a.items {
                let d = item.numberValue ?? .nan
                if d.isNaN { return nil }
                if d > best { best = d }
            }
            return .number(best)
        },
        NativeFunction("min", "<a<n>:n>", arity: 1) { args, _ in
            guard case .array(let a)? = args[0], !a.items.isEmpty else { return nil }
            var best = Double.infinity
            for item in a.items {
                let d = item.numberValue ?? .nan
                if d.isNaN { return nil }
                if d < best { best = d }
            }
            return .number(best)
        },
        NativeFunction("average", "<a<n>:n>", arity: 1) { args, ctx in
            guard case .array(let a)? = args[0], !a.items.isEmpty else { return nil }
            var total = 0.0
            for item in a.items { total += item.numberValue ?? 0 }
            return try NumericFunctions.finite(total / Double(a.items.count), ctx)
        },
    ]
}
