/// Geometry of a single-block, parallel-aisle warehouse with a front and a back cross aisle and the
/// depot in the front cross aisle (the setting of Ratliff & Rosenthal 1983).
///
/// Pickers walk centre lines only: along an aisle, or along a cross aisle between aisles. In metres,
/// aisle `a` lies at `x = a * aisleSpacing`; a position's coordinate along its aisle, measured from
/// the front cross aisle's centre line, is `crossAisleDepth + bay * bayLength`; the back cross aisle
/// is `aisleLength` from the front one.
///
/// ```swift
/// let layout = SingleBlockLayout(aisles: 10, baysPerAisle: 40, depotAisle: 4.5)
/// layout.distance(PickPosition(aisle: 0, bay: 3), PickPosition(aisle: 2, bay: 5))
/// ```
public struct SingleBlockLayout: Sendable, Equatable {
    public var aisles: Int
    public var baysPerAisle: Int
    /// Centre-to-centre distance between adjacent aisles (m).
    public var aisleSpacing: Double
    /// Length of one bay along an aisle (m).
    public var bayLength: Double
    /// Distance from the front (back) cross aisle's centre line to the first (last) bay's centre (m).
    public var crossAisleDepth: Double
    /// The depot's x in aisle-index units: 0 is in front of aisle 0, 4.5 between aisles 4 and 5.
    public var depotAisle: Double

    public init(aisles: Int, baysPerAisle: Int, aisleSpacing: Double = 3, bayLength: Double = 1.5, crossAisleDepth: Double = 1.5, depotAisle: Double = 0) {
        self.aisles = aisles
        self.baysPerAisle = baysPerAisle
        self.aisleSpacing = aisleSpacing
        self.bayLength = bayLength
        self.crossAisleDepth = crossAisleDepth
        self.depotAisle = depotAisle
    }

    /// Length of an aisle from the front cross aisle's centre line to the back one's (m).
    public var aisleLength: Double { 2 * crossAisleDepth + Double(max(0, baysPerAisle - 1)) * bayLength }

    /// The depot's x (m).
    public var depotX: Double { depotAisle * aisleSpacing }

    /// A position's x (m): its aisle's centre line.
    public func x(_ position: PickPosition) -> Double { Double(position.aisle) * aisleSpacing }

    /// A position's distance along its aisle from the front cross aisle's centre line (m).
    public func y(_ position: PickPosition) -> Double { crossAisleDepth + Double(position.bay) * bayLength }

    /// Whether the position is one of this layout's.
    public func contains(_ position: PickPosition) -> Bool {
        (0..<aisles).contains(position.aisle) && (0..<baysPerAisle).contains(position.bay)
    }

    /// Shortest walk between two positions: along the aisle if they share one, else out of one aisle
    /// through whichever cross aisle is shorter for the pair and into the other.
    public func distance(_ a: PickPosition, _ b: PickPosition) -> Double {
        if a.aisle == b.aisle { return abs(y(a) - y(b)) }
        let ya = y(a), yb = y(b)
        return abs(x(a) - x(b)) + min(ya + yb, 2 * aisleLength - ya - yb)
    }

    /// Shortest walk from the depot (in the front cross aisle) to a position.
    public func distanceFromDepot(_ position: PickPosition) -> Double {
        abs(depotX - x(position)) + y(position)
    }
}
