/// Places a set's segments into its definition's loops, the way an X12 translator reads a
/// set: a segment is looked for from the current place onward in the current loop, then in
/// each enclosing loop outward (a loop's first segment there begins a new instance); what is
/// found nowhere ahead is reported and kept aside. The structural errors found on the way are
/// AK3 codes 2–7 (unexpected segment, mandatory segment missing, loop over maximum, segment
/// over maximum use, segment not in the set, out of sequence) and 1 for an id the segment
/// directory does not know.
struct X12LoopMatcher {
    let definition: X12TransactionSetDefinition
    let set: X12TransactionSet

    private struct Frame {
        var nodes: [X12StructureNode]
        var instance: X12LoopTree.Instance
        var cursor: Int
        /// The loop node this frame is an instance of (nil for the set itself).
        var loopKey: String?
    }

    private var stack: [Frame] = []
    private(set) var errors: [X12Error] = []
    private var unparsed: [Int] = []
    private let allIDs: Set<X12SegmentID>

    init(definition: X12TransactionSetDefinition, set: X12TransactionSet) {
        self.definition = definition
        self.set = set
        var ids = Set<X12SegmentID>()
        func collect(_ nodes: [X12StructureNode]) {
            for n in nodes {
                switch n {
                case .segment(let s): ids.insert(s.id)
                case .loop(let l): collect(l.children)
                }
            }
        }
        collect(definition.structure)
        allIDs = ids
    }

    /// The tree and the structural errors.
    mutating func run() -> X12LoopTree {
        stack = [Frame(nodes: definition.structure, instance: X12LoopTree.empty(definition.structure), cursor: 0, loopKey: nil)]
        for (index, segment) in set.segments.enumerated() { place(segment.id, index) }
        while stack.count > 1 { close(at: max(set.segments.count - 1, 0)) }
        checkMandatory(stack[0], in: stack[0].cursor + 1..<stack[0].nodes.count, at: max(set.segments.count - 1, 0))
        return X12LoopTree(root: stack[0].instance, unparsed: unparsed)
    }

    private var name: String { "\(definition.identifier) \(definition.version)" }

    private mutating func place(_ id: X12SegmentID, _ index: Int) {
        // Found first, acted on after: no copy of a frame may be alive while slots grow, or
        // every append would copy the slot's array.
        var match: (depth: Int, k: Int)?
        search: for depth in stride(from: stack.count - 1, through: 0, by: -1) {
            let start = stack[depth].loopKey == nil ? stack[depth].cursor : max(stack[depth].cursor, 1)
            for k in start..<stack[depth].nodes.count where stack[depth].nodes[k].leadingID == id {
                match = (depth, k)
                break search
            }
        }
        if let match {
            while stack.count > match.depth + 1 { close(at: index) }
            take(match.k, index)
            return
        }
        let d = stack.count - 1
        let cursor = stack[d].cursor
        if let k = stack[d].nodes.indices.first(where: { $0 < cursor && stack[d].nodes[$0].leadingID == id }),
           case .segment = stack[d].nodes[k]
        {
            fail(.segmentOutOfSequence, index, "\(id) is out of sequence in \(name): it belongs before \(stack[d].nodes[cursor].key)")
            append(index, toSlot: k, depth: stack.count - 1)
            return
        }
        unparsed.append(index)
        if allIDs.contains(id) {
            fail(.unexpectedSegment, index, "\(id) is in \(name) but not at this place (after \(set.segments[max(index - 1, 0)].id))")
        } else if X12Definitions.isKnownSegment(id, version: definition.version) {
            fail(.segmentNotInSet, index, "\(id) is not a segment of \(name)")
        } else {
            fail(.unrecognizedSegmentID, index, "\(id) is not a segment this gateway's \(definition.version) directory defines")
        }
    }

    private mutating func take(_ k: Int, _ index: Int) {
        let d = stack.count - 1
        let node = stack[d].nodes[k]
        let used = stack[d].instance.slots[k].count
        // Mandatory nodes passed over are missing: reported here, where their absence shows.
        if k > stack[d].cursor + 1 { checkMandatory(stack[d], in: stack[d].cursor + 1..<k, at: index) }
        stack[d].cursor = k
        switch node {
        case .segment(let use):
            if used >= use.maxUse {
                fail(.segmentOverMaximumUse, index, "\(use.id) may occur at most \(use.maxUse) time\(use.maxUse == 1 ? "" : "s") here in \(name)")
            }
            append(index, toSlot: k, depth: d)
        case .loop(let loop):
            if used >= loop.maxUse {
                fail(.loopOverMaximum, index, "\(loop.key) may occur at most \(loop.maxUse) time\(loop.maxUse == 1 ? "" : "s") in \(name)")
            }
            var instance = X12LoopTree.empty(loop.children)
            instance.slots[0] = .segments([index])
            stack.append(Frame(nodes: loop.children, instance: instance, cursor: 0, loopKey: loop.key))
        }
    }

    private mutating func append(_ index: Int, toSlot k: Int, depth: Int) {
        guard case .segments(var list) = stack[depth].instance.slots[k] else { return }
        stack[depth].instance.slots[k] = .segments([])  // `list` is now the only reference: appending does not copy
        list.append(index)
        stack[depth].instance.slots[k] = .segments(list)
    }

    /// Ends the innermost loop instance, checking its mandatory contents, and files it.
    private mutating func close(at index: Int) {
        let frame = stack.removeLast()
        checkMandatory(frame, in: frame.cursor + 1..<frame.nodes.count, at: index)
        let d = stack.count - 1
        let k = stack[d].cursor
        guard case .loops(var list) = stack[d].instance.slots[k] else { return }
        stack[d].instance.slots[k] = .loops([])  // as in append(_:toSlot:depth:)
        list.append(frame.instance)
        stack[d].instance.slots[k] = .loops(list)
    }

    private mutating func checkMandatory(_ frame: Frame, in range: Range<Int>, at index: Int) {
        for k in range where frame.nodes[k].requirement == .mandatory && frame.instance.slots[k].count == 0 {
            let node = frame.nodes[k]
            let id = node.leadingID
            if frame.loopKey == nil, id == .ST || id == .SE { continue }  // the envelope's to report
            let place = frame.loopKey.map { "in each \($0) of \(name)" } ?? "in \(name)"
            let what = if case .loop = node { "\(node.key) (beginning with \(id))" } else { describe(id) }
            var position = self.position(of: index)
            position.segmentID = id
            errors.append(X12Error(.segment(.mandatorySegmentMissing), at: position, "\(what) is mandatory \(place)"))
        }
    }

    private func describe(_ id: X12SegmentID) -> String {
        definition.segments[id].map { "\(id) (\($0.name))" } ?? "\(id)"
    }

    private mutating func fail(_ code: AK3SegmentErrorCode, _ index: Int, _ rule: String) {
        errors.append(X12Error(.segment(code), at: position(of: index), rule))
    }

    private lazy var positions = X12SetPositions(set)

    mutating func position(of index: Int) -> X12Position { positions[index] }
}

/// The positions of a set's segments, computed in one pass (``X12TransactionSet/position(ofSegment:)``
/// for each would be quadratic in the set's length).
struct X12SetPositions {
    private let set: X12TransactionSet
    private var offsets: [Int] = []

    init(_ set: X12TransactionSet) {
        self.set = set
        var offset = set.position.byteOffset
        offsets.reserveCapacity(set.segments.count)
        for s in set.segments {
            offsets.append(offset)
            offset += s.bytes.count + 1
        }
    }

    subscript(index: Int) -> X12Position {
        var p = set.position
        p.byteOffset = index < offsets.count ? offsets[index] : (offsets.last ?? p.byteOffset)
        p.segmentInSet = index + 1
        p.segmentInInterchange = set.position.segmentInInterchange + index
        p.segmentID = index < set.segments.count ? set.segments[index].id : nil
        p.element = nil
        p.repetition = nil
        p.component = nil
        return p
    }
}

extension X12TransactionSet {
    /// Where segment `index` (0-based; ST is 0) of this set is: the set's own position with the
    /// segment's place in the set (ST = 1) and in the interchange.
    ///
    /// The byte offset is the ST's plus the lengths of the segments before, each with a one-byte
    /// terminator: exact for input without line breaks after terminators, an estimate (too
    /// small by the line breaks) otherwise; the segment positions are exact.
    /// (Linear in `index`; the validator computes all positions in one pass.)
    public func position(ofSegment index: Int) -> X12Position { X12SetPositions(self)[index] }
}
