/// Reads the text tables the definitions are written in. They are data written by us, so a
/// malformed line is a programmer error and traps with the line quoted.
///
/// **Segment lines** (segment and composite directories), one segment per line:
///
///     W05 Shipping Order Identification | 473 ID 1/2 M C N R | 396 AN 1/22 M | ... | ! R0203 P0304
///
/// After the id and name, one `|`-separated field per element in position order: data element
/// number, type (ID, AN, N0–N9, R, DT, TM), min/max length, requirement (M, O, X), then for
/// ID elements the accepted codes if the definitions restrict them, and `*n` when the element
/// may repeat n times. A composite is written by its number and requirement (`C030 M`), its
/// components coming from the composite directory. A last field starting with `!` holds the
/// syntax notes.
///
/// **Structure lines**, one node per line: `W05 M 1` is a segment with its requirement and
/// maximum use (`>1` for unbounded); `{ O 10` opens a loop with its requirement and maximum
/// number of instances, whose first line is its trigger segment; `}` closes it.
enum X12DefinitionTables {
    static func segments(_ text: String, composites: [String: X12ElementDefinition]) -> [X12SegmentID: X12SegmentDefinition] {
        var out: [X12SegmentID: X12SegmentDefinition] = [:]
        for line in lines(text) {
            let s = segment(line, composites: composites)
            out[s.id] = s
        }
        return out
    }

    /// The composite directory: each line `C030 Position in Segment | components…`.
    static func composites(_ text: String) -> [String: X12ElementDefinition] {
        var out: [String: X12ElementDefinition] = [:]
        for line in lines(text) {
            let fields = line.split(separator: "|").map { $0.trimmingSpaces }
            let number = String(fields[0].split(separator: " ")[0])
            let components = fields.dropFirst().map { element(String($0), composites: [:], line: line) }
            out[number] = X12ElementDefinition(number: number, type: .composite, minLength: 0, maxLength: 0,
                                               requirement: .optional, codes: nil, maxRepeat: 1, components: components)
        }
        return out
    }

    static func segment(_ line: String, composites: [String: X12ElementDefinition]) -> X12SegmentDefinition {
        var fields = line.split(separator: "|").map { $0.trimmingSpaces }
        var notes: [X12SyntaxNote] = []
        if let last = fields.last, last.hasPrefix("!") {
            notes = last.dropFirst().split(separator: " ").map { note(String($0), line: line) }
            fields.removeLast()
        }
        let head = fields[0]
        let idText = head.prefix { $0 != " " }
        guard let id = X12SegmentID(string: String(idText)) else { preconditionFailure("bad segment id in \(line)") }
        let name = head.dropFirst(idText.count).trimmingSpaces
        let elements = fields.dropFirst().map { element($0, composites: composites, line: line) }
        return X12SegmentDefinition(id: id, name: name, elements: elements, notes: notes)
    }

    static func element(_ field: String, composites: [String: X12ElementDefinition], line: String) -> X12ElementDefinition {
        let t = field.split(separator: " ").map(String.init)
        var repeatCount = 1
        var rest = t
        if let r = rest.last, r.hasPrefix("*"), let n = Int(r.dropFirst()) { repeatCount = n; rest.removeLast() }
        if t[0].hasPrefix("C"), rest.count == 2 {
            guard var c = composites[t[0]], rest[1].count == 1, let req = X12Requirement(rawValue: rest[1].first!) else {
                preconditionFailure("unknown composite or requirement in \(line)")
            }
            c.requirement = req
            c.maxRepeat = repeatCount
            return c
        }
        guard rest.count >= 4 else { preconditionFailure("element field \"\(field)\" in \(line)") }
        let type: X12ElementType
        switch rest[1] {
        case "ID": type = .identifier
        case "AN": type = .string
        case "R": type = .decimal
        case "DT": type = .date
        case "TM": type = .time
        case let n where n.count == 2 && n.hasPrefix("N"): type = .numeric(decimals: Int(n.dropFirst())!)
        default: preconditionFailure("element type \(rest[1]) in \(line)")
        }
        let lengths = rest[2].split(separator: "/")
        guard lengths.count == 2, let minLength = Int(lengths[0]), let maxLength = Int(lengths[1]),
              rest[3].count == 1, let req = X12Requirement(rawValue: rest[3].first!) else { preconditionFailure("element field \"\(field)\" in \(line)") }
        let codes = rest.count > 4 ? Set(rest[4...]) : nil
        return X12ElementDefinition(number: rest[0], type: type, minLength: minLength, maxLength: maxLength,
                                    requirement: req, codes: codes, maxRepeat: repeatCount, components: [])
    }

    static func note(_ text: String, line: String) -> X12SyntaxNote {
        guard let kind = X12SyntaxNote.Kind(rawValue: text.first ?? " "), text.count >= 5, text.count % 2 == 1 else {
            preconditionFailure("syntax note \(text) in \(line)")
        }
        let digits = Array(text.dropFirst())
        let positions = stride(from: 0, to: digits.count, by: 2).map { Int(String(digits[$0...$0 + 1]))! }
        return X12SyntaxNote(kind: kind, elements: positions)
    }

    /// Parses a structure table into nodes, giving each its loop-JSON key (see
    /// ``X12TransactionSetDefinition`` for the suffix rule).
    static func structure(_ text: String) -> [X12StructureNode] {
        var stack: [(requirement: X12Requirement, maxUse: Int, children: [X12StructureNode])] = [(.mandatory, 1, [])]
        for line in lines(text) {
            let t = line.split(separator: " ").map(String.init)
            if t[0] == "}" {
                let loop = stack.removeLast()
                precondition(!loop.children.isEmpty, "empty loop in structure")
                let node = X12StructureNode.loop(X12LoopDefinition(key: "", requirement: loop.requirement, maxUse: loop.maxUse,
                                                                   children: keyed(loop.children)))
                stack[stack.count - 1].children.append(node)
                continue
            }
            guard t.count == 3, t[1].count == 1, let req = X12Requirement(rawValue: t[1].first!),
                  let maxUse = t[2] == ">1" ? Int.max : Int(t[2]) else { preconditionFailure("structure line \(line)") }
            if t[0] == "{" {
                stack.append((req, maxUse, []))
            } else {
                guard let id = X12SegmentID(string: t[0]) else { preconditionFailure("structure line \(line)") }
                stack[stack.count - 1].children.append(.segment(X12SegmentUse(id: id, requirement: req, maxUse: maxUse, key: "")))
            }
        }
        precondition(stack.count == 1, "unclosed loop in structure")
        return keyed(stack[0].children)
    }

    /// Gives the nodes of one level their keys: the first of a kind plain, later ones `_2`, `_3`.
    private static func keyed(_ nodes: [X12StructureNode]) -> [X12StructureNode] {
        var seen: [String: Int] = [:]
        return nodes.map { node in
            let base: String
            switch node {
            case .segment(let s): base = s.id.description
            case .loop(let l): base = l.trigger.description + "_loop"
            }
            let n = (seen[base] ?? 0) + 1
            seen[base] = n
            let key = n == 1 ? base : "\(base)_\(n)"
            switch node {
            case .segment(var s): s.key = key; return .segment(s)
            case .loop(var l): l.key = key; return .loop(l)
            }
        }
    }

    /// Non-empty lines without their `#` comments.
    private static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { raw in
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmingSpaces
            return line.isEmpty ? nil : line
        }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
