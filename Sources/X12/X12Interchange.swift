/// One interchange (ISA … IEA): its header, the optional service segments between ISA and the
/// first GS (ISB, ISE, TA1), its groups and its trailer.
public struct X12Interchange: Sendable, Hashable {
    public var header: X12InterchangeHeader
    public var serviceSegments: [X12Segment]
    public var groups: [X12FunctionalGroup]
    /// nil when the input ended without an IEA.
    public var trailer: X12Segment?
    public var position: X12Position

    public init(header: X12InterchangeHeader, serviceSegments: [X12Segment] = [], groups: [X12FunctionalGroup] = [],
                trailer: X12Segment? = nil, position: X12Position) {
        self.header = header
        self.serviceSegments = serviceSegments
        self.groups = groups
        self.trailer = trailer
        self.position = position
    }

    public var delimiters: X12Delimiters { header.delimiters }

    /// The ISA as a model segment (its ISA11 and ISA16 are never split).
    public var headerSegment: X12Segment {
        var seps: [Int32] = []
        for (i, b) in header.bytes.enumerated() where b == header.delimiters.element && seps.count < 16 { seps.append(Int32(i)) }
        return X12Segment(id: .ISA, bytes: header.bytes, separators: seps, delimiters: header.delimiters)
    }

    /// Every segment in order, ISA to IEA.
    public var segments: [X12Segment] {
        var out = [headerSegment] + serviceSegments
        for g in groups {
            out.append(g.header)
            for s in g.transactionSets { out += s.segments }
            if let t = g.trailer { out.append(t) }
        }
        if let trailer { out.append(trailer) }
        return out
    }
}
