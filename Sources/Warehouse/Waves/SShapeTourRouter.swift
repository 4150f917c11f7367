/// The S-shape (traversal) heuristic (Hall 1993, "Distance approximations for routing manual pickers
/// in a warehouse", IIE Transactions 25(4); de Koster, Le-Duc & Roodbergen 2007).
///
/// Every aisle with a pick is walked end to end, alternately up and down, skipping empty aisles; when
/// their number is odd, the last one is entered from the front and left the same way after its
/// farthest pick, so the picker always finishes in the front cross aisle. With the depot anywhere in
/// the front cross aisle, the sweep starts from the end (leftmost or rightmost aisle with a pick)
/// nearer the depot, the left one on a tie, and works towards the other.
enum SShapeTourRouter {
    static func route(_ occupancy: TourAisleOccupancy, in layout: SingleBlockLayout) -> (stops: [PickPosition], distance: Double) {
        let aisles = (0..<layout.aisles).filter { !occupancy.isEmpty(aisle: $0) }
        guard !aisles.isEmpty else { return ([], 0) }
        let left = Double(aisles.first!) - layout.depotAisle, right = Double(aisles.last!) - layout.depotAisle
        return sweep(abs(right) < abs(left) ? aisles.reversed() : aisles, occupancy, layout)
    }

    private static func sweep(_ aisles: [Int], _ occupancy: TourAisleOccupancy, _ layout: SingleBlockLayout) -> (stops: [PickPosition], distance: Double) {
        let length = layout.aisleLength
        var x = layout.depotX, atFront = true, distance = 0.0
        var stops: [PickPosition] = []
        for (i, aisle) in aisles.enumerated() {
            let bays = occupancy.bays(inAisle: aisle).map { PickPosition(aisle: aisle, bay: $0) }
            let aisleX = Double(aisle) * layout.aisleSpacing
            distance += abs(aisleX - x)
            x = aisleX
            if i == aisles.count - 1 && aisles.count % 2 == 1 {
                // atFront holds here: an even number of traversals came before.
                distance += 2 * layout.y(bays.last!)
                stops += bays
            } else {
                distance += length
                stops += atFront ? bays : bays.reversed()
                atFront.toggle()
            }
        }
        distance += abs(x - layout.depotX)
        return (stops, distance)
    }
}
