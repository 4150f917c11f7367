/// Checks the envelopes of a segment stream: ISA fixed widths and formats, ISA/IEA, GS/GE and
/// ST/SE pairing, counts and control numbers, and duplicate control numbers within the input.
/// A pure value type fed by ``X12StreamParser``; every problem becomes one ``X12Error`` in
/// ``errors`` (nothing stops at the first), and the parser's syntax errors are collected there
/// too. Duplicates against earlier inputs (per partner, from the log) are the caller's: this
/// sees one input only.
public struct X12EnvelopeValidator: X12SegmentHandler {
    /// Every problem found, in input order.
    public private(set) var errors: [X12Error] = []
    /// Interchanges begun (ISA read).
    public private(set) var interchangeCount = 0
    /// Interchanges that reached their IEA.
    public private(set) var completedInterchangeCount = 0
    /// Transaction sets that reached their SE.
    public private(set) var transactionSetCount = 0

    /// The open set and group hold no references (ST02 as sent, needed only when it does not
    /// pack, is kept in ``unpackedST02``), so that reading or replacing them per set retains
    /// nothing.
    private struct OpenSet {
        /// ST02 packed when it has ST02's syntax (then SE02 is compared packed); nil otherwise.
        var packed: X12PackedControlNumber?
        var position: X12Position
    }
    private struct OpenGroup {
        var controlNumber: UInt64?
        var position: X12Position
        var setCount = 0
        var openSet: OpenSet?
    }
    private struct OpenInterchange {
        var header: X12InterchangeHeader
        var groupCount = 0
        var groupControlNumbers: Set<UInt64> = []
        var sawGroup = false
    }
    /// The interchange being read. Its group lives beside it (``group``), not inside: reaching
    /// through `current!` copied the whole interchange state (header arrays, sets) on every
    /// access, and the group is touched at every ST and SE.
    private var current: OpenInterchange?
    /// The open functional group of `current`; nil whenever `current` is.
    private var group: OpenGroup?
    /// ST02 as sent, when the open set's ST02 does not pack (empty otherwise).
    private var unpackedST02: [UInt8] = []
    /// Mirrors "a transaction set is open" (`group?.openSet != nil`), so that the
    /// common case (a segment inside a set) is one flag test without touching the nested state
    /// and its collections. Set where an open set begins or ends, not by a `didSet` on
    /// `current` nor by re-reading the nested optionals: both copied the interchange state
    /// (retaining its arrays) for every envelope segment.
    private var setOpen = false
    private var seenInterchanges: Set<[[UInt8]]> = []
    /// The open group's ST02 values (one storage reused for every group).
    private var setControlNumbers = X12SetControlNumbers()

    public init() {}

    /// The errors of interchange `n` (1-based).
    public func errors(inInterchange n: Int) -> [X12Error] { errors.filter { $0.position.interchange == n } }

    public mutating func interchangeBegan(_ header: X12InterchangeHeader, at position: X12Position) {
        interchangeCount += 1
        errors += X12InterchangeHeaderRules.check(header, at: position)
        // Same sender, receiver and ISA13 twice in one input: a resend inside the file.
        let key = [header.elements[4], header.elements[5], header.elements[6], header.elements[7], header.elements[12]]
        if !seenInterchanges.insert(key).inserted {
            errors.append(X12Error(.interchange(.duplicateControlNumber), at: position.at(element: 13),
                                   "ISA13 \(header.string(13)) was already used by an earlier interchange from the same sender to the same receiver"))
        }
        current = OpenInterchange(header: header)
        group = nil
        setOpen = false
    }

    public mutating func syntaxError(_ error: X12Error) {
        errors.append(error)
        current = nil
        group = nil
        setOpen = false
    }

    @inline(__always)
    public mutating func segment(_ s: X12SegmentView) {
        // The common case, inlined into the parser's loop: a segment inside a set.
        if setOpen, !Self.isEnvelopeID(s.id) { return }
        checkSegment(s)
    }

    /// Everything but a plain segment inside a set: kept out of line so that the inlined
    /// fast path above stays small.
    @inline(never)
    private mutating func checkSegment(_ s: X12SegmentView) {
        guard current != nil else { return }
        switch s.id {
        case .ST: beginSet(s)
        case .SE: endSet(s)
        case .GS: beginGroup(s)
        case .GE: endGroup(s)
        case .IEA: endInterchange(s)
        case .ISB, .ISE, .TA1:
            if current!.sawGroup {
                fail(.interchange(.invalidInterchangeContent), s.position, "\(s.id) belongs between ISA and the first GS")
            }
        default:
            if group?.openSet == nil {
                let place = group == nil ? "outside a functional group" : "between transaction sets"
                fail(.interchange(.invalidInterchangeContent), s.position, "segment \(s.id) \(place): only GS/GE, ST/SE and IEA may stand there")
            }
        }
    }

    /// Whether this validator checks segments with this id; everything else inside a set only
    /// counts.
    @inline(__always)
    private static func isEnvelopeID(_ id: X12SegmentID) -> Bool {
        switch id {
        case .ST, .SE, .GS, .GE, .IEA, .ISB, .ISE, .TA1, .ISA: true
        default: false
        }
    }

    private mutating func fail(_ code: X12ErrorCode, _ position: X12Position, _ rule: String) {
        errors.append(X12Error(code, at: position, rule))
    }

    private mutating func beginGroup(_ s: X12SegmentView) {
        if let open = group {
            fail(.group(.groupTrailerMissing), open.position, "group \(open.position.group ?? 0) has no GE before the next GS")
            closeSetIfOpen(at: s.position)
        }
        current!.sawGroup = true
        current!.groupCount += 1
        var newGroup = OpenGroup(controlNumber: nil, position: s.position)
        setControlNumbers.beginGroup()
        if s.elementCount < 8 {
            fail(.interchange(.invalidInterchangeContent), s.position, "GS must have 8 elements; found \(s.elementCount)")
        }
        let gs06 = s.element(6)
        if gs06.count <= 9, let number = decimalValue(gs06) {
            newGroup.controlNumber = number
            if !current!.groupControlNumbers.insert(number).inserted {
                fail(.group(.controlNumberNotUnique), s.position.at(element: 6), "GS06 \(number) is used by an earlier group of this interchange")
            }
        } else {
            fail(.group(.controlNumberViolatesSyntax), s.position.at(element: 6),
                 "GS06 must be 1–9 digits; found \"\(s.elementString(6).debugEscaped)\"")
        }
        group = newGroup
    }

    private mutating func endGroup(_ s: X12SegmentView) {
        guard var group else {
            fail(.interchange(.invalidInterchangeContent), s.position, "GE without a GS")
            return
        }
        if group.openSet != nil { closeSetIfOpen(at: s.position); group = self.group! }
        let ge01 = s.elementNumber(1)
        if ge01 != UInt64(group.setCount) {
            fail(.group(.transactionSetCountMismatch), s.position.at(element: 1),
                 "GE01 must equal the number of transaction sets in the group: GE01 is \"\(s.elementString(1).debugEscaped)\", the group has \(group.setCount)")
        }
        if let gs06 = group.controlNumber, s.elementNumber(2) != gs06 {
            fail(.group(.controlNumberMismatch), s.position.at(element: 2),
                 "GE02 must equal GS06: GE02 is \"\(s.elementString(2).debugEscaped)\", GS06 is \(gs06)")
        }
        self.group = nil
    }

    private mutating func beginSet(_ s: X12SegmentView) {
        guard group != nil else {
            fail(.interchange(.invalidInterchangeContent), s.position, "ST outside a functional group")
            return
        }
        closeSetIfOpen(at: s.position)
        group!.setCount += 1
        let st01 = s.element(1)
        if st01.count != 3 || decimalValue(st01) == nil {
            fail(.transactionSet(.invalidSetIdentifier), s.position.at(element: 1),
                 "ST01 must be a 3-digit transaction set identifier; found \"\(s.elementString(1).debugEscaped)\"")
        }
        // Packing succeeds exactly when ST02 has its syntax (4–9 letters or digits).
        let st02 = X12PackedControlNumber(s.element(2))
        if let st02 {
            if !setControlNumbers.insert(st02) {
                fail(.transactionSet(.controlNumberNotUnique), s.position.at(element: 2),
                     "ST02 \(s.elementString(2)) is used by an earlier set of this group")
            }
        } else {
            fail(.transactionSet(.invalidControlNumber), s.position.at(element: 2),
                 "ST02 must be 4–9 letters or digits; found \"\(s.elementString(2).debugEscaped)\"")
        }
        group!.openSet = OpenSet(packed: st02, position: s.position)
        unpackedST02 = st02 == nil ? s.elementBytes(2) : []
        setOpen = true
    }

    private mutating func endSet(_ s: X12SegmentView) {
        guard let set = group?.openSet else {
            fail(.interchange(.invalidInterchangeContent), s.position, "SE without an ST")
            return
        }
        let counted = s.position.segmentInSet ?? 0
        if s.elementNumber(1) != UInt64(counted) {
            fail(.transactionSet(.segmentCountMismatch), s.position.at(element: 1),
                 "SE01 must equal the number of segments from ST to SE inclusive: SE01 is \"\(s.elementString(1).debugEscaped)\", counted \(counted)")
        }
        let se02 = s.element(2)
        // Packed values are equal exactly when the bytes are; an SE02 that does not pack
        // cannot equal a well-formed ST02.
        let same = if let st02 = set.packed { X12PackedControlNumber(se02) == st02 } else { se02.elementsEqual(unpackedST02) }
        if !same {
            fail(.transactionSet(.controlNumberMismatch), s.position.at(element: 2),
                 "SE02 must equal ST02: SE02 is \"\(s.elementString(2).debugEscaped)\", ST02 is \"\(String(decoding: controlNumber(set), as: UTF8.self).debugEscaped)\"")
        }
        transactionSetCount += 1
        group!.openSet = nil
        setOpen = false
    }

    /// The open set's ST02 as sent.
    private func controlNumber(_ set: OpenSet) -> [UInt8] { set.packed?.bytes ?? unpackedST02 }

    private mutating func closeSetIfOpen(at position: X12Position) {
        guard let set = group?.openSet else { return }
        fail(.transactionSet(.trailerMissing), set.position, "transaction set \(String(decoding: controlNumber(set), as: UTF8.self).debugEscaped) has no SE before \(position.segmentID.map(String.init(describing:)) ?? "the next segment")")
        group!.openSet = nil
        setOpen = false
    }

    private mutating func endInterchange(_ s: X12SegmentView) {
        if let group {
            closeSetIfOpen(at: s.position)
            fail(.group(.groupTrailerMissing), group.position, "group \(group.position.group ?? 0) has no GE before IEA")
        }
        let groups = current!.groupCount
        if s.elementNumber(1) != UInt64(groups) {
            fail(.interchange(.invalidNumberOfGroups), s.position.at(element: 1),
                 "IEA01 must equal the number of functional groups: IEA01 is \"\(s.elementString(1).debugEscaped)\", the interchange has \(groups)")
        }
        let isa13 = current!.header.controlNumber
        let iea02 = s.element(2)
        let sameNumber = iea02.elementsEqual(isa13)
            || (decimalValue(iea02) != nil && decimalValue(iea02) == isa13.withUnsafeBytes { decimalValue($0) })
        if !sameNumber {
            fail(.interchange(.controlNumberMismatch), s.position.at(element: 2),
                 "IEA02 must equal ISA13: IEA02 is \"\(s.elementString(2).debugEscaped)\", ISA13 is \"\(current!.header.string(13).debugEscaped)\"")
        }
        completedInterchangeCount += 1
        current = nil
        group = nil
        setOpen = false
    }
}
