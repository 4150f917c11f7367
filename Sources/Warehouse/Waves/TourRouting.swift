/// How a tour's stops are sequenced.
public enum TourRouting: Sendable {
    /// The S-shape (traversal) heuristic: every aisle with a pick is walked end to end, alternately
    /// up and down, and the last one is entered and left from the front when their number is odd
    /// (Hall 1993; de Koster, Le-Duc & Roodbergen 2007, "Design and control of warehouse order
    /// picking: a literature review", EJOR 182(2)).
    case sShape
    /// Ratliff & Rosenthal's dynamic programme (1983, "Order-picking in a rectangular warehouse: a
    /// solvable case of the traveling salesman problem", Operations Research 31(3)): exact for a
    /// single block.
    case optimal
}
