/// What the dynamic programme remembers of a partial tour at a column's two ends (its vertex in the
/// front cross aisle and in the back one): whether each has edges, whether its degree is odd, and
/// whether the two are in one connected component.
///
/// This is Ratliff & Rosenthal's (1983) equivalence class of partial tour subgraphs, kept as bits;
/// classes that no tour can reach (an odd vertex alone in its component) never arise from the
/// transitions, so they need no special case. Every component of a partial tour touches one of the
/// two ends: one that does not is cut off from the columns still to come.
struct TourBoundaryState: Hashable, Sendable {
    static let count = 32
    static let empty = TourBoundaryState(raw: 0)

    private static let frontUsed = 1, frontOdd = 2, backUsed = 4, backOdd = 8, joined = 16

    var raw: Int

    var isFrontUsed: Bool { raw & Self.frontUsed != 0 }
    var isFrontOdd: Bool { raw & Self.frontOdd != 0 }
    var isBackUsed: Bool { raw & Self.backUsed != 0 }
    var isBackOdd: Bool { raw & Self.backOdd != 0 }
    var isJoined: Bool { raw & Self.joined != 0 }

    init(raw: Int) { self.raw = raw }

    init(frontUsed: Bool, frontOdd: Bool, backUsed: Bool, backOdd: Bool, joined: Bool) {
        var raw = 0
        if frontUsed { raw |= Self.frontUsed }
        if frontOdd { raw |= Self.frontOdd }
        if backUsed { raw |= Self.backUsed }
        if backOdd { raw |= Self.backOdd }
        if joined && frontUsed && backUsed { raw |= Self.joined }
        self.raw = raw
    }

    /// The state of a column's ends reached by `front` and `back` cross-aisle edges from the left.
    init(front: Int, back: Int, joined: Bool) {
        self.init(frontUsed: front > 0, frontOdd: front % 2 == 1, backUsed: back > 0, backOdd: back % 2 == 1, joined: joined)
    }

    /// The state after adding a cover's edges inside the column.
    func adding(_ cover: TourAisleCover) -> TourBoundaryState {
        let frontUsed = isFrontUsed || cover.frontDegree > 0
        let backUsed = isBackUsed || cover.backDegree > 0
        return TourBoundaryState(
            frontUsed: frontUsed, frontOdd: isFrontOdd != (cover.frontDegree % 2 == 1),
            backUsed: backUsed, backOdd: isBackOdd != (cover.backDegree % 2 == 1),
            joined: isJoined || cover.joinsEnds)
    }

    /// The next column's state after `front` and `back` copies (0, 1 or 2) of the cross-aisle edges
    /// to it, or nil if that leaves this column's ends with odd degree or cuts a component off.
    func linking(front: Int, back: Int) -> TourBoundaryState? {
        guard isFrontOdd == (front == 1), isBackOdd == (back == 1) else { return nil }
        switch (front > 0, back > 0) {
        case (true, true):
            return TourBoundaryState(front: front, back: back, joined: isJoined)
        case (true, false):
            guard !isBackUsed || (isFrontUsed && isJoined) else { return nil }
            return TourBoundaryState(front: front, back: 0, joined: false)
        case (false, true):
            guard !isFrontUsed || (isBackUsed && isJoined) else { return nil }
            return TourBoundaryState(front: 0, back: back, joined: false)
        case (false, false):
            return nil
        }
    }

    /// Whether a partial tour in this state is a whole tour: even degrees and one component.
    var isClosedTour: Bool {
        !isFrontOdd && !isBackOdd && (isFrontUsed || isBackUsed) && (!(isFrontUsed && isBackUsed) || isJoined)
    }
}
