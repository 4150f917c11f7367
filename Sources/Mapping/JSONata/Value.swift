import Collections
import JSON

/// A value during evaluation. `Value?` is the evaluator's currency: `nil` is JSONata's
/// *undefined* (absence), which is distinct from `.null`.
///
/// Arrays and objects are reference types (like the JavaScript values of the reference
/// implementation) so that sequences can be built up and flagged without copying, and so that
/// navigating a document never copies it. Values never leave one evaluation; the public boundary
/// is `JSONValue`.
enum Value {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array(JArray)
    case object(JObject)
    case function(JFunction)
}

/// A JSON array, or a JSONata *sequence* (`isSequence`): the result of a path step, flattened into
/// its parent and unwrapped when it holds a single value (unless `keepSingleton`, set by `[]` in a
/// path such as `a[]`).
///
/// An array that comes from the input document is converted lazily: it keeps the `JSONValue`
/// items and converts them (one level) on first access, so that parts of a document an
/// expression never touches cost nothing, and an untouched part is written out as it came in.
final class JArray {
    private var storage: [Value]
    // The input's items until they are first used (see `JObject` on why two optionals).
    private var jsonSource: [JSONValue]?
    private var tape: JSONTape?
    private var tapeIndex = 0
    /// A sequence produced by evaluation rather than an array from the data or a constructor.
    var isSequence: Bool
    /// `path[]`: keep a one-item result as an array.
    var keepSingleton = false
    /// Set on the sequence that wraps the result of a path whose first step was an array
    /// constructor, so that flattening stops there.
    var outerWrapper = false
    /// Items are tuples (objects with "@" plus variable bindings) for `@` / `#` paths.
    var tupleStream = false
    /// Built by an array constructor `[...]` (not flattened by a following path step).
    var isConstructed = false

    init(_ items: [Value] = [], sequence: Bool = false) {
        self.storage = items
        self.isSequence = sequence
    }

    /// An array of the input document, converted when first used.
    init(lazy source: [JSONValue]) {
        self.storage = []
        self.jsonSource = source
        self.isSequence = false
    }

    /// The array at `index` of a tape, its items read when first used.
    init(tape: JSONTape, at index: Int) {
        self.storage = []
        self.tape = tape
        self.tapeIndex = index
        self.isSequence = false
    }

    static func sequence(_ items: [Value] = []) -> JArray { JArray(items, sequence: true) }

    var items: [Value] {
        _read {
            if jsonSource != nil || tape != nil { materialize() }
            yield storage
        }
        _modify {
            if jsonSource != nil || tape != nil { materialize() }
            yield &storage
        }
        set {
            jsonSource = nil
            tape = nil
            storage = newValue
        }
    }

    private func materialize() {
        var out: [Value] = []
        if let items = jsonSource {
            out.reserveCapacity(items.count)
            for v in items { out.append(Value(lazy: v)) }
            jsonSource = nil
        } else if let tape {
            let count = tape.count(at: tapeIndex)
            out.reserveCapacity(count)
            var i = tapeIndex + 1
            for _ in 0..<count {
                out.append(Value(tape: tape, at: i))
                i = tape.after(i)
            }
            self.tape = nil
        } else {
            return
        }
        storage = out
    }

    /// The untouched input items, when this array was never converted.
    var untouchedSource: [JSONValue]? {
        if let jsonSource { return jsonSource }
        return tape?.value(at: tapeIndex).arrayValue
    }

    var count: Int {
        if let jsonSource { return jsonSource.count }
        if let tape { return tape.count(at: tapeIndex) }
        return storage.count
    }
    var isEmpty: Bool { count == 0 }
    func append(_ v: Value) { items.append(v) }
}

/// A JSON object with insertion-ordered keys; converted lazily from the input like `JArray`.
final class JObject {
    private var storage: OrderedDictionary<String, Value>
    // The input an object of the document comes from until it is converted: a tree's members,
    // or an object of a tape (with distinct keys, see `JSONTape.hasRepeatedKeys`). Two stored
    // optionals rather than one enum: a lookup checks them on every read, and taking an enum
    // out of the object copied (retained) its payload each time.
    private var jsonSource: OrderedDictionary<String, JSONValue>?
    private var tape: JSONTape?
    private var tapeIndex = 0

    init(_ fields: OrderedDictionary<String, Value> = [:]) {
        self.storage = fields
    }

    init(lazy source: OrderedDictionary<String, JSONValue>) {
        self.storage = [:]
        self.jsonSource = source
    }

    /// The object at `index` of a tape, which must have no repeated key: members are read
    /// one at a time as they are looked up, and all at once when the object is used whole.
    init(tape: JSONTape, at index: Int) {
        self.storage = [:]
        self.tape = tape
        self.tapeIndex = index
    }

    private var isLazy: Bool { jsonSource != nil || tape != nil }

    var fields: OrderedDictionary<String, Value> {
        _read {
            if isLazy { materialize() }
            yield storage
        }
        _modify {
            if isLazy { materialize() }
            yield &storage
        }
        set {
            jsonSource = nil
            tape = nil
            storage = newValue
        }
    }

    private func materialize() {
        if let members = jsonSource {
            // mapValues shares the source's key set (and its hash table) instead of rehashing.
            storage = members.mapValues { Value(lazy: $0) }
            jsonSource = nil
        } else if let tape {
            let count = tape.count(at: tapeIndex)
            var keys: [String] = []
            var values: [Value] = []
            keys.reserveCapacity(count)
            values.reserveCapacity(count)
            var i = tapeIndex + 1
            for _ in 0..<count {
                keys.append(tape.string(at: i))
                values.append(Value(tape: tape, at: i + 1))
                i = tape.after(i + 1)
            }
            storage = OrderedDictionary(uncheckedUniqueKeys: keys, values: values)
            self.tape = nil
        }
    }

    /// The value of `node.text`, using and updating the node's position hint.
    @inline(__always) func field(_ node: Node) -> Value? {
        // The sources are tested and read in place, not bound: binding one copied it (three
        // retains and releases for a dictionary) on every lookup.
        if tape != nil { return tapeField(node) }
        if jsonSource != nil { return sourceField(node) }
        let key = node.text
        let hint = node.fieldHint.load(ordering: .relaxed)
        if hint >= 0, hint < storage.count, storage.keys[hint] == key { return storage.values[hint] }
        guard let i = storage.index(forKey: key) else { return nil }
        node.fieldHint.store(i, ordering: .relaxed)
        return storage.values[i]
    }

    /// A member of an object not yet converted: only the value found is converted (a record of
    /// twenty members that a mapping reads five of converts five).
    private func sourceField(_ node: Node) -> Value? {
        let key = node.text
        let hint = node.fieldHint.load(ordering: .relaxed)
        if hint >= 0, hint < jsonSource.unsafelyUnwrapped.count, jsonSource.unsafelyUnwrapped.keys[hint] == key {
            return Value(lazy: jsonSource.unsafelyUnwrapped.values[hint])
        }
        guard let i = jsonSource.unsafelyUnwrapped.index(forKey: key) else { return nil }
        node.fieldHint.store(i, ordering: .relaxed)
        return Value(lazy: jsonSource.unsafelyUnwrapped.values[i])
    }

    /// A member of a tape object, found by comparing the key's bytes in place; only the value
    /// found is converted. The node remembers where, relative to the object, it found its key
    /// last: records of one kind put a key at the same place, so most lookups compare once.
    private func tapeField(_ node: Node) -> Value? {
        let tape = self.tape.unsafelyUnwrapped
        let index = tapeIndex
        @inline(__always) func keyMatches(_ entry: Int) -> Bool {
            if let key = node.asciiKey, let equal = tape.plainStringEquals(at: entry, key) { return equal }
            return tape.stringEquals(at: entry, node.text, keyIsASCII: node.textIsASCII)
        }
        let hint = node.tapeHint.load(ordering: .relaxed)
        if hint > 0, tape.isKey(at: index + hint, of: index), keyMatches(index + hint) {
            return Value(tape: tape, at: index + hint + 1)
        }
        var i = index + 1
        for _ in 0..<tape.count(at: index) {
            if keyMatches(i) {
                node.tapeHint.store(i - index, ordering: .relaxed)
                return Value(tape: tape, at: i + 1)
            }
            i = tape.after(i + 1)
        }
        return nil
    }

    /// The untouched input object, when this object was never converted.
    var untouchedSource: OrderedDictionary<String, JSONValue>? {
        if let jsonSource { return jsonSource }
        return tape?.value(at: tapeIndex).objectValue
    }

    subscript(key: String) -> Value? {
        get { fields[key] }
        set { fields[key] = newValue }
    }
}

extension Value {
    // MARK: Conversions with the public JSON model

    /// Converts one level; nested arrays and objects convert when first used.
    init(lazy json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(JArray(lazy: a))
        case .object(let o): self = .object(JObject(lazy: o))
        }
    }

    /// The value at `index` of a tape: scalars now, containers when first used.
    init(tape: JSONTape, at index: Int) {
        switch tape.kind(at: index) {
        case .null: self = .null
        case .false: self = .bool(false)
        case .true: self = .bool(true)
        case .number: self = .number(tape.number(at: index))
        case .string: self = .string(tape.string(at: index))
        case .array: self = .array(JArray(tape: tape, at: index))
        case .object:
            // A repeated key is resolved as JSON.parse does by the tree parser.
            self = tape.hasRepeatedKeys(at: index) ? Value(lazy: tape.value(at: index)) : .object(JObject(tape: tape, at: index))
        }
    }

    /// Converts the whole tree eagerly.
    init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(JArray(a.map { Value($0) }))
        case .object(let o):
            self = .object(JObject(OrderedDictionary(uncheckedUniqueKeys: o.keys, values: o.values.map { Value($0) })))
        }
    }

    /// The JSON form of an evaluation result. Functions become absent inside containers
    /// (JSON.stringify drops them) and nil at the top.
    var json: JSONValue? {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let d): return .number(d)
        case .string(let s): return .string(s)
        case .array(let a):
            if let src = a.untouchedSource { return .array(src) }
            var out: [JSONValue] = []
            out.reserveCapacity(a.items.count)
            for e in a.items {
                if let j = e.json { out.append(j) } else { out.append(.null) }
            }
            return .array(out)
        case .object(let o):
            if let src = o.untouchedSource { return .object(src) }
            let fields = o.fields
            // No function among the values (the usual case): the key set, and its hash table
            // when it has one, is shared rather than built again.
            if !fields.values.contains(where: \.isFunction) { return .object(fields.mapValues { $0.json! }) }
            var keys: [String] = []
            var values: [JSONValue] = []
            keys.reserveCapacity(fields.count)
            values.reserveCapacity(fields.count)
            for (k, v) in fields {
                if let j = v.json {
                    keys.append(k)
                    values.append(j)
                }
            }
            return .object(OrderedDictionary(uncheckedUniqueKeys: keys, values: values))
        case .function: return nil
        }
    }

    // MARK: Shape tests used everywhere

    var isArray: Bool { if case .array = self { return true } else { return false } }
    var isSequence: Bool { if case .array(let a) = self { return a.isSequence } else { return false } }
    var isObject: Bool { if case .object = self { return true } else { return false } }
    var isFunction: Bool { if case .function = self { return true } else { return false } }
    var isString: Bool { if case .string = self { return true } else { return false } }
    var isNumber: Bool { if case .number = self { return true } else { return false } }
    var isBool: Bool { if case .bool = self { return true } else { return false } }
    var isNull: Bool { if case .null = self { return true } else { return false } }

    var arrayValue: JArray? { if case .array(let a) = self { return a } else { return nil } }
    var objectValue: JObject? { if case .object(let o) = self { return o } else { return nil } }
    var functionValue: JFunction? { if case .function(let f) = self { return f } else { return nil } }
    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    var numberValue: Double? { if case .number(let d) = self { return d } else { return nil } }
    var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }

    /// The JSONata type name as `$type` reports it.
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        case .function: return "function"
        }
    }

    /// An array whose items are all numbers (empty arrays qualify).
    var isArrayOfNumbers: Bool {
        guard case .array(let a) = self else { return false }
        return a.items.allSatisfy(\.isNumber)
    }

    var isArrayOfStrings: Bool {
        guard case .array(let a) = self else { return false }
        return a.items.allSatisfy(\.isString)
    }

    /// Wraps a non-array in a one-item array; arrays are returned as they are (`[x]` coercion of
    /// signatures and of `$map`-style functions).
    var asArray: JArray {
        if case .array(let a) = self { return a }
        return JArray([self])
    }

    /// Deep structural equality (JSONata's `=` on objects/arrays, `$distinct`, tests).
    static func deepEqual(_ a: Value?, _ b: Value?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (nil, _), (_, nil): return false
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)):
            if x === y { return true }
            guard x.items.count == y.items.count else { return false }
            for i in x.items.indices where !deepEqual(x.items[i], y.items[i]) { return false }
            return true
        case (.object(let x), .object(let y)):
            if x === y { return true }
            guard x.fields.count == y.fields.count else { return false }
            for (k, v) in x.fields {
                guard let w = y.fields[k], deepEqual(v, w) else { return false }
            }
            return true
        case (.function(let x), .function(let y)): return x === y
        default: return false
        }
    }
}

extension Value {
    /// The value as JSON text for error messages (the `$string` writer; "…" for what it cannot write).
    func stringified() -> String {
        (try? JSONataText.json(self, pretty: false)) ?? "…"
    }
}

extension Value {
    /// `$string(x)` without the prettify option, also used by the `&` operator: strings as they
    /// are, functions as "", numbers to 15 significant digits (non-finite numbers raise D3001),
    /// everything else as JSON.
    func toJSONataString() throws -> String {
        try JSONataText.string(self, pretty: false)
    }

    /// JSONata truthiness (`$boolean`): undefined/null/false/0/""/empty array/empty object and
    /// functions... see the table in the JSONata docs; arrays are true when any item is true.
    static func truthy(_ v: Value?) -> Bool {
        guard let v else { return false }
        switch v {
        case .null: return false
        case .bool(let b): return b
        case .number(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .array(let a):
            if a.items.count == 1 { return truthy(a.items[0]) }
            return a.items.contains { truthy($0) }
        case .object(let o): return !o.fields.isEmpty
        case .function: return false
        }
    }
}
