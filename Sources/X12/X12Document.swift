/// Everything read from one input: its interchanges and every problem found (syntax and
/// envelope), in input order.
public struct X12Document: Sendable, Hashable {
    public var interchanges: [X12Interchange]
    public var errors: [X12Error]

    /// No error and at least one interchange: an input with no ISA at all (empty, or only
    /// whitespace) is not a valid X12 transmission, though nothing in it is malformed.
    public var isValid: Bool { errors.isEmpty && !interchanges.isEmpty }

    /// Parses and validates a whole in-memory input.
    public init(parsing bytes: [UInt8]) {
        var pair = X12HandlerPair(X12EnvelopeValidator(), X12DocumentBuilder())
        X12StreamParser.parse(bytes, into: &pair)
        interchanges = pair.second.interchanges
        errors = pair.first.errors
    }

    /// The errors of interchange `n` (1-based).
    public func errors(inInterchange n: Int) -> [X12Error] { errors.filter { $0.position.interchange == n } }
}
