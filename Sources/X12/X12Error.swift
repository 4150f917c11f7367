/// One problem found in X12 input: its acknowledgment code, where it is, and the rule broken
/// in words (with the offending value where that helps; X12 envelopes carry no secrets, except
/// ISA02/ISA04, which the rules never quote).
///
/// Validation collects these as values; the parser reports syntax errors through the same type.
public struct X12Error: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: X12ErrorCode
    public var position: X12Position
    public var rule: String

    public init(_ code: X12ErrorCode, at position: X12Position, _ rule: String) {
        self.code = code
        self.position = position
        self.rule = rule
    }

    public var description: String { "\(position): \(rule) [\(code)]" }

    /// Whether the error breaks the interchange envelope itself (a TA1 matter): a TA1 code, or
    /// a problem outside every group.
    public var isInterchangeLevel: Bool {
        if case .interchange = code { return true }
        return position.group == nil && position.transactionSet == nil
    }
}
