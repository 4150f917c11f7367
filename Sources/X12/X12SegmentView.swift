/// One segment as the parser sees it, without copying: a window onto the parser's buffer.
///
/// Element boundaries are found when asked for (``element(_:)``, ``elementCount``,
/// ``makeSegment()``), not by the parser for every segment: most handlers look at the
/// elements of a few segments only (the envelope validator at ST/SE/GS/GE/IEA), and finding
/// them for all segments was a large part of the parse. Each such call scans the segment (64
/// bytes per step); a handler that reads every element of most segments should take
/// ``makeSegment()``, which finds all boundaries in one pass.
///
/// **Valid only during the ``X12SegmentHandler/segment(_:)`` call that receives it**: the bytes
/// belong to the parser and are reused. Copy what must outlive the call (``makeSegment()``,
/// ``elementBytes(_:)``).
public struct X12SegmentView {
    public let id: X12SegmentID
    /// Where the segment is. Computed on demand from the parser's counters: building an
    /// ``X12Position`` (optionals, ten fields) for every segment cost more than most handlers
    /// spend on a segment inside a set, where they never look at it.
    public var position: X12Position {
        X12Position(byteOffset: place.byteOffset, interchange: place.interchange,
                    group: place.inGroup ? place.group : nil,
                    transactionSet: place.segmentInSet > 0 ? place.transactionSet : nil,
                    segmentInInterchange: place.segmentInInterchange,
                    segmentInSet: place.segmentInSet > 0 ? place.segmentInSet : nil,
                    segmentID: id)
    }
    /// The parser's counters at this segment, from which ``position`` is made.
    struct Place {
        var byteOffset: Int
        var interchange: Int
        var group: Int
        var inGroup: Bool
        var transactionSet: Int
        var segmentInInterchange: Int
        /// 0 outside a transaction set.
        var segmentInSet: Int
    }
    let place: Place
    public let delimiters: X12Delimiters
    /// The segment's bytes without its terminator.
    public let bytes: UnsafeRawBufferPointer
    /// How many bytes from `bytes.baseAddress` belong to the parser's buffer (≥ `bytes.count`),
    /// so that element lookups may read whole SIMD windows past a short segment.
    let readable: Int

    init(id: X12SegmentID, place: Place, delimiters: X12Delimiters,
         bytes: UnsafeRawBufferPointer, readable: Int) {
        self.id = id
        self.place = place
        self.delimiters = delimiters
        self.bytes = bytes
        self.readable = readable
    }

    /// The number of elements written (trailing empty ones included, as sent).
    public var elementCount: Int { X12DelimiterMasks.count(of: delimiters.element, in: bytes, readable: readable) }

    /// Element `n` (1-based) with its repetitions and components unsplit; empty when absent.
    @inline(__always)
    public func element(_ n: Int) -> UnsafeRawBufferPointer {
        // Element n starts after separator n-1 (0-based) and ends at separator n or the end.
        guard let range = X12DelimiterMasks.field(n, of: delimiters.element, in: bytes, readable: readable) else {
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// Element `n` copied out.
    public func elementBytes(_ n: Int) -> [UInt8] { Array(element(n)) }

    /// Element `n` as text (UTF-8, invalid bytes replaced).
    public func elementString(_ n: Int) -> String { String(decoding: element(n), as: UTF8.self) }

    /// Element `n` read as an unsigned decimal number, nil unless it is 1–18 digits.
    public func elementNumber(_ n: Int) -> UInt64? { decimalValue(element(n)) }

    /// An owned copy of the segment, for the document model.
    public func makeSegment() -> X12Segment {
        X12Segment(id: id, bytes: Array(bytes), separators: X12DelimiterMasks.offsets(of: delimiters.element, in: bytes, readable: readable),
                   delimiters: delimiters)
    }
}

/// 1–18 ASCII digits as a number; nil otherwise.
@inline(__always)
func decimalValue(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
    guard bytes.count >= 1, bytes.count <= 18 else { return nil }
    var n: UInt64 = 0
    for b in bytes {
        let d = b &- 0x30
        guard d < 10 else { return nil }
        n = n &* 10 &+ UInt64(d)
    }
    return n
}
