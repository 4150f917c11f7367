/// One pick position in a single-block warehouse: aisle index `0..<aisles` (left to right), bay index
/// `0..<baysPerAisle` (front to back).
///
/// Positions order by aisle, then bay, which is also the order an aisle-by-aisle listing reads in.
public struct PickPosition: Hashable, Sendable, Comparable {
    public var aisle: Int
    public var bay: Int

    public init(aisle: Int, bay: Int) {
        self.aisle = aisle
        self.bay = bay
    }

    public static func < (lhs: PickPosition, rhs: PickPosition) -> Bool {
        (lhs.aisle, lhs.bay) < (rhs.aisle, rhs.bay)
    }
}
