/// A batch being formed: its orders and what the limits and the router need to know of it.
struct PickBatchDraft: Sendable {
    var members: [Int]
    var occupancy: TourAisleOccupancy
    var units: Int
    /// Optimal tour length over `occupancy` (m).
    var length: Double
}
