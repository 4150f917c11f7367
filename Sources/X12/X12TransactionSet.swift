/// One transaction set (ST … SE) as a flat, order-preserving list of its segments, ST and SE
/// included. Loops are not formed here: they need the transaction-set definitions, which are a
/// later layer over this list.
public struct X12TransactionSet: Sendable, Hashable {
    public var segments: [X12Segment]
    /// Where the ST is.
    public var position: X12Position

    public init(segments: [X12Segment], position: X12Position) {
        self.segments = segments
        self.position = position
    }

    /// ST01, e.g. "940".
    public var identifier: String { segments.first?[1] ?? "" }
    /// ST02.
    public var controlNumber: String { segments.first?[2] ?? "" }
}
