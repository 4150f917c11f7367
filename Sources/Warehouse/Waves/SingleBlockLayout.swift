/// One pick position in a single-block warehouse: aisle 0..<aisles (left to right), bay
/// 0..<baysPerAisle (front to back).
public struct PickPosition: Hashable, Sendable, Comparable {
    public var aisle: Int
    public var bay: Int
    public init(aisle: Int, bay: Int) {
        self.aisle = aisle
        self.bay = bay
    }
    public static func < (a: PickPosition, b: PickPosition) -> Bool { (a.aisle, a.bay) < (b.aisle, b.bay) }
}

/// A single-block, parallel-aisle warehouse with a front and a back cross aisle and the depot in
/// the front cross aisle: the layout of Ratliff and Rosenthal (1983) and of the routing
/// literature since (de Koster, Le-Duc and Roodbergen 2007). A picker walks the centre lines.
public struct SingleBlockLayout: Sendable, Equatable {
    public var aisles: Int
    public var baysPerAisle: Int
    /// Centre-to-centre distance between adjacent aisles (m).
    public var aisleSpacing: Double
    /// Length of one bay along an aisle (m).
    public var bayLength: Double
    /// From a cross aisle's centre line to the nearest bay's centre (m).
    public var crossAisleDepth: Double
    /// Where the depot is along the front cross aisle, in aisle units (0: in front of aisle 0).
    public var depotAisle: Double

    public init(aisles: Int, baysPerAisle: Int, aisleSpacing: Double = 3, bayLength: Double = 1.5, crossAisleDepth: Double = 1.5, depotAisle: Double = 0) {
        self.aisles = aisles
        self.baysPerAisle = baysPerAisle
        self.aisleSpacing = aisleSpacing
        self.bayLength = bayLength
        self.crossAisleDepth = crossAisleDepth
        self.depotAisle = depotAisle
    }

    /// Front cross aisle to back cross aisle.
    public var aisleLength: Double { 2 * crossAisleDepth + Double(max(0, baysPerAisle - 1)) * bayLength }

    func x(_ p: PickPosition) -> Double { Double(p.aisle) * aisleSpacing }
    func y(_ p: PickPosition) -> Double { crossAisleDepth + Double(p.bay) * bayLength }
    var depotX: Double { depotAisle * aisleSpacing }

    /// The shortest walk between two positions: along the aisle when they share one, otherwise
    /// out through the front or the back cross aisle, whichever is shorter.
    public func distance(_ a: PickPosition, _ b: PickPosition) -> Double {
        if a.aisle == b.aisle { return abs(y(a) - y(b)) }
        let ya = y(a), yb = y(b)
        return abs(x(a) - x(b)) + min(ya + yb, 2 * aisleLength - ya - yb)
    }

    /// The shortest walk between the depot and a position.
    public func distanceFromDepot(_ p: PickPosition) -> Double { abs(depotX - x(p)) + y(p) }
}
