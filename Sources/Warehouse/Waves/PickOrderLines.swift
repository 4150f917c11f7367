/// One order as the batcher sees it: where its lines are picked and how many units they add to a cart.
public struct PickOrderLines: Sendable {
    /// Positions of the order's lines; repeats are visited once.
    public var positions: [PickPosition]
    /// Units the order puts on the cart (counted against `BatchLimits.maxUnits`).
    public var units: Int

    public init(positions: [PickPosition], units: Int) {
        self.positions = positions
        self.units = units
    }
}
