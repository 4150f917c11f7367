/// JSONata's array functions (docs.jsonata.org/array-functions): `$append $reverse $shuffle
/// $distinct $zip $sort` (`$count` belongs to the core). Inputs are never modified: results are
/// new arrays, or the input itself where jsonata-js returns it unchanged (one item or none).
enum ArrayFunctions {
    static let functions: [NativeFunction] = [
        NativeFunction("append", "<xx:a>", arity: 2) { args, _ in
            guard let first = args[0] else { return args[1] }
            guard let second = args[1] else { return first }
            var items: [Value] = []
            if case .array(let a) = first { items = a.items } else { items = [first] }
            if case .array(let b) = second { items += b.items } else { items.append(second) }
            return .array(JArray(items))
        },
        NativeFunction("reverse", "<a:a>", arity: 1) { args, _ in
            guard case .array(let a)? = args[0] else { return nil }
            if a.items.count <= 1 { return .array(a) }
            return .array(JArray(a.items.reversed()))
        },
        NativeFunction("shuffle", "<a:a>", arity: 1) { args, _ in
            guard case .array(let a)? = args[0] else { return nil }
            if a.items.count <= 1 { return .array(a) }
            return .array(JArray(a.items.shuffled()))
        },
        NativeFunction("distinct", "<x:x>", arity: 1) { args, _ in
            guard let arg = args[0] else { return nil }
            guard case .array(let a) = arg, a.items.count > 1 else { return arg }
            let result = a.isSequence ? JArray.sequence(distinct(a.items)) : JArray(distinct(a.items))
            return .array(result)
        },
        NativeFunction("zip", "<a+>", arity: 0) { args, _ in
            let arrays = args.map { $0?.arrayValue }
            var length = arrays.isEmpty ? 0 : Int.max
            for a in arrays { length = min(length, a?.items.count ?? 0) }
            var result: [Value] = []
            result.reserveCapacity(length)
            for i in 0..<length {
                result.append(.array(JArray(arrays.map { $0!.items[i] })))
            }
            return .array(JArray(result))
        },
        NativeFunction("sort", "<af?:a>", arity: 2) { args, ctx in
            guard case .array(let a)? = args[0] else { return nil }
            if a.items.count <= 1 { return .array(a) }
            if case .function(let comparator)? = args[1] {
                // jsonata-js tests the comparator's result with JavaScript truthiness.
                let sorted = try mergeSort(a.items) { x, y in
                    javaScriptTruthy(try ctx.apply(comparator, [x, y]))
                }
                return .array(JArray(sorted))
            }
            if a.items.allSatisfy(\.isNumber) {
                return .array(JArray(try mergeSort(a.items) { x, y in x.numberValue! > y.numberValue! }))
            }
            if a.items.allSatisfy(\.isString) {
                return .array(JArray(try mergeSort(a.items) { x, y in
                    // JavaScript compares strings by UTF-16 code units.
                    y.stringValue!.utf16.lexicographicallyPrecedes(x.stringValue!.utf16)
                }))
            }
            throw ctx.error(
                "D3070",
                "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function"
            )
        },
    ]

    /// Stable merge sort; `after(a, b)` true means `a` must come after `b` (the order of
    /// jsonata-js's merge, which takes from the right run only when the comparator says so).
    static func mergeSort(_ items: [Value], _ after: (Value, Value) throws -> Bool) throws -> [Value] {
        if items.count <= 1 { return items }
        var source = items
        var buffer = items
        // Split top-down at floor(n/2) like the reference, so that a comparator that is not a
        // strict order still sees the same pairs in the same order.
        func sort(_ lo: Int, _ hi: Int) throws {
            if hi - lo <= 1 { return }
            let mid = lo + (hi - lo) / 2
            try sort(lo, mid)
            try sort(mid, hi)
            var i = lo
            var j = mid
            var k = lo
            while i < mid && j < hi {
                if try after(source[i], source[j]) {
                    buffer[k] = source[j]
                    j += 1
                } else {
                    buffer[k] = source[i]
                    i += 1
                }
                k += 1
            }
            while i < mid { buffer[k] = source[i]; i += 1; k += 1 }
            while j < hi { buffer[k] = source[j]; j += 1; k += 1 }
            for x in lo..<hi { source[x] = buffer[x] }
        }
        try sort(0, items.count)
        return source
    }

    /// JavaScript's `if (value)`: false for undefined, null, false, 0, NaN and ""; true for
    /// everything else, including empty arrays and objects.
    static func javaScriptTruthy(_ v: Value?) -> Bool {
        guard let v else { return false }
        switch v {
        case .null: return false
        case .bool(let b): return b
        case .number(let d): return d != 0 && !d.isNaN
        case .string(let s): return !s.isEmpty
        default: return true
        }
    }

    /// Items with deep-equal duplicates removed, first occurrence kept. Scalars are checked with
    /// hashing, structured values pairwise.
    static func distinct(_ items: [Value]) -> [Value] {
        var out: [Value] = []
        var seenStrings = Set<String>()
        var seenNumbers = Set<Double>()
        var seenBools = Set<Bool>()
        var seenNull = false
        var structured: [Value] = []
        for item in items {
            switch item {
            case .string(let s): if seenStrings.insert(s).inserted { out.append(item) }
            case .number(let d): if seenNumbers.insert(d == 0 ? 0 : d).inserted { out.append(item) }
            case .bool(let b): if seenBools.insert(b).inserted { out.append(item) }
            case .null: if !seenNull { seenNull = true; out.append(item) }
            default:
                if !structured.contains(where: { Value.deepEqual($0, item) }) {
                    structured.append(item)
                    out.append(item)
                }
            }
        }
        return out
    }
}
