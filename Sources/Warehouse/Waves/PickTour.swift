/// One picker's tour from the depot and back: the orders it picks and its stops in visiting order.
public struct PickTour: Sendable, Equatable {
    /// Indexes into the orders the tour was planned from, ascending.
    public var orderIndexes: [Int]
    /// The distinct positions in visiting order; the depot, where the tour starts and ends, is not listed.
    public var stops: [PickPosition]
    /// Walking distance of the whole tour, depot to depot (m).
    public var distance: Double

    public init(orderIndexes: [Int], stops: [PickPosition], distance: Double) {
        self.orderIndexes = orderIndexes
        self.stops = stops
        self.distance = distance
    }
}
