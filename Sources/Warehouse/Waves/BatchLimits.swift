/// What one tour (one cart) may carry.
///
/// An order that alone exceeds a limit is still picked, in a tour of its own.
public struct BatchLimits: Sendable, Equatable {
    /// Orders per tour (totes on the cart).
    public var maxOrders: Int
    /// Units per tour.
    public var maxUnits: Int
    /// Distinct positions per tour, or no limit.
    public var maxStops: Int?

    public init(maxOrders: Int, maxUnits: Int, maxStops: Int? = nil) {
        self.maxOrders = maxOrders
        self.maxUnits = maxUnits
        self.maxStops = maxStops
    }
}
