/// Exact routing in a single-block warehouse: the dynamic programme of Ratliff & Rosenthal (1983),
/// "Order-picking in a rectangular warehouse: a solvable case of the traveling salesman problem",
/// Operations Research 31(3), 507–521.
///
/// The programme sweeps the columns left to right. In each it adds one of the six aisle covers
/// (`TourAisleCover`), then 0, 1 or 2 copies of each cross-aisle edge to the next column, keeping per
/// boundary state (`TourBoundaryState`) the shortest partial tour. A tour subgraph with even
/// degrees that is connected is walked as an Euler circuit (`TourEulerWalk`). Time is linear in the
/// number of aisles, which is what lets the batcher price every candidate batch exactly.
enum RatliffRosenthalTourRouter {
    /// The chosen subgraph: one cover per column and the cross-aisle edge copies between neighbours.
    struct Plan: Sendable {
        var columns: [TourColumn]
        var covers: [TourAisleCover]
        var links: [(front: Int, back: Int)]
        var distance: Double
    }

    static func distance(of occupancy: TourAisleOccupancy, in layout: SingleBlockLayout) -> Double {
        solve(TourColumn.span(of: occupancy, in: layout), aisleLength: layout.aisleLength, trace: false).distance
    }

    static func plan(for occupancy: TourAisleOccupancy, in layout: SingleBlockLayout) -> Plan {
        let columns = TourColumn.span(of: occupancy, in: layout)
        let solved = solve(columns, aisleLength: layout.aisleLength, trace: true)
        return Plan(columns: columns, covers: solved.covers, links: solved.links, distance: solved.distance)
    }

    /// Stops in visiting order and the tour's length.
    static func route(_ occupancy: TourAisleOccupancy, in layout: SingleBlockLayout) -> (stops: [PickPosition], distance: Double) {
        let plan = plan(for: occupancy, in: layout)
        return (TourEulerWalk.stops(of: plan, occupancy: occupancy, in: layout), plan.distance)
    }

    // Transitions depend on the state and the choice only, so they are tabulated once.
    private static let afterCover: [Int] = (0..<TourBoundaryState.count).flatMap { raw in
        TourAisleCover.allCases.map { TourBoundaryState(raw: raw).adding($0).raw }
    }
    private static let afterLink: [Int] = (0..<TourBoundaryState.count).flatMap { raw in
        (0..<9).map { TourBoundaryState(raw: raw).linking(front: $0 / 3, back: $0 % 3)?.raw ?? -1 }
    }
    private static let closes: [Bool] = (0..<TourBoundaryState.count).map { TourBoundaryState(raw: $0).isClosedTour }

    private static func solve(_ columns: [TourColumn], aisleLength: Double, trace: Bool) -> (distance: Double, covers: [TourAisleCover], links: [(front: Int, back: Int)]) {
        let states = TourBoundaryState.count
        let covers = TourAisleCover.allCases
        var entering = [Double](repeating: .infinity, count: states)
        var covered = [Double](repeating: .infinity, count: states)
        entering[TourBoundaryState.empty.raw] = 0
        // Back pointers, only when the subgraph itself is wanted: (previous state, choice) per state.
        var coverFrom = trace ? [Int](repeating: -1, count: columns.count * states) : []
        var linkFrom = trace ? [Int](repeating: -1, count: columns.count * states) : []
        var coverCosts = [Double?](repeating: nil, count: covers.count)
        var best = Double.infinity, bestState = -1

        for (k, column) in columns.enumerated() {
            for c in covers.indices { coverCosts[c] = covers[c].cost(column, aisleLength: aisleLength) }
            for s in 0..<states { covered[s] = .infinity }
            for s in 0..<states where entering[s] < .infinity {
                for c in covers.indices {
                    guard let cost = coverCosts[c] else { continue }
                    let t = afterCover[s * covers.count + c]
                    let length = entering[s] + cost
                    if length < covered[t] {
                        covered[t] = length
                        if trace { coverFrom[k * states + t] = s * covers.count + c }
                    }
                }
            }
            if k == columns.count - 1 {
                for s in 0..<states where closes[s] && covered[s] < best { best = covered[s]; bestState = s }
                break
            }
            let width = columns[k + 1].x - column.x
            for s in 0..<states { entering[s] = .infinity }
            for s in 0..<states where covered[s] < .infinity {
                for link in 0..<9 {
                    let t = afterLink[s * 9 + link]
                    guard t >= 0 else { continue }
                    let length = covered[s] + Double(link / 3 + link % 3) * width
                    if length < entering[t] {
                        entering[t] = length
                        if trace { linkFrom[(k + 1) * states + t] = s * 9 + link }
                    }
                }
            }
        }
        precondition(bestState >= 0, "no closed tour: the column span always has one")
        guard trace else { return (best, [], []) }

        var chosenCovers = [TourAisleCover](repeating: .none, count: columns.count)
        var chosenLinks = [(front: Int, back: Int)](repeating: (0, 0), count: max(0, columns.count - 1))
        var state = bestState
        for k in stride(from: columns.count - 1, through: 0, by: -1) {
            let viaCover = coverFrom[k * states + state]
            chosenCovers[k] = covers[viaCover % covers.count]
            state = viaCover / covers.count
            if k > 0 {
                let viaLink = linkFrom[k * states + state]
                chosenLinks[k - 1] = (viaLink % 9 / 3, viaLink % 3)
                state = viaLink / 9
            }
        }
        return (best, chosenCovers, chosenLinks)
    }
}
