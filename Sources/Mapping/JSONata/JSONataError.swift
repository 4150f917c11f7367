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
