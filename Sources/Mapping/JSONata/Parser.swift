import JSON

/// Top-down operator-precedence (Pratt) parser for JSONata, producing raw `Node`s that
/// `ASTProcessor` then normalises. Binding powers follow the JSONata grammar.
struct Parser {
    var lexer: Lexer
    var tok: Token
    /// Whether the previous token ended an operand (then `/` is division, not a regex).
    var lastWasOperand = false

    static func parse(_ source: String) throws -> Node {
        var p = try Parser(source)
        let raw = try p.expression(0)
        if p.tok.kind != .end {
            throw JSONataError("S0201", "Syntax error: \(p.describe(p.tok))", position: p.tok.position, token: p.describe(p.tok))
        }
        var processor = ASTProcessor()
        let ast = try processor.processRoot(raw)
        var names = Set<String>()
        var usesEval = false
        ast.boundNames(into: &names, usesEval: &usesEval)
        if usesEval { names.formUnion(FunctionLibrary.table.keys) }
        Node.$shadowedNames.withValue(names) { ast.finalize() }
        return ast
    }

    init(_ source: String) throws {
        lexer = Lexer(source)
        tok = Token(kind: .end, position: 0)
        tok = try lexer.next(prefix: true)
        lastWasOperand = false
    }

    func describe(_ t: Token) -> String {
        switch t.kind {
        case .end: return "(end)"
        case .number: return NumberFormatting.javaScript(t.number)
        case .value: return t.bool.map { $0 ? "true" : "false" } ?? "null"
        default: return t.text
        }
    }

    func isOp(_ s: String) -> Bool { tok.kind == .op && tok.text == s }

    /// Checks the current token (when `expected` is given) and moves to the next one.
    mutating func advance(_ expected: String? = nil) throws {
        if let expected, !(tok.kind == .op && tok.text == expected) {
            if tok.kind == .end {
                throw JSONataError("S0203", "Expected \"\(expected)\" before end of expression", position: tok.position, token: expected)
            }
            throw JSONataError("S0202", "Expected \"\(expected)\", got \"\(describe(tok))\"", position: tok.position, token: describe(tok))
        }
        let operandEnd: Bool
        switch tok.kind {
        case .name, .variable, .string, .number, .value, .regex: operandEnd = true
        case .op: operandEnd = tok.text == ")" || tok.text == "]" || tok.text == "}"
        case .end: operandEnd = false
        }
        lastWasOperand = operandEnd
        tok = try lexer.next(prefix: !operandEnd)
        if tok.kind == .op, !Parser.knownOperators.contains(tok.text) {
            throw JSONataError("S0204", "Unknown operator: \"\(tok.text)\"", position: tok.position, token: tok.text)
        }
    }

    static let knownOperators: Set<String> = [
        ".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|",
        "=", "<", ">", "^", "&", "..", ":=", "!=", "<=", ">=", "**", "~>", "?:", "??", "and", "or", "in",
    ]

    static func bindingPower(_ t: Token) -> Int {
        guard t.kind == .op else { return 0 }
        switch t.text {
        case ".": return 75
        case "[", "(", "@", "#": return 80
        case "{": return 70
        case "?": return 20
        case "+", "-", "&": return 50
        case "*", "/", "%": return 60
        case "=", "<", ">", "^", "!=", "<=", ">=", "~>", "?:", "??", "in": return 40
        case "and": return 30
        case "or": return 25
        case ":=": return 10
        default: return 0
        }
    }

    mutating func expression(_ rbp: Int) throws -> Node {
        let t = tok
        try advance()
        var left = try nud(t)
        while rbp < Parser.bindingPower(tok) {
            let op = tok
            try advance()
            left = try led(op, left)
        }
        return left
    }

    mutating func nud(_ t: Token) throws -> Node {
        switch t.kind {
        case .name:
            let n = Node(.name, t.position)
            n.text = t.text
            return n
        case .variable:
            let n = Node(.variable, t.position)
            n.text = t.text
            return n
        case .string:
            let n = Node(.string, t.position)
            n.text = t.text
            return n
        case .number:
            let n = Node(.number, t.position)
            n.number = t.number
            return n
        case .value:
            let n = Node(.value, t.position)
            n.bool = t.bool
            return n
        case .regex:
            let n = Node(.regex, t.position)
            do {
                n.regex = try RegexMatcher(pattern: t.text, flags: t.regexFlags)
            } catch {
                throw JSONataError("S0303", "Invalid regular expression /\(t.text)/", position: t.position, token: t.text)
            }
            n.text = t.text
            return n
        case .end:
            throw JSONataError("S0207", "Unexpected end of expression", position: t.position)
        case .op:
            break
        }
        switch t.text {
        case "and", "or", "in":
            let n = Node(.name, t.position)
            n.text = t.text
            return n
        case "-":
            let n = Node(.negate, t.position)
            n.expression = try expression(70)
            return n
        case "*": return Node(.wildcard, t.position)
        case "**": return Node(.descendant, t.position)
        case "%": return Node(.parent, t.position)
        case "(":
            let n = Node(.block, t.position)
            while !isOp(")") {
                n.expressions.append(try expression(0))
                if !isOp(";") { break }
                try advance(";")
            }
            try advance(")")
            return n
        case "[":
            let n = Node(.arrayConstructor, t.position)
            if !isOp("]") {
                while true {
                    var item = try expression(0)
                    if isOp("..") {
                        let range = Node(.binary, tok.position)
                        range.text = ".."
                        range.lhs = item
                        try advance("..")
                        range.rhs = try expression(0)
                        item = range
                    }
                    n.expressions.append(item)
                    if !isOp(",") { break }
                    try advance(",")
                }
            }
            try advance("]")
            return n
        case "{":
            let n = Node(.objectConstructor, t.position)
            n.pairs = try objectPairs()
            return n
        case "|":
            let n = Node(.transform, t.position)
            n.pattern = try expression(0)
            try advance("|")
            n.update = try expression(0)
            if isOp(",") {
                try advance(",")
                n.delete = try expression(0)
            }
            try advance("|")
            return n
        default:
            throw JSONataError("S0211", "The symbol \(t.text) cannot be used as a unary operator", position: t.position, token: t.text)
        }
    }

    mutating func objectPairs() throws -> [(Node, Node)] {
        var pairs: [(Node, Node)] = []
        if !isOp("}") {
            while true {
                let k = try expression(0)
                try advance(":")
                let v = try expression(0)
                pairs.append((k, v))
                if !isOp(",") { break }
                try advance(",")
            }
        }
        try advance("}")
        return pairs
    }

    mutating func led(_ t: Token, _ left: Node) throws -> Node {
        let bp = Parser.bindingPower(t)
        switch t.text {
        case ".":
            let n = Node(.rawDot, t.position)
            n.lhs = left
            n.rhs = try expression(bp)
            return n
        case "(":
            var isPartial = false
            var args: [Node] = []
            if !isOp(")") {
                while true {
                    if isOp("?") {
                        isPartial = true
                        args.append(Node(.placeholder, tok.position))
                        try advance("?")
                    } else {
                        args.append(try expression(0))
                    }
                    if !isOp(",") { break }
                    try advance(",")
                }
            }
            try advance(")")
            if left.kind == .name, left.text == "function" || left.text == "λ" {
                let n = Node(.lambda, t.position)
                for (i, a) in args.enumerated() {
                    guard a.kind == .variable else {
                        throw JSONataError("S0208", "Parameter \(i + 1) of function definition must be a variable name (start with $)", position: a.position, token: a.text)
                    }
                    n.params.append(a.text)
                }
                if isOp("<") {
                    // Signature: taken from the source text up to the matching '>'.
                    let start = tok.position
                    var depth = 0
                    var i = start
                    let src = lexer.src
                    while i < src.count {
                        if src[i] == UInt8(ascii: "<") { depth += 1 }
                        if src[i] == UInt8(ascii: ">") {
                            depth -= 1
                            if depth == 0 { break }
                        }
                        if src[i] == UInt8(ascii: "{") { break }
                        i += 1
                    }
                    guard i < src.count, src[i] == UInt8(ascii: ">") else {
                        throw JSONataError("S0401", "Invalid function signature", position: start)
                    }
                    n.signatureSource = lexer.text(start, i + 1)
                    _ = try Signature.parse(n.signatureSource!, position: start)
                    lexer.pos = i + 1
                    tok = try lexer.next(prefix: false)
                }
                try advance("{")
                n.expression = try expression(0)
                try advance("}")
                return n
            }
            let n = Node(isPartial ? .partial : .call, t.position)
            n.procedure = left
            n.arguments = args
            return n
        case "[":
            if isOp("]") {
                var step = left
                while step.kind == .rawPredicate, let l = step.lhs { step = l }
                step.keepArray = true
                try advance("]")
                return left
            }
            let n = Node(.rawPredicate, t.position)
            n.lhs = left
            n.rhs = try expression(0)
            try advance("]")
            return n
        case "{":
            let n = Node(.rawGroup, t.position)
            n.lhs = left
            n.pairs = try objectPairs()
            return n
        case "^":
            let n = Node(.rawSort, t.position)
            n.lhs = left
            try advance("(")
            while true {
                var descending = false
                if isOp("<") {
                    try advance("<")
                } else if isOp(">") {
                    descending = true
                    try advance(">")
                }
                n.terms.append((try expression(0), descending))
                if !isOp(",") { break }
                try advance(",")
            }
            try advance(")")
            return n
        case "@", "#":
            let n = Node(t.text == "@" ? .rawFocus : .rawIndex, t.position)
            n.lhs = left
            let r = try expression(bp)
            guard r.kind == .variable else {
                throw JSONataError("S0214", "The right side of \(t.text) must be a variable name (start with $)", position: r.position, token: t.text)
            }
            n.rhs = r
            return n
        case "?":
            let n = Node(.condition, t.position)
            n.condition = left
            n.then = try expression(0)
            if isOp(":") {
                try advance(":")
                n.otherwise = try expression(0)
            }
            return n
        case "?:":
            let n = Node(.condition, t.position)
            n.condition = left
            n.then = left
            n.otherwise = try expression(0)
            return n
        case "??":
            let n = Node(.condition, t.position)
            let exists = Node(.call, t.position)
            let proc = Node(.variable, t.position)
            proc.text = "exists"
            exists.procedure = proc
            exists.arguments = [left]
            n.condition = exists
            n.then = left
            n.otherwise = try expression(0)
            return n
        case ":=":
            guard left.kind == .variable else {
                throw JSONataError("S0212", "The left side of := must be a variable name (start with $)", position: left.position, token: left.text)
            }
            let n = Node(.rawBind, t.position)
            n.lhs = left
            n.rhs = try expression(bp - 1)
            return n
        case "~>":
            let n = Node(.apply, t.position)
            n.text = "~>"
            n.lhs = left
            n.rhs = try expression(bp)
            return n
        default:
            let n = Node(.binary, t.position)
            n.text = t.text
            n.lhs = left
            n.rhs = try expression(bp)
            return n
        }
    }
}
