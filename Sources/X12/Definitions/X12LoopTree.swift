/// A transaction set's segments placed in its definition's loops: what the loop JSON shows.
/// Built tolerantly by ``X12LoopMatcher``: a segment that fits nowhere goes to ``unparsed``.
struct X12LoopTree: Sendable, Hashable {
    /// One occurrence of a level (the set itself, or one loop instance): per child node of the
    /// level's definition, in definition order, what occurred there.
    struct Instance: Sendable, Hashable {
        var slots: [Slot]
    }

    enum Slot: Sendable, Hashable {
        /// Indexes into the set's segments.
        case segments([Int])
        case loops([Instance])
    }

    var root: Instance
    /// Indexes of the segments that fit nowhere, in input order.
    var unparsed: [Int]

    static func empty(_ nodes: [X12StructureNode]) -> Instance {
        Instance(slots: nodes.map { node in
            if case .loop = node { return .loops([]) }
            return .segments([])
        })
    }
}

extension X12LoopTree.Slot {
    var count: Int {
        switch self {
        case .segments(let s): s.count
        case .loops(let l): l.count
        }
    }
}
