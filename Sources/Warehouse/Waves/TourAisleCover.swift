/// How an optimal tour can use one aisle: Ratliff & Rosenthal (1983) show that some optimal tour
/// uses every aisle in one of these six ways, so their dynamic programme only tries these.
enum TourAisleCover: Int, CaseIterable, Sendable {
    /// Not entered (only when nothing is required there).
    case none
    /// Walked once end to end.
    case traverse
    /// Walked end to end twice (connects both cross aisles while evening their degrees).
    case doubleTraverse
    /// Entered from the front and left the same way after the farthest point.
    case fromFront
    /// Entered from the back and left the same way after the point nearest the front.
    case fromBack
    /// Entered from both ends, leaving the widest gap between consecutive points unwalked.
    case split

    /// Walking distance, or nil where the cover does not apply to the column.
    func cost(_ column: TourColumn, aisleLength: Double) -> Double? {
        switch self {
        case .none: column.pointCount == 0 ? 0 : nil
        case .traverse: column.isWalkable ? aisleLength : nil
        case .doubleTraverse: column.isWalkable ? 2 * aisleLength : nil
        case .fromFront: column.pointCount > 0 ? 2 * column.farthestY : nil
        case .fromBack: column.pointCount > 0 && column.isWalkable ? 2 * (aisleLength - column.nearestY) : nil
        case .split: column.pointCount > 1 && column.isWalkable ? 2 * (aisleLength - column.widestGap) : nil
        }
    }

    /// Edges the cover adds at the aisle's front end.
    var frontDegree: Int {
        switch self {
        case .none, .fromBack: 0
        case .traverse: 1
        case .doubleTraverse, .fromFront, .split: 2
        }
    }

    /// Edges the cover adds at the aisle's back end.
    var backDegree: Int {
        switch self {
        case .none, .fromFront: 0
        case .traverse: 1
        case .doubleTraverse, .fromBack, .split: 2
        }
    }

    /// Whether the cover alone connects the two ends.
    var joinsEnds: Bool { self == .traverse || self == .doubleTraverse }
}
