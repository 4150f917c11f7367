/// How a tour's stops are sequenced.
public enum TourRouting: Sendable {
    /// Hall's (1993) S-shape (traversal) heuristic: every aisle with a pick is walked end to end,
    /// left to right, except an odd last aisle, which is entered and left from the front.
    case sShape
    /// The shortest tour: exact (Held and Karp's 1962 dynamic programme over the stops, on the
    /// layout's shortest-path metric) up to `TourRouter.exactLimit` stops; beyond that the
    /// S-shape sequence improved by 2-opt, which is not guaranteed optimal.
    case optimal
}

/// Routes one tour from the depot through a set of positions and back.
public enum TourRouter {
    /// The most stops routed exactly (2^n·n² steps: 15 stops are ~7 M, about 20 ms optimized).
    public static let exactLimit = 15

    public static func route(_ positions: Set<PickPosition>, in layout: SingleBlockLayout, using routing: TourRouting) -> (stops: [PickPosition], distance: Double) {
        if positions.isEmpty { return ([], 0) }
        switch routing {
        case .sShape: return sShape(positions, layout)
        case .optimal:
            if positions.count <= exactLimit { return heldKarp(Array(positions).sorted(), layout) }
            return twoOpt(sShape(positions, layout).stops, layout)
        }
    }

    /// The length of visiting `stops` in this order, depot to depot, on shortest paths.
    public static func length(_ stops: [PickPosition], _ layout: SingleBlockLayout) -> Double {
        guard let first = stops.first, let last = stops.last else { return 0 }
        var total = layout.distanceFromDepot(first) + layout.distanceFromDepot(last)
        for i in 1..<stops.count { total += layout.distance(stops[i - 1], stops[i]) }
        return total
    }

    static func sShape(_ positions: Set<PickPosition>, _ layout: SingleBlockLayout) -> (stops: [PickPosition], distance: Double) {
        let byAisle = Dictionary(grouping: positions, by: \.aisle)
        let aisles = byAisle.keys.sorted()
        var stops: [PickPosition] = []
        for (i, aisle) in aisles.enumerated() {
            let inAisle = byAisle[aisle]!.sorted { $0.bay < $1.bay }
            // Up the odd-numbered aisles (1st, 3rd …), down the even ones; an odd last aisle is
            // walked up to its farthest pick and back, so it is also sorted upwards.
            stops += i % 2 == 0 ? inAisle : inAisle.reversed()
        }
        let x1 = Double(aisles.first!) * layout.aisleSpacing, xk = Double(aisles.last!) * layout.aisleSpacing
        let horizontal = abs(layout.depotX - x1) + (xk - x1) + abs(xk - layout.depotX)
        let k = aisles.count
        var vertical = Double(k - k % 2) * layout.aisleLength
        if k % 2 == 1 { vertical += 2 * layout.y(byAisle[aisles.last!]!.max { $0.bay < $1.bay }!) }
        return (stops, horizontal + vertical)
    }

    static func heldKarp(_ p: [PickPosition], _ layout: SingleBlockLayout) -> (stops: [PickPosition], distance: Double) {
        let n = p.count
        if n == 1 { return (p, 2 * layout.distanceFromDepot(p[0])) }
        var d = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { d[i * n + j] = layout.distance(p[i], p[j]) } }
        let full = 1 << n
        var cost = [Double](repeating: .infinity, count: full * n)
        var parent = [Int8](repeating: -1, count: full * n)
        for j in 0..<n { cost[(1 << j) * n + j] = layout.distanceFromDepot(p[j]) }
        for mask in 1..<full {
            for j in 0..<n where mask & (1 << j) != 0 {
                let c = cost[mask * n + j]
                if c == .infinity { continue }
                var rest = (full - 1) & ~mask
                while rest != 0 {
                    let k = rest.trailingZeroBitCount
                    rest &= rest - 1
                    let next = (mask | (1 << k)) * n + k
                    let candidate = c + d[j * n + k]
                    if candidate < cost[next] {
                        cost[next] = candidate
                        parent[next] = Int8(j)
                    }
                }
            }
        }
        var best = Double.infinity, end = 0
        for j in 0..<n {
            let c = cost[(full - 1) * n + j] + layout.distanceFromDepot(p[j])
            if c < best { best = c; end = j }
        }
        var order: [PickPosition] = []
        var mask = full - 1, j = end
        while j >= 0 {
            order.append(p[j])
            let prev = Int(parent[mask * n + j])
            mask &= ~(1 << j)
            j = prev
        }
        return (order.reversed(), best)
    }

    static func twoOpt(_ start: [PickPosition], _ layout: SingleBlockLayout) -> (stops: [PickPosition], distance: Double) {
        var stops = start
        var best = length(stops, layout)
        var improved = true
        while improved {
            improved = false
            for i in 0..<(stops.count - 1) {
                for j in (i + 1)..<stops.count {
                    var candidate = stops
                    candidate[i...j].reverse()
                    let l = length(candidate, layout)
                    if l < best - 1e-9 { stops = candidate; best = l; improved = true }
                }
            }
        }
        return (stops, best)
    }
}
