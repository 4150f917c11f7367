/// Writes segments with given delimiters.
///
/// A segment written with the delimiters it was read with is copied byte for byte (so a parse →
/// serialize round trip reproduces every segment exactly); with other delimiters it is
/// re-encoded element by element, repetition by repetition, component by component, and text
/// that contains one of the new delimiters is refused (X12 cannot escape it). The ISA's ISA11
/// and ISA16 are rewritten to declare the new delimiters.
public struct X12Serializer: Sendable {
    /// What follows each segment terminator.
    public enum LineEnding: Sendable, Hashable {
        case none, lf, crlf
        var bytes: [UInt8] {
            switch self {
            case .none: []
            case .lf: [0x0A]
            case .crlf: [0x0D, 0x0A]
            }
        }
    }

    public var delimiters: X12Delimiters
    public var lineEnding: LineEnding

    public init(delimiters: X12Delimiters, lineEnding: LineEnding = .none) {
        self.delimiters = delimiters
        self.lineEnding = lineEnding
    }

    /// Appends one segment and its terminator.
    public func write(_ segment: X12Segment, into out: inout [UInt8]) throws(X12Error) {
        if segment.delimiters == delimiters {
            out += segment.bytes
        } else if segment.id == .ISA {
            try writeHeader(segment, into: &out)
        } else {
            out += segment.id.bytes
            for n in stride(from: 1, through: segment.elementCount, by: 1) {
                out.append(delimiters.element)
                try X12SegmentEncoder.append(segment.value(n), of: segment.id, element: n, delimiters: delimiters, into: &out)
            }
        }
        out.append(delimiters.segment)
        out += lineEnding.bytes
    }

    /// The whole interchange, ISA to IEA.
    public func serialize(_ interchange: X12Interchange) throws(X12Error) -> [UInt8] {
        var out: [UInt8] = []
        for segment in interchange.segments { try write(segment, into: &out) }
        return out
    }

    private func writeHeader(_ isa: X12Segment, into out: inout [UInt8]) throws(X12Error) {
        out += isa.id.bytes
        for n in 1...16 {
            out.append(delimiters.element)
            switch n {
            case 11 where isa.delimiters.repetition != nil || delimiters.repetition != nil:
                // ISA11 is the repetition separator in this version: declare the new one.
                guard let r = delimiters.repetition else {
                    throw X12Error(.interchange(.invalidStandardsIdentifier), at: X12SegmentEncoder.position(.ISA, 11, nil, nil),
                                   "the interchange's version uses a repetition separator; the target delimiters have none")
                }
                out.append(r)
            case 16:
                out.append(delimiters.component)
            default:
                let raw = isa.rawElement(n)
                if let bad = raw.first(where: { $0 == delimiters.element || $0 == delimiters.segment }) {
                    throw X12Error(.element(.invalidCharacter), at: X12SegmentEncoder.position(.ISA, n, nil, nil),
                                   "the value contains \(hex(bad)), a delimiter of the target interchange")
                }
                out += raw
            }
        }
    }
}
