/// One order's pick positions and units, as the batcher sees it.
public struct PickOrderLines: Sendable {
    public var positions: [PickPosition]
    public var units: Int
    public init(positions: [PickPosition], units: Int) {
        self.positions = positions
        self.units = units
    }
}

/// What one tour may carry.
public struct BatchLimits: Sendable, Equatable {
    public var maxOrders: Int
    public var maxUnits: Int
    /// Distinct positions per tour (a pick cart's practical limit, and what keeps every tour
    /// within `TourRouter.exactLimit`, so routed optimally).
    public var maxStops: Int
    public init(maxOrders: Int, maxUnits: Int, maxStops: Int = 12) {
        self.maxOrders = maxOrders
        self.maxUnits = maxUnits
        self.maxStops = maxStops
    }
}

/// A tour: the orders it picks and its stops in visiting order (depot excluded).
public struct PickTour: Sendable, Equatable {
    public var orderIndexes: [Int]
    public var stops: [PickPosition]
    public var distance: Double
}

/// The wave optimizer: batches orders into tours and routes them.
public enum TourPlanner {
    public static func route(_ positions: Set<PickPosition>, in layout: SingleBlockLayout, using routing: TourRouting) -> (stops: [PickPosition], distance: Double) {
        TourRouter.route(positions, in: layout, using: routing)
    }

    /// One tour per order ("discrete order picking", the baseline).
    public static func discrete(_ orders: [PickOrderLines], in layout: SingleBlockLayout, using routing: TourRouting) -> [PickTour] {
        route(batches: orders.indices.map { [$0] }, of: orders, in: layout, using: routing)
    }

    /// Routes given batches of order indexes.
    public static func route(batches: [[Int]], of orders: [PickOrderLines], in layout: SingleBlockLayout, using routing: TourRouting) -> [PickTour] {
        batches.map { batch in
            let r = TourRouter.route(Set(batch.flatMap { orders[$0].positions }), in: layout, using: routing)
            return PickTour(orderIndexes: batch, stops: r.stops, distance: r.distance)
        }
    }

    /// Batches by the seed algorithm of de Koster, van der Poort and Wolters (1999): the seed is
    /// the unbatched order whose own tour is longest; then the order that adds the least travel
    /// (S-shape length, cheap to evaluate) joins while the limits allow. Then one pass moves single
    /// orders between tours where the optimal routes get shorter, and every tour is routed optimally.
    /// Deterministic: ties go to the lower order index.
    public static func optimize(_ orders: [PickOrderLines], in layout: SingleBlockLayout, limits: BatchLimits) -> [PickTour] {
        let sets = orders.map { Set($0.positions) }
        let alone = sets.map { TourRouter.route($0, in: layout, using: .sShape).distance }
        var unbatched = Set(orders.indices)
        var batches: [[Int]] = []
        while let seed = unbatched.max(by: { alone[$0] != alone[$1] ? alone[$0] < alone[$1] : $0 > $1 }) {
            unbatched.remove(seed)
            var batch = [seed], positions = sets[seed], units = orders[seed].units
            var length = alone[seed]
            while batch.count < limits.maxOrders {
                var best: (index: Int, added: Double, positions: Set<PickPosition>)?
                for o in unbatched.sorted() where units + orders[o].units <= limits.maxUnits {
                    let merged = positions.union(sets[o])
                    guard merged.count <= limits.maxStops else { continue }
                    let added = TourRouter.route(merged, in: layout, using: .sShape).distance - length
                    if best == nil || added < best!.added { best = (o, added, merged) }
                }
                guard let chosen = best else { break }
                batch.append(chosen.index)
                unbatched.remove(chosen.index)
                positions = chosen.positions
                units += orders[chosen.index].units
                length += chosen.added
            }
            batches.append(batch)
        }
        batches = improve(batches, orders, sets, layout, limits)
        return route(batches: batches, of: orders, in: layout, using: .optimal)
    }

    /// Moves single orders to another tour when the two optimal routes get shorter together.
    static func improve(_ start: [[Int]], _ orders: [PickOrderLines], _ sets: [Set<PickPosition>], _ layout: SingleBlockLayout, _ limits: BatchLimits) -> [[Int]] {
        var batches = start
        func positions(_ b: [Int]) -> Set<PickPosition> { b.reduce(into: Set()) { $0.formUnion(sets[$1]) } }
        func cost(_ b: [Int]) -> Double { b.isEmpty ? 0 : TourRouter.route(positions(b), in: layout, using: .optimal).distance }
        var costs = batches.map(cost)
        for a in batches.indices {
            var i = 0
            while i < batches[a].count {
                let o = batches[a][i]
                var moved = false
                for b in batches.indices where b != a && !batches[b].isEmpty {
                    let target = batches[b] + [o]
                    guard target.count <= limits.maxOrders, target.reduce(0, { $0 + orders[$1].units }) <= limits.maxUnits,
                          positions(target).count <= limits.maxStops else { continue }
                    // Only candidates that share an aisle with the target tour are worth routing.
                    let aisles = Set(positions(batches[b]).map(\.aisle))
                    guard sets[o].allSatisfy({ aisles.contains($0.aisle) }) else { continue }
                    var source = batches[a]
                    source.remove(at: i)
                    let before = costs[a] + costs[b]
                    let (ca, cb) = (cost(source), cost(target))
                    if ca + cb < before - 1e-9 {
                        batches[a] = source
                        batches[b] = target
                        costs[a] = ca
                        costs[b] = cb
                        moved = true
                        break
                    }
                }
                if !moved { i += 1 }
            }
        }
        return batches.filter { !$0.isEmpty }
    }
}
