import Collections
import JSON

/// JSONata's object functions (docs.jsonata.org/object-functions): `$keys $lookup $spread
/// $merge $each $sift`, and `$clone` (bound by jsonata-js for the transform operator). Results that jsonata-js builds as sequences are sequences here too, so
/// that an empty result is undefined and a single one is the value itself.
enum ObjectFunctions {
    static let functions: [NativeFunction] = [
        NativeFunction("keys", "<x-:a<s>>", arity: 1) { args, _ in
            let result = JArray.sequence()
            switch args[0] {
            case .object(let o)?:
                for key in o.fields.keys { result.append(.string(key)) }
            case .array(let a)?:
                var seen = OrderedSet<String>()
                collectKeys(a, into: &seen)
                for key in seen { result.append(.string(key)) }
            default:
                break
            }
            return .array(result)
        },
        NativeFunction("lookup", "<x-s:x>", arity: 2) { args, _ in
            guard case .string(let key)? = args[1] else { return nil }
            return lookup(args[0], key)
        },
        NativeFunction("spread", "<x-:a<o>>", arity: 1) { args, _ in
            spread(args[0])
        },
        NativeFunction("merge", "<a<o>:o>", arity: 1) { args, _ in
            guard case .array(let a)? = args[0] else { return nil }
            let result = JObject()
            for item in a.items {
                if case .object(let o) = item {
                    for (key, value) in o.fields { result.fields[key] = value }
                }
            }
            return .object(result)
        },
        NativeFunction("each", "<o-f:a>", arity: 2) { args, ctx in
            let result = JArray.sequence()
            guard case .object(let o)? = args[0], case .function(let f)? = args[1] else { return .array(result) }
            for (key, value) in o.fields {
                if let r = try ctx.applyHigherOrder(f, [value, .string(key), .object(o)]) {
                    result.append(r)
                }
            }
            return .array(result)
        },
        NativeFunction("sift", "<o-f?:o>", arity: 2) { args, ctx in
            guard case .object(let o)? = args[0], case .function(let f)? = args[1] else { return nil }
            let result = JObject()
            for (key, value) in o.fields {
                if Value.truthy(try ctx.applyHigherOrder(f, [value, .string(key), .object(o)])) {
                    result.fields[key] = value
                }
            }
            return result.fields.isEmpty ? nil : .object(result)
        },
        NativeFunction("clone", "<(oa)-:o>", arity: 1) { args, _ in
            args[0].map(deepCopy)
        },
    ]

    /// `$clone`: `JSON.parse($string(value))` — a deep copy in which functions become "" and
    /// non-integer numbers pass through their 15-significant-digit text.
    static func deepCopy(_ value: Value) -> Value {
        switch value {
        case .number(let d) where d != d.rounded():
            return .number(NumberFormatting.roundedTo15(d))
        case .function:
            return .string("")
        case .array(let a):
            return .array(JArray(a.items.map(deepCopy)))
        case .object(let o):
            var fields = OrderedDictionary<String, Value>(minimumCapacity: o.fields.count)
            for (key, item) in o.fields { fields[key] = deepCopy(item) }
            return .object(JObject(fields))
        default:
            return value
        }
    }

    /// The keys of the objects in an array (and in arrays nested in it), first occurrence first.
    private static func collectKeys(_ a: JArray, into seen: inout OrderedSet<String>) {
        for item in a.items {
            switch item {
            case .object(let o): for key in o.fields.keys { seen.append(key) }
            case .array(let inner): collectKeys(inner, into: &seen)
            default: break
            }
        }
    }

    /// `$lookup`: the value of `key` in an object; over an array, the values found in its items
    /// (arrays among them flattened one level) as a sequence.
    static func lookup(_ input: Value?, _ key: String) -> Value? {
        switch input {
        case .object(let o)?:
            return o.fields[key]
        case .array(let a)?:
            let result = JArray.sequence()
            for item in a.items {
                guard let found = lookup(item, key) else { continue }
                if case .array(let inner) = found {
                    for v in inner.items { result.append(v) }
                } else {
                    result.append(found)
                }
            }
            return .array(result)
        default:
            return nil
        }
    }

    /// `$spread`: an object becomes a sequence of one-field objects; arrays are spread item by
    /// item and concatenated; anything else is returned unchanged.
    static func spread(_ input: Value?) -> Value? {
        switch input {
        case .object(let o)?:
            let result = JArray.sequence()
            for (key, value) in o.fields {
                var f = OrderedDictionary<String, Value>()
                f[key] = value
                result.append(.object(JObject(f)))
            }
            return .array(result)
        case .array(let a)?:
            var items: [Value] = []
            var any = false
            for item in a.items {
                guard let spreadItem = spread(item) else { continue }
                any = true
                if case .array(let inner) = spreadItem { items += inner.items } else { items.append(spreadItem) }
            }
            // jsonata-js appends to an (empty) sequence: no items stays an empty sequence.
            return any ? .array(JArray(items)) : .array(JArray.sequence())
        default:
            return input
        }
    }
}
