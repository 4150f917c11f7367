/// The wave optimizer: routes pick tours in a single-block warehouse and batches orders into them.
///
/// ```swift
/// let layout = SingleBlockLayout(aisles: 10, baysPerAisle: 40)
/// let tours = TourPlanner.optimize(orders, in: layout, limits: BatchLimits(maxOrders: 8, maxUnits: 40))
/// let baseline = TourPlanner.discrete(orders, in: layout, using: .sShape)
/// ```
///
/// Positions must lie in the layout (a precondition: the catalog validates them).
public enum TourPlanner {
    /// Most stops `exactRoute(_:in:)` takes.
    public static let exactRouteStopLimit = 15

    /// Length and sequence of the tour visiting `positions` from the depot and back to it.
    public static func route(_ positions: Set<PickPosition>, in layout: SingleBlockLayout, using routing: TourRouting) -> (stops: [PickPosition], distance: Double) {
        route(TourAisleOccupancy(positions, in: layout), in: layout, using: routing)
    }

    /// One tour per order (the baseline, "discrete order picking").
    public static func discrete(_ orders: [PickOrderLines], in layout: SingleBlockLayout, using routing: TourRouting) -> [PickTour] {
        route(batches: orders.indices.map { [$0] }, of: orders, in: layout, using: routing)
    }

    /// Batches orders into tours within `limits` for the least total travel and routes each tour
    /// optimally: savings batching priced by optimal tours, then a local search (`PickOrderBatcher`).
    ///
    /// Deterministic. An order that alone exceeds a limit, or has no positions, gets a tour of its own.
    /// Tours come ordered by their first order index.
    public static func optimize(_ orders: [PickOrderLines], in layout: SingleBlockLayout, limits: BatchLimits) -> [PickTour] {
        var batcher = PickOrderBatcher(orders, in: layout, limits: limits)
        return route(batches: batcher.batches(), of: orders, in: layout, using: .optimal)
    }

    /// Routes given batches (groups of indexes into `orders`) with `routing`, e.g. to compare the
    /// optimizer's batches routed S-shape and optimally.
    public static func route(batches: [[Int]], of orders: [PickOrderLines], in layout: SingleBlockLayout, using routing: TourRouting) -> [PickTour] {
        batches.map { batch in
            var occupancy = TourAisleOccupancy(aisles: layout.aisles, baysPerAisle: layout.baysPerAisle)
            for order in batch { occupancy.formUnion(TourAisleOccupancy(orders[order].positions, in: layout)) }
            let routed = route(occupancy, in: layout, using: routing)
            return PickTour(orderIndexes: batch, stops: routed.stops, distance: routed.distance)
        }
    }

    /// The exact tour by the Held–Karp programme over the layout's shortest-path distances, or nil
    /// beyond `exactRouteStopLimit` stops. Slow (exponential); a reference for `.optimal`, which is
    /// exact for this layout at any size.
    public static func exactRoute(_ positions: Set<PickPosition>, in layout: SingleBlockLayout) -> (stops: [PickPosition], distance: Double)? {
        guard positions.count <= exactRouteStopLimit else { return nil }
        for position in positions { precondition(layout.contains(position), "\(position) is outside the layout") }
        return HeldKarpTourRouter.route(positions.sorted(), in: layout)
    }

    /// Walking distance of visiting `stops` in the given order from the depot and back, each leg the
    /// shortest path (to check or price a sequence that came from elsewhere).
    public static func length(of stops: [PickPosition], in layout: SingleBlockLayout) -> Double {
        guard let first = stops.first, let last = stops.last else { return 0 }
        var total = layout.distanceFromDepot(first) + layout.distanceFromDepot(last)
        for i in stops.indices.dropFirst() { total += layout.distance(stops[i - 1], stops[i]) }
        return total
    }

    private static func route(_ occupancy: TourAisleOccupancy, in layout: SingleBlockLayout, using routing: TourRouting) -> (stops: [PickPosition], distance: Double) {
        switch routing {
        case .sShape: SShapeTourRouter.route(occupancy, in: layout)
        case .optimal: RatliffRosenthalTourRouter.route(occupancy, in: layout)
        }
    }
}
