/// An error raised while compiling or evaluating a JSONata expression, carrying JSONata's own
/// error code (`S0xxx` syntax, `T0xxx`/`T1xxx`/`T2xxx` type, `D1xxx`/`D2xxx`/`D3xxx` dynamic,
/// `U1001` evaluation depth/time limit) so that mapping files can be diagnosed against the
/// JSONata documentation.
public struct JSONataError: Error, Sendable, CustomStringConvertible {
    /// JSONata error code, e.g. "T0410".
    public let code: String
    public let message: String
    /// Character offset in the expression source where the error was detected, when known.
    public var position: Int?
    /// The token involved, when there is one.
    public var token: String?

    public init(_ code: String, _ message: String, position: Int? = nil, token: String? = nil) {
        self.code = code
        self.message = message
        self.position = position
        self.token = token
    }

    public var description: String {
        var s = "\(code): \(message)"
        if let position { s += " (at position \(position)" + (token.map { ", token '\($0)'" } ?? "") + ")" }
        return s
    }
}

extension JSONataError {
    /// The line of `source` the error's position is on, and a caret under the character it names
    /// (for terminals: `paklog mapping eval`); nil when the error has no position.
    ///
    /// ```
    /// $substring(123, 1)
    ///            ^
    /// ```
    public func caret(in source: String) -> String? {
        guard let position else { return nil }
        let bytes = Array(source.utf8)
        let offset = min(max(0, position), bytes.count)
        var lineStart = offset
        while lineStart > 0, bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        var lineEnd = offset
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
        let line = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        // Columns in Unicode scalars, as a terminal advances (tabs kept so the caret lines up).
        let before = String(decoding: bytes[lineStart..<offset], as: UTF8.self)
        let padding = before.unicodeScalars.map { $0 == "\t" ? "\t" : " " }.joined()
        return line + "\n" + padding + "^"
    }
}
