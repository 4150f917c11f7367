import Yams

/// How a scalar is written in the YAML text (YAML 1.2 §7, §8).
enum ScalarStyle: Sendable {
    case plain, singleQuoted, doubleQuoted
    /// `|` (literal) or `>` (folded).
    case block

    init(_ style: Yams.Node.Scalar.Style) {
        switch style {
        case .singleQuoted: self = .singleQuoted
        case .doubleQuoted: self = .doubleQuoted
        case .literal, .folded: self = .block
        case .plain, .any: self = .plain
        }
    }
}

/// Where an expression's text sits in its YAML file, and how to turn a position inside the
/// expression (as JSONata reports it) into the line and column of the file.
///
/// The scalar's value is not a substring of the file: a block scalar (`|`, `>`) starts on the line
/// after its indicator and drops each line's indentation, quoted scalars have an opening quote and
/// escapes (`''`, `\"`, `\u00e9`), and multi-line flow scalars fold line breaks into spaces
/// (YAML 1.2 §7.3, §8.1). `location(ofOffset:)` walks the file text and the value side by side
/// under those rules, so the column it gives is the one an editor shows.
struct ExpressionSite: Sendable {
    let file: String
    /// The key path of the expression in the YAML document, e.g. `fields.order.id`.
    let keyPath: String
    /// The YAML node's mark: 1-based line and column, columns counted in Unicode scalars.
    let line: Int
    let column: Int
    let style: ScalarStyle
    /// The expression text (the scalar's value).
    let source: String
    /// The lines of the YAML file from the node's line to the end (shared storage, not copied).
    let fileLines: ArraySlice<[Unicode.Scalar]>

    /// `file:line:column` of the expression's byte `offset` (JSONata's lexer counts positions in
    /// UTF-8 bytes of the expression).
    func location(ofOffset offset: Int) -> MappingSourceLocation {
        let (l, c) = position(ofOffset: offset)
        return MappingSourceLocation(file: file, line: l, column: c, keyPath: keyPath)
    }

    func position(ofOffset offset: Int) -> (line: Int, column: Int) {
        position(ofScalar: scalarIndex(ofUTF8Offset: offset))
    }

    /// The index of the Unicode scalar that contains UTF-8 byte `offset` of the expression.
    func scalarIndex(ofUTF8Offset offset: Int) -> Int {
        var bytes = 0
        var index = 0
        for scalar in source.unicodeScalars {
            bytes += UTF8.width(scalar)
            if bytes > offset { return index }
            index += 1
        }
        return index
    }

    /// Line and column of the `target`-th Unicode scalar of the expression.
    func position(ofScalar target: Int) -> (line: Int, column: Int) {
        guard !fileLines.isEmpty else { return (line, column) }
        let value = Array(source.unicodeScalars)
        let end = min(max(target, 0), value.count)
        var li = fileLines.startIndex
        var ci: Int
        let blockIndent: Int?

        switch style {
        case .block:
            // Content starts on the line after the `|`/`>` header; its indentation is that of the
            // first non-blank line (an explicit indentation indicator is not needed for mappings).
            li += 1
            var probe = li
            while probe < fileLines.endIndex, fileLines[probe].allSatisfy({ $0 == " " }) { probe += 1 }
            let indent = probe < fileLines.endIndex ? fileLines[probe].prefix(while: { $0 == " " }).count : 0
            blockIndent = indent
            ci = li < fileLines.endIndex ? min(indent, fileLines[li].count) : 0
        case .singleQuoted, .doubleQuoted:
            blockIndent = nil
            ci = column // past the opening quote (column is 1-based)
        case .plain:
            blockIndent = nil
            ci = column - 1
        }

        var vi = 0
        while vi < end, li < fileLines.endIndex {
            let text = fileLines[li]
            let atLineEnd = ci >= text.count || (blockIndent == nil && text[ci...].allSatisfy { $0 == " " || $0 == "\t" })
            if atLineEnd {
                // A line break in the file: the value has a newline (literal, or a blank line when
                // folded) or a space (folding), or nothing (escaped line break in double quotes).
                li += 1
                guard li < fileLines.endIndex else { break }
                if let indent = blockIndent {
                    ci = min(indent, fileLines[li].count)
                } else {
                    ci = fileLines[li].prefix(while: { $0 == " " || $0 == "\t" }).count
                }
                if value[vi] == "\n" || value[vi] == " " { vi += 1 }
                continue
            }
            let s = text[ci]
            if style == .singleQuoted, s == "'", value[vi] == "'" {
                ci += 2
                vi += 1
            } else if style == .doubleQuoted, s == "\\" {
                let next = ci + 1 < text.count ? text[ci + 1] : nil
                switch next {
                case nil: ci += 1 // escaped line break: the value gets nothing
                case "x"?: ci += 4; vi += 1
                case "u"?: ci += 6; vi += 1
                case "U"?: ci += 10; vi += 1
                default: ci += 2; vi += 1
                }
            } else {
                ci += 1
                vi += 1
            }
        }
        return (li - fileLines.startIndex + line, ci + 1)
    }
}

/// A place in a mapping file: `file:line:column` (1-based, columns in Unicode scalars) and the
/// key path of the YAML node.
public struct MappingSourceLocation: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let keyPath: String

    public var description: String { "\(file):\(line):\(column)" }
}
