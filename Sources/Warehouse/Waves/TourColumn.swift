/// One vertical line of the routing graph: an aisle, or the depot's spot in the front cross aisle
/// when the depot is not in front of an aisle, with what the tour must visit on it.
///
/// Only what the Ratliff–Rosenthal aisle covers cost is kept: the nearest and farthest required
/// point from the front and the widest gap between consecutive ones. The depot counts as a required
/// point at the front (`y = 0`), which makes "the tour passes the depot" one more pick.
struct TourColumn: Sendable {
    /// The aisle, or nil for the depot's own column between (or beside) aisles, which has no aisle to walk.
    var aisle: Int?
    /// x of the centre line (m).
    var x: Double
    var holdsDepot: Bool
    /// Required points, the depot included.
    var pointCount: Int
    var nearestY: Double
    var farthestY: Double
    /// Widest distance between consecutive required points (0 with fewer than two).
    var widestGap: Double

    var isWalkable: Bool { aisle != nil }

    /// The columns from the leftmost to the rightmost one with a required point, left to right.
    ///
    /// Columns outside that span never help: a tour that goes beyond them can be shortened by
    /// staying within them.
    static func span(of occupancy: TourAisleOccupancy, in layout: SingleBlockLayout) -> [TourColumn] {
        let depotAisle = layout.depotAisle
        // Truncation after the range check rather than `rounded()`, which would need libm.
        let inRange = depotAisle >= 0 && depotAisle < Double(layout.aisles)
        let depotAisleIndex = inRange && Double(Int(depotAisle)) == depotAisle ? Int(depotAisle) : nil
        let depotOnAisle = depotAisleIndex != nil
        var columns: [TourColumn] = []
        columns.reserveCapacity(layout.aisles + 1)
        var depotPlaced = depotOnAisle
        for aisle in 0..<layout.aisles {
            let x = Double(aisle) * layout.aisleSpacing
            if !depotPlaced && depotAisle < Double(aisle) {
                columns.append(depotColumn(in: layout))
                depotPlaced = true
            }
            columns.append(aisleColumn(aisle, x: x, holdsDepot: depotAisleIndex == aisle, occupancy, layout))
        }
        if !depotPlaced { columns.append(depotColumn(in: layout)) }
        // The depot is always required, so both ends exist.
        let first = columns.firstIndex { $0.pointCount > 0 }!
        let last = columns.lastIndex { $0.pointCount > 0 }!
        return Array(columns[first...last])
    }

    private static func depotColumn(in layout: SingleBlockLayout) -> TourColumn {
        TourColumn(aisle: nil, x: layout.depotX, holdsDepot: true, pointCount: 1, nearestY: 0, farthestY: 0, widestGap: 0)
    }

    private static func aisleColumn(_ aisle: Int, x: Double, holdsDepot: Bool, _ occupancy: TourAisleOccupancy, _ layout: SingleBlockLayout) -> TourColumn {
        var column = TourColumn(aisle: aisle, x: x, holdsDepot: holdsDepot, pointCount: 0, nearestY: 0, farthestY: 0, widestGap: 0)
        var previous: Double? = holdsDepot ? 0 : nil
        if holdsDepot { column.pointCount = 1 }
        occupancy.forEachBay(inAisle: aisle) { bay in
            let y = layout.crossAisleDepth + Double(bay) * layout.bayLength
            if let previous {
                column.widestGap = max(column.widestGap, y - previous)
            } else {
                column.nearestY = y
            }
            previous = y
            column.pointCount += 1
        }
        column.farthestY = previous ?? 0
        return column
    }
}
