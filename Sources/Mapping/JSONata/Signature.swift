/// A JSONata function signature such as `<s-nn?:s>` (see "Function signatures" in the JSONata
/// docs): one letter per parameter type (b boolean, n number, s string, l null, a array,
/// o object, f function, j any JSON value, x anything, `(sn)` a choice), `a<n>` typed arrays,
/// and the modifiers `?` optional, `+` one or more, `-` "use the context value when missing".
/// Validation mirrors the reference implementation: each argument gets a type symbol ('m' for
/// undefined) and the symbols are matched against the parameter patterns.
struct Signature: Sendable {
    struct Param: Sendable {
        var type: UInt8  // 's','n','b','l','o','a','f','j','x' or '(' for a choice
        var symbols: [UInt8]  // acceptable argument symbols
        var optional = false
        var repeated = false  // '+'
        var context = false  // '-'
        var subtype: UInt8? = nil  // a<n> → 'n'
    }

    let params: [Param]
    let source: String

    /// Parses a signature written in an expression, rejecting what JSONata rejects:
    /// S0401 (type parameter on a type other than a/f), S0402 (parameterised type in a choice).
    static func parse(_ source: String, position: Int) throws -> Signature {
        let b = Array(source.utf8)
        var inChoice = false
        var prev: UInt8 = 0
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "(") { inChoice = true }
            if c == UInt8(ascii: ")") { inChoice = false }
            if c == UInt8(ascii: "<"), i > 0 {
                if inChoice {
                    throw JSONataError("S0402", "Choice groups containing parameterized types are not supported", position: position + i)
                }
                if prev != UInt8(ascii: "a") && prev != UInt8(ascii: "f") {
                    throw JSONataError("S0401", "Type parameter can only be applied to functions and arrays", position: position + i)
                }
                // Skip the parameter's own contents.
                var depth = 0
                repeat {
                    if b[i] == UInt8(ascii: "<") { depth += 1 } else if b[i] == UInt8(ascii: ">") { depth -= 1 }
                    i += 1
                } while i < b.count && depth > 0
                prev = UInt8(ascii: ">")
                continue
            }
            prev = c
            i += 1
        }
        return Signature(source)
    }

    init(_ source: String) {
        self.source = source
        var params: [Param] = []
        let b = Array(source.utf8)
        var i = 0
        if i < b.count, b[i] == UInt8(ascii: "<") { i += 1 }
        loop: while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: ":"), UInt8(ascii: ">"):
                break loop
            case UInt8(ascii: "s"), UInt8(ascii: "n"), UInt8(ascii: "b"), UInt8(ascii: "l"), UInt8(ascii: "o"):
                params.append(Param(type: c, symbols: [c, UInt8(ascii: "m")]))
                i += 1
            case UInt8(ascii: "a"):
                params.append(Param(type: c, symbols: Array("asnblfom".utf8)))
                i += 1
            case UInt8(ascii: "f"):
                params.append(Param(type: c, symbols: [c]))
                i += 1
            case UInt8(ascii: "j"):
                params.append(Param(type: c, symbols: Array("asnblom".utf8)))
                i += 1
            case UInt8(ascii: "x"):
                params.append(Param(type: c, symbols: Array("asnblfom".utf8)))
                i += 1
            case UInt8(ascii: "("):
                var j = i + 1
                var syms: [UInt8] = []
                while j < b.count, b[j] != UInt8(ascii: ")") { syms.append(b[j]); j += 1 }
                params.append(Param(type: c, symbols: syms + [UInt8(ascii: "m")]))
                i = j + 1
            case UInt8(ascii: "?"):
                if !params.isEmpty { params[params.count - 1].optional = true }
                i += 1
            case UInt8(ascii: "+"):
                if !params.isEmpty { params[params.count - 1].repeated = true }
                i += 1
            case UInt8(ascii: "-"):
                if !params.isEmpty {
                    params[params.count - 1].context = true
                    params[params.count - 1].optional = true
                }
                i += 1
            case UInt8(ascii: "<"):
                // Subtype of the previous a or f: a<n>, f<n:n>; nested brackets are skipped.
                var depth = 0
                var j = i
                var first: UInt8? = nil
                repeat {
                    if b[j] == UInt8(ascii: "<") { depth += 1 } else if b[j] == UInt8(ascii: ">") { depth -= 1 } else if first == nil { first = b[j] }
                    j += 1
                } while j < b.count && depth > 0
                if !params.isEmpty, params[params.count - 1].type == UInt8(ascii: "a") {
                    params[params.count - 1].subtype = first
                }
                i = j
            default:
                i += 1
            }
        }
        self.params = params
    }

    /// Number of parameters a caller must supply (used as the arity of native functions for
    /// higher-order functions such as `$map`, which pass only as many arguments as declared).
    var requiredCount: Int { params.filter { !$0.optional }.count }

    static func symbol(_ v: Value?) -> UInt8 {
        guard let v else { return UInt8(ascii: "m") }
        switch v {
        case .null: return UInt8(ascii: "l")
        case .bool: return UInt8(ascii: "b")
        case .number: return UInt8(ascii: "n")
        case .string: return UInt8(ascii: "s")
        case .array: return UInt8(ascii: "a")
        case .object: return UInt8(ascii: "o")
        case .function: return UInt8(ascii: "f")
        }
    }

    /// Matches the argument symbols; returns how many symbols each parameter consumed.
    private func match(_ syms: [UInt8]) -> [Int]? {
        var counts = [Int](repeating: 0, count: params.count)
        func go(_ p: Int, _ s: Int) -> Bool {
            if p == params.count { return s == syms.count }
            let param = params[p]
            var maxTake = 0
            while s + maxTake < syms.count, param.symbols.contains(syms[s + maxTake]) {
                maxTake += 1
                if !param.repeated { break }
            }
            let minTake = param.optional ? 0 : 1
            if maxTake < minTake { return false }
            var take = maxTake
            while take >= minTake {
                counts[p] = take
                if go(p + 1, s + take) { return true }
                take -= 1
            }
            return false
        }
        return go(0, 0) ? counts : nil
    }

    /// Length of the longest prefix of `syms` that the first `upTo` parameters can consume
    /// (for locating the offending argument).
    private func prefixMatch(_ syms: [UInt8], upTo: Int) -> Int? {
        var best: Int? = nil
        func go(_ p: Int, _ s: Int) {
            if p == upTo { best = max(best ?? 0, s); return }
            let param = params[p]
            var maxTake = 0
            while s + maxTake < syms.count, param.symbols.contains(syms[s + maxTake]) {
                maxTake += 1
                if !param.repeated { break }
            }
            let minTake = param.optional ? 0 : 1
            if maxTake < minTake { return }
            var take = maxTake
            while take >= minTake { go(p + 1, s + take); take -= 1 }
        }
        go(0, 0)
        return best
    }

    /// Checks and coerces arguments: inserts the context for a missing `-` parameter, wraps
    /// non-arrays for `a` parameters, checks `a<t>` item types. Throws T0410/T0411/T0412.
    func validate(_ args: [Value?], context: Value?, position: Int? = nil) throws -> [Value?] {
        // Fast path: one argument per parameter, each of an accepted type, nothing to coerce.
        if args.count == params.count {
            var plain = true
            for i in 0..<args.count {
                let p = params[i]
                if p.repeated || p.type == UInt8(ascii: "a") || !p.symbols.contains(Signature.symbol(args[i])) {
                    plain = false
                    break
                }
            }
            if plain { return args }
        }
        let syms = args.map(Signature.symbol)
        guard let counts = match(syms) else {
            var goodTo = 0
            for p in 0..<params.count {
                guard let m = prefixMatch(syms, upTo: p + 1) else { break }
                goodTo = m
            }
            throw JSONataError(
                "T0410",
                "Argument \(goodTo + 1) of function does not match function signature",
                position: position)
        }
        var out: [Value?] = []
        out.reserveCapacity(params.count)
        var argIndex = 0
        for (p, param) in params.enumerated() {
            let n = counts[p]
            if n == 0 {
                if param.context {
                    let cs = Signature.symbol(context)
                    guard param.symbols.contains(cs) else {
                        throw JSONataError(
                            "T0411",
                            "Context value is not a compatible type with argument \(argIndex + 1) of function",
                            position: position)
                    }
                    out.append(context)
                } else {
                    // As the reference implementation does: an optional parameter that matched
                    // nothing still takes the argument at this position (usually undefined).
                    out.append(argIndex < args.count ? args[argIndex] : nil)
                    argIndex += 1
                }
                continue
            }
            for _ in 0..<n {
                var arg = argIndex < args.count ? args[argIndex] : nil
                if param.type == UInt8(ascii: "a"), let a = arg {
                    if let sub = param.subtype {
                        var ok = true
                        if case .array(let arr) = a {
                            if let first = arr.items.first {
                                let t = Signature.symbol(first)
                                ok = t == sub && arr.items.allSatisfy { Signature.symbol($0) == t }
                            }
                        } else {
                            ok = Signature.symbol(a) == sub
                        }
                        if !ok {
                            throw JSONataError(
                                "T0412",
                                "Argument \(argIndex + 1) of function must be an array of \(Signature.typeWord(sub))",
                                position: position)
                        }
                    }
                    if !a.isArray { arg = .array(JArray([a])) }
                }
                out.append(arg)
                argIndex += 1
            }
        }
        return out
    }

    static func typeWord(_ s: UInt8) -> String {
        switch s {
        case UInt8(ascii: "s"): return "strings"
        case UInt8(ascii: "n"): return "numbers"
        case UInt8(ascii: "b"): return "booleans"
        case UInt8(ascii: "o"): return "objects"
        case UInt8(ascii: "a"): return "arrays"
        case UInt8(ascii: "f"): return "functions"
        default: return "values"
        }
    }
}
