import Foundation
import JSON

/// The string functions that take a substring *or* a matcher (a regex literal, or any function
/// following JSONata's matcher protocol): `$contains $split $match $replace`.
/// Offsets (`start`, `end`, `index`) are UTF-16 code units, as in JavaScript.
enum RegexFunctions {
    static let functions: [NativeFunction] = [
        NativeFunction("contains", "<s-(sf):b>", arity: 2) { args, ctx in
            guard case .string(let s)? = args[0], let token = args[1] else { return nil }
            switch token {
            case .string(let t):
                return .bool(TextSearch.firstIndex(of: Array(t.utf8), in: Array(s.utf8), from: 0) != nil)
            case .function(let f):
                var walker = try MatchWalker(f, s, ctx, limit: 1)
                return .bool(try walker.next() != nil)
            default:
                return nil
            }
        },
        NativeFunction("split", "<s-(sf)n?:a<s>>", arity: 3) { args, ctx in
            guard case .string(let s)? = args[0] else { return nil }
            let limit = args[2]?.numberValue
            if let limit, limit < 0 {
                throw ctx.error("D3020", "Third argument of split function must evaluate to a positive number")
            }
            if let limit, !(limit > 0) { return .array(JArray()) }
            switch args[1] {
            case .string(let separator)?:
                return .array(JArray(split(s, separator, limit: limit).map(Value.string)))
            case .function(let f)?:
                return .array(JArray(try split(s, f, limit: limit, ctx).map(Value.string)))
            default:
                // String.prototype.split(undefined) gives the whole string.
                return .array(JArray([.string(s)]))
            }
        },
        NativeFunction("match", "<s-f<s:o>n?:a<o>>", arity: 3) { args, ctx in
            guard case .string(let s)? = args[0], case .function(let f)? = args[1] else { return nil }
            let limit = args[2]?.numberValue
            if let limit, limit < 0 {
                throw ctx.error("D3040", "Third argument of match function must evaluate to a positive number")
            }
            let result = JArray.sequence()
            if let limit, !(limit > 0) { return .array(result) }
            var walker = try MatchWalker(f, s, ctx, limit: limit)
            var count = 0.0
            var current = try walker.next()
            while let m = current, limit == nil || count < limit! {
                let o = JObject()
                o["match"] = .string(m.match)
                o["index"] = .number(Double(m.start))
                o["groups"] = .array(JArray(m.groups.map { $0 ?? .null }))
                result.append(.object(o))
                current = try walker.next()
                count += 1
            }
            return .array(result)
        },
        NativeFunction("replace", "<s-(sf)(sf)n?:s>", arity: 4) { args, ctx in
            guard case .string(let s)? = args[0] else { return nil }
            if case .string(let p)? = args[1], p.isEmpty {
                throw ctx.error("D3010", "Second argument of replace function cannot be an empty string")
            }
            let limit = args[3]?.numberValue
            if let limit, limit < 0 {
                throw ctx.error("D3011", "Fourth argument of replace function must evaluate to a positive number")
            }
            if let limit, !(limit > 0) { return .string(s) }
            guard let pattern = args[1], let replacement = args[2] else { return .string(s) }
            return .string(try replace(s, pattern, replacement, limit: limit, ctx))
        },
    ]

    // MARK: split

    /// `String.prototype.split(separator, limit)` with the limit applied as `ToUint32`. An empty
    /// separator splits into code points (JavaScript would split surrogate pairs apart, which a
    /// Swift string cannot hold).
    static func split(_ s: String, _ separator: String, limit: Double?) -> [String] {
        let lim: Int = limit.map { l in l >= 4_294_967_295 ? Int(UInt32.max) : Int(l.rounded(.towardZero)) } ?? Int(UInt32.max)
        if lim == 0 { return [] }
        if separator.isEmpty {
            return s.unicodeScalars.prefix(lim).map { String($0) }
        }
        let hay = Array(s.utf8)
        let needle = Array(separator.utf8)
        var out: [String] = []
        var from = 0
        while let at = TextSearch.firstIndex(of: needle, in: hay, from: from) {
            out.append(String(decoding: hay[from..<at], as: UTF8.self))
            if out.count == lim { return out }
            from = at + needle.count
        }
        out.append(String(decoding: hay[from...], as: UTF8.self))
        return out
    }

    static func split(_ s: String, _ matcher: JFunction, limit: Double?, _ ctx: CallContext) throws -> [String] {
        var walker = try MatchWalker(matcher, s, ctx, limit: limit)
        var out: [String] = []
        var count = 0.0
        var start = 0
        var current = try walker.next()
        if current == nil { return [s] }
        while let m = current, limit == nil || count < limit! {
            out.append(walker.text(start, m.start))
            start = m.end
            current = try walker.next()
            count += 1
        }
        if limit == nil || count < limit! { out.append(walker.text(start, nil)) }
        return out
    }

    // MARK: replace

    static func replace(_ s: String, _ pattern: Value, _ replacement: Value, limit: Double?, _ ctx: CallContext) throws -> String {
        switch pattern {
        case .string(let p):
            let hay = Array(s.utf8)
            let needle = Array(p.utf8)
            var out: [UInt8] = []
            var from = 0
            var count = 0.0
            while limit == nil || count < limit!, let at = TextSearch.firstIndex(of: needle, in: hay, from: from) {
                out += hay[from..<at]
                let piece: String
                if case .function(let f) = replacement {
                    // jsonata-js would insert the function's source text here; calling it with
                    // the match is the useful reading of a function replacement.
                    let m = MatchObject(match: p, start: s.utf16Offset(utf8: at, in: hay), groups: [])
                    piece = try callReplacer(f, m.value, ctx)
                } else {
                    piece = replacement.stringValue ?? ""
                }
                out += Array(piece.utf8)
                from = at + needle.count
                count += 1
            }
            out += hay[from...]
            return String(decoding: out, as: UTF8.self)
        case .function(let matcher):
            var walker = try MatchWalker(matcher, s, ctx, limit: limit)
            var out = ""
            var position = 0
            var count = 0.0
            var current = try walker.next()
            if current == nil { return s }
            while let m = current, limit == nil || count < limit! {
                out += walker.text(position, m.start)
                switch replacement {
                case .string(let template):
                    out += substitute(template, m)
                case .function(let f):
                    out += try callReplacer(f, m.value, ctx)
                default:
                    break
                }
                position = m.start + m.match.utf16.count
                current = try walker.next()
                count += 1
            }
            out += walker.text(position, nil)
            return out
        default:
            return s
        }
    }

    private static func callReplacer(_ f: JFunction, _ match: Value, _ ctx: CallContext) throws -> String {
        guard case .string(let r)? = try ctx.apply(f, [match]) else {
            throw ctx.error("D3012", "Attempted to replace a matched string with a non-string value")
        }
        return r
    }

    /// Expands `$0` (the match), `$n` (capture group n, as many digits as the group count can
    /// need, one fewer when that number is too large) and `$$` in a replacement string, following
    /// jsonata-js: an unknown group gives "", a `$` not followed by a number stays literal.
    static func substitute(_ template: String, _ m: MatchObject) -> String {
        let t = Array(template.unicodeScalars)
        var out = String.UnicodeScalarView()
        let dollar: Unicode.Scalar = "$"
        func indexOfDollar(_ from: Int) -> Int? {
            var i = from
            while i < t.count { if t[i] == dollar { return i }; i += 1 }
            return nil
        }
        var position = 0
        var index = indexOfDollar(0)
        while let at = index, position < t.count {
            out.append(contentsOf: t[position..<at])
            position = at + 1
            let next: Unicode.Scalar? = position < t.count ? t[position] : nil
            if next == dollar {
                out.append(dollar)
                position += 1
            } else if next == "0" {
                out.append(contentsOf: m.match.unicodeScalars)
                position += 1
            } else {
                let groupCount = m.groups.count
                let maxDigits = groupCount == 0 ? 1 : Int(log10(Double(groupCount)).rounded(.down)) + 1
                func digits(_ n: Int) -> String {
                    var v = String.UnicodeScalarView()
                    v.append(contentsOf: t[position..<min(position + n, t.count)])
                    return String(v)
                }
                var group = JavaScriptNumbers.parseInt(digits(maxDigits))
                if maxDigits > 1, let g = group, g > Double(groupCount) {
                    group = JavaScriptNumbers.parseInt(digits(maxDigits - 1))
                }
                if let g = group {
                    if groupCount > 0, g >= 1, g <= Double(groupCount), let sub = m.groups[Int(g) - 1] {
                        out.append(contentsOf: ((try? JSONataText.string(sub, pretty: false)) ?? "").unicodeScalars)
                    }
                    position += NumberFormatting.javaScript(g).unicodeScalars.count
                } else {
                    out.append(dollar)
                }
            }
            index = indexOfDollar(position)
        }
        if position < t.count { out.append(contentsOf: t[position...]) }
        return String(out)
    }
}

/// One match in JSONata's matcher protocol: `{match, start, end, groups, next}`.
struct MatchObject {
    var match: String
    var start: Int
    var end: Int
    var groups: [Value?]
    /// The object a custom matcher returned (passed on unchanged to a replacement function).
    var original: Value? = nil

    init(match: String, start: Int, end: Int? = nil, groups: [Value?], original: Value? = nil) {
        self.match = match
        self.start = start
        self.end = end ?? start + match.utf16.count
        self.groups = groups
        self.original = original
    }

    /// The match as a JSONata object, for replacement functions.
    var value: Value {
        if let original { return original }
        let o = JObject()
        o["match"] = .string(match)
        o["start"] = .number(Double(start))
        o["end"] = .number(Double(end))
        o["groups"] = .array(JArray(groups.map { $0 ?? .null }))
        return .object(o)
    }
}

/// Iterates the matches of a matcher argument over a string, with the semantics of a
/// JavaScript global regex driven through `next()` as jsonata-js does: each search resumes at
/// the end of the previous match, and a zero-length match after the first one raises D1004
/// (such a search would never progress).
///
/// Regex literals are matched directly with ICU (all needed matches found in one pass);
/// other functions are called through the matcher protocol and their result objects read.
struct MatchWalker {
    private enum Source {
        case regex(matches: [NSTextCheckingResult], index: Int)
        case custom(next: JFunction?, started: Bool)
    }

    private var source: Source
    private let utf16: [UInt16]
    private let string: String
    private let matcher: JFunction
    private let ctx: CallContext
    private var previous: MatchObject? = nil

    /// - Parameter limit: how many matches the caller will use at most (nil: all), so that a
    ///   regex is not run over the whole string for `$contains` or a limited `$split`.
    init(_ matcher: JFunction, _ s: String, _ ctx: CallContext, limit: Double?) throws {
        self.matcher = matcher
        self.string = s
        self.utf16 = Array(s.utf16)
        self.ctx = ctx
        if case .regex(let m) = matcher.kind {
            // One more than the limit: the match after the last one used decides D1004.
            let cap = limit.map { $0 >= 1e9 ? Int.max : Int($0.rounded(.up)) + 1 } ?? Int.max
            var found: [NSTextCheckingResult] = []
            m.regex.enumerateMatches(in: s, options: [], range: NSRange(location: 0, length: utf16.count)) { r, _, stop in
                if let r { found.append(r) }
                if found.count >= cap { stop.pointee = true }
            }
            source = .regex(matches: found, index: 0)
        } else {
            source = .custom(next: nil, started: false)
        }
    }

    /// The text between two UTF-16 offsets (`to` nil: the end).
    func text(_ from: Int, _ to: Int?) -> String {
        let end = min(to ?? utf16.count, utf16.count)
        let start = max(0, min(from, end))
        return String(decoding: utf16[start..<end], as: UTF16.self)
    }

    mutating func next() throws -> MatchObject? {
        switch source {
        case .regex(let matches, let index):
            if let prev = previous {
                if prev.end >= utf16.count { return nil }
                if prev.match.isEmpty { throw zeroLength() }
            }
            guard index < matches.count else { return nil }
            let r = matches[index]
            source = .regex(matches: matches, index: index + 1)
            var groups: [Value?] = []
            if r.numberOfRanges > 1 {
                for g in 1..<r.numberOfRanges {
                    let range = r.range(at: g)
                    groups.append(range.location == NSNotFound ? nil : .string(text(range.location, range.location + range.length)))
                }
            }
            let m = MatchObject(match: text(r.range.location, r.range.location + r.range.length), start: r.range.location, groups: groups)
            if previous != nil && m.match.isEmpty { throw zeroLength() }
            previous = m
            return m
        case .custom(let nextFunction, let started):
            let result: Value?
            if !started {
                result = try ctx.apply(matcher, [.string(string)])
            } else if let nextFunction {
                result = try ctx.apply(nextFunction, [])
            } else {
                return nil
            }
            guard let m = try read(result) else {
                source = .custom(next: nil, started: true)
                return nil
            }
            source = .custom(next: result?.objectValue?["next"]?.functionValue, started: true)
            previous = m
            return m
        }
    }

    private func zeroLength() -> JSONataError {
        var pattern = ""
        if case .regex(let m) = matcher.kind { pattern = m.pattern }
        return ctx.error("D1004", "Regular expression matches zero length string: /\(pattern)/")
    }

    /// Reads a custom matcher's result; T1010 when it is not a match object.
    private func read(_ result: Value?) throws -> MatchObject? {
        guard let result else { return nil }
        switch result {
        case .null, .bool(false), .number(0), .string(""): return nil
        default: break
        }
        guard case .object(let o) = result,
            o["start"]?.isNumber == true || o["groups"]?.isArray == true || o["next"]?.isFunction == true
        else {
            throw ctx.error("T1010", "The matcher function argument passed to function does not return the correct object structure")
        }
        let match = (o["match"]).flatMap { try? JSONataText.string($0, pretty: false) } ?? ""
        let start = o["start"]?.numberValue.map { Int($0) } ?? 0
        let end = o["end"]?.numberValue.map { Int($0) }
        let groups: [Value?] = o["groups"]?.arrayValue?.items.map { Optional($0) } ?? []
        return MatchObject(match: match, start: start, end: end, groups: groups, original: result)
    }
}

extension String {
    /// The UTF-16 offset of a UTF-8 offset of this string (`hay` is `Array(self.utf8)`).
    fileprivate func utf16Offset(utf8 offset: Int, in hay: [UInt8]) -> Int {
        String(decoding: hay[..<offset], as: UTF8.self).utf16.count
    }
}
