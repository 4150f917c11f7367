/// A segment handler that assembles transaction sets one at a time and hands each complete set
/// (ST … SE) to a closure with its interchange and group headers, keeping nothing else: memory
/// is bounded by the largest transaction set, whatever the input size.
///
/// Pair it with ``X12EnvelopeValidator`` (see ``X12Reader``) to know whether the envelope
/// around a set is sound; this type only assembles.
public struct X12TransactionSetStream: X12SegmentHandler {
    /// What the closure receives.
    public struct Context: Sendable {
        public var interchange: X12InterchangeHeader
        public var group: X12Segment
        public var transactionSet: X12TransactionSet
    }

    private let deliver: (Context) -> Void
    private var header: X12InterchangeHeader?
    private var group: X12Segment?
    private var set: X12TransactionSet?

    public init(_ deliver: @escaping (Context) -> Void) { self.deliver = deliver }

    public mutating func interchangeBegan(_ header: X12InterchangeHeader, at position: X12Position) {
        self.header = header
        group = nil
        set = nil
    }

    public mutating func syntaxError(_ error: X12Error) {
        header = nil
        group = nil
        set = nil
    }

    public mutating func segment(_ s: X12SegmentView) {
        switch s.id {
        case .GS: group = s.makeSegment(); set = nil
        case .GE, .IEA: set = nil
        case .ST: set = X12TransactionSet(segments: [s.makeSegment()], position: s.position)
        case .SE:
            guard var complete = set, let header, let group else { return }
            complete.segments.append(s.makeSegment())
            set = nil
            deliver(Context(interchange: header, group: group, transactionSet: complete))
        default:
            set?.segments.append(s.makeSegment())
        }
    }
}
