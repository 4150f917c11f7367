/// One functional group (GS … GE) and its transaction sets.
public struct X12FunctionalGroup: Sendable, Hashable {
    public var header: X12Segment
    public var transactionSets: [X12TransactionSet]
    /// nil when the input ended the group without a GE.
    public var trailer: X12Segment?

    public init(header: X12Segment, transactionSets: [X12TransactionSet] = [], trailer: X12Segment? = nil) {
        self.header = header
        self.transactionSets = transactionSets
        self.trailer = trailer
    }

    /// GS01, the functional identifier code (e.g. "OW" for 940s).
    public var functionalIdentifier: String { header[1] }
    /// GS06.
    public var controlNumber: String { header[6] }
}
