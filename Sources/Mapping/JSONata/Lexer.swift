import Codecs

/// Tokenizer for JSONata source, working on UTF-8 bytes. Token positions are byte offsets.
struct Token {
    enum Kind { case name, variable, string, number, value, op, regex, end }
    var kind: Kind
    var text: String = ""
    var number: Double = 0
    var bool: Bool? = nil
    var regexFlags: String = ""
    var position: Int
}

struct Lexer {
    let src: [UInt8]
    var pos = 0

    init(_ source: String) { src = Array(source.utf8) }

    static let operatorChars: [Bool] = {
        var t = [Bool](repeating: false, count: 256)
        for c in ".[]{}(),@#;:?+-*/%|=<>^&!~".utf8 { t[Int(c)] = true }
        return t
    }()

    @inline(__always) func at(_ i: Int) -> UInt8 { i < src.count ? src[i] : 0 }

    func text(_ a: Int, _ b: Int) -> String { String(decoding: src[a..<b], as: UTF8.self) }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B }

    /// Next token. `prefix` allows a regex literal (`/…/`) at this point, i.e. where an operand
    /// is expected.
    mutating func next(prefix: Bool) throws -> Token {
        while true {
            while pos < src.count, Lexer.isSpace(src[pos]) { pos += 1 }
            if at(pos) == UInt8(ascii: "/"), at(pos + 1) == UInt8(ascii: "*") {
                let start = pos
                pos += 2
                while pos < src.count, !(src[pos] == UInt8(ascii: "*") && at(pos + 1) == UInt8(ascii: "/")) { pos += 1 }
                if pos >= src.count { throw JSONataError("S0106", "Comment has no closing tag", position: start) }
                pos += 2
                continue
            }
            break
        }
        let start = pos
        if pos >= src.count { return Token(kind: .end, position: pos) }
        let c = src[pos]
        if prefix, c == UInt8(ascii: "/") {
            pos += 1
            return try scanRegex(start)
        }
        let c1 = at(pos + 1)
        func op2(_ s: String) -> Token { pos += 2; return Token(kind: .op, text: s, position: start) }
        switch (c, c1) {
        case (UInt8(ascii: "."), UInt8(ascii: ".")): return op2("..")
        case (UInt8(ascii: ":"), UInt8(ascii: "=")): return op2(":=")
        case (UInt8(ascii: "!"), UInt8(ascii: "=")): return op2("!=")
        case (UInt8(ascii: ">"), UInt8(ascii: "=")): return op2(">=")
        case (UInt8(ascii: "<"), UInt8(ascii: "=")): return op2("<=")
        case (UInt8(ascii: "*"), UInt8(ascii: "*")): return op2("**")
        case (UInt8(ascii: "~"), UInt8(ascii: ">")): return op2("~>")
        case (UInt8(ascii: "?"), UInt8(ascii: ":")): return op2("?:")
        case (UInt8(ascii: "?"), UInt8(ascii: "?")): return op2("??")
        default: break
        }
        if Lexer.operatorChars[Int(c)] {
            pos += 1
            return Token(kind: .op, text: String(UnicodeScalar(c)), position: start)
        }
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
            return try scanString(quote: c, start: start)
        }
        if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
            return try scanNumber(start)
        }
        if c == UInt8(ascii: "`") {
            pos += 1
            let s = pos
            while pos < src.count, src[pos] != UInt8(ascii: "`") { pos += 1 }
            if pos >= src.count { throw JSONataError("S0105", "Quoted property name must be terminated with a backquote (`)", position: start) }
            let name = text(s, pos)
            pos += 1
            return Token(kind: .name, text: name, position: start)
        }
        var i = pos
        while i < src.count, !Lexer.isSpace(src[i]), !Lexer.operatorChars[Int(src[i])] { i += 1 }
        if c == UInt8(ascii: "$") {
            let name = text(pos + 1, i)
            pos = i
            return Token(kind: .variable, text: name, position: start)
        }
        let name = text(pos, i)
        pos = i
        switch name {
        case "and", "or", "in": return Token(kind: .op, text: name, position: start)
        case "true": return Token(kind: .value, bool: true, position: start)
        case "false": return Token(kind: .value, bool: false, position: start)
        case "null": return Token(kind: .value, bool: nil, position: start)
        default: return Token(kind: .name, text: name, position: start)
        }
    }

    mutating func scanRegex(_ start: Int) throws -> Token {
        let s = pos
        var depth = 0
        while pos < src.count {
            let c = src[pos]
            if c == UInt8(ascii: "/"), depth == 0 {
                var backslashes = 0
                while pos - backslashes - 1 >= s, src[pos - backslashes - 1] == UInt8(ascii: "\\") { backslashes += 1 }
                if backslashes % 2 == 0 {
                    let pattern = text(s, pos)
                    if pattern.isEmpty { throw JSONataError("S0301", "Empty regular expressions are not allowed", position: start) }
                    pos += 1
                    let fs = pos
                    while pos < src.count, src[pos] == UInt8(ascii: "i") || src[pos] == UInt8(ascii: "m") { pos += 1 }
                    return Token(kind: .regex, text: pattern, regexFlags: text(fs, pos), position: start)
                }
            }
            let prevEscape = pos > s && src[pos - 1] == UInt8(ascii: "\\")
            if (c == UInt8(ascii: "(") || c == UInt8(ascii: "[") || c == UInt8(ascii: "{")) && !prevEscape { depth += 1 }
            if (c == UInt8(ascii: ")") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}")) && !prevEscape { depth -= 1 }
            pos += 1
        }
        throw JSONataError("S0302", "No terminating / in regular expression", position: start)
    }

    mutating func scanNumber(_ start: Int) throws -> Token {
        var i = pos
        if src[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while i < src.count, src[i] >= 0x30, src[i] <= 0x39 { i += 1 }
        }
        if at(i) == UInt8(ascii: "."), at(i + 1) >= 0x30, at(i + 1) <= 0x39 {
            i += 1
            while i < src.count, src[i] >= 0x30, src[i] <= 0x39 { i += 1 }
        }
        if at(i) == UInt8(ascii: "e") || at(i) == UInt8(ascii: "E") {
            var j = i + 1
            if at(j) == UInt8(ascii: "+") || at(j) == UInt8(ascii: "-") { j += 1 }
            if at(j) >= 0x30, at(j) <= 0x39 {
                while j < src.count, src[j] >= 0x30, src[j] <= 0x39 { j += 1 }
                i = j
            }
        }
        let t = text(pos, i)
        pos = i
        guard let d = Double(t), d.isFinite else {
            throw JSONataError("S0102", "Number out of range: \(t)", position: start, token: t)
        }
        return Token(kind: .number, number: d, position: start)
    }

    mutating func scanString(quote: UInt8, start: Int) throws -> Token {
        pos += 1
        var out: [UInt8] = []
        while pos < src.count {
            let c = src[pos]
            if c == quote {
                pos += 1
                return Token(kind: .string, text: String(decoding: out, as: UTF8.self), position: start)
            }
            if c == UInt8(ascii: "\\") {
                pos += 1
                let e = at(pos)
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "'"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard let cp = hex4(pos + 1) else {
                        throw JSONataError("S0104", "The escape sequence \\u must be followed by 4 hex digits", position: pos)
                    }
                    pos += 4
                    var scalarValue = cp
                    if cp >= 0xD800, cp < 0xDC00, at(pos + 1) == UInt8(ascii: "\\"), at(pos + 2) == UInt8(ascii: "u"),
                        let lo = hex4(pos + 3), lo >= 0xDC00, lo < 0xE000
                    {
                        scalarValue = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                        pos += 6
                    }
                    UTF8.encode(Unicode.Scalar(scalarValue) ?? "\u{FFFD}") { out.append($0) }
                default:
                    throw JSONataError("S0103", "Unsupported escape sequence: \\\(UnicodeScalar(e))", position: pos, token: String(UnicodeScalar(e)))
                }
                pos += 1
                continue
            }
            out.append(c)
            pos += 1
        }
        throw JSONataError("S0101", "String literal must be terminated by a matching quote", position: start)
    }

    func hex4(_ i: Int) -> UInt32? {
        guard i + 4 <= src.count else { return nil }
        var v: UInt32 = 0
        for k in i..<(i + 4) {
            guard let d = Hex.digitValue(src[k]) else { return nil }
            v = v << 4 | UInt32(d)
        }
        return v
    }
}
