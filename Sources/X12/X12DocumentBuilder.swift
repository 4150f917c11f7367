/// A segment handler that builds the whole document model (interchanges → groups → transaction
/// sets → segments) in memory. For large inputs prefer ``X12TransactionSetStream``.
///
/// Partial structures are kept as far as they were read: an interchange abandoned after a
/// syntax error appears with what preceded the error and no trailer, so that an
/// acknowledgment can still name its control numbers.
public struct X12DocumentBuilder: X12SegmentHandler {
    public private(set) var interchanges: [X12Interchange] = []
    private var open = false

    public init() {}

    public mutating func interchangeBegan(_ header: X12InterchangeHeader, at position: X12Position) {
        interchanges.append(X12Interchange(header: header, position: position))
        open = true
    }

    public mutating func syntaxError(_ error: X12Error) { open = false }

    public mutating func segment(_ s: X12SegmentView) {
        guard open, !interchanges.isEmpty else { return }
        let k = interchanges.count - 1
        let seg = s.makeSegment()
        switch s.id {
        case .IEA:
            interchanges[k].trailer = seg
            open = false
        case .GS:
            interchanges[k].groups.append(X12FunctionalGroup(header: seg))
        case .GE:
            if !interchanges[k].groups.isEmpty { interchanges[k].groups[interchanges[k].groups.count - 1].trailer = seg }
            else { interchanges[k].serviceSegments.append(seg) }
        case .ST:
            if interchanges[k].groups.isEmpty { interchanges[k].serviceSegments.append(seg); return }
            let g = interchanges[k].groups.count - 1
            interchanges[k].groups[g].transactionSets.append(X12TransactionSet(segments: [seg], position: s.position))
        default:
            let g = interchanges[k].groups.count - 1
            guard g >= 0, let t = interchanges[k].groups[g].transactionSets.indices.last else {
                interchanges[k].serviceSegments.append(seg)
                return
            }
            interchanges[k].groups[g].transactionSets[t].segments.append(seg)
        }
    }
}
