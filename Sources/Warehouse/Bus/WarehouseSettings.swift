/// How this warehouse works: what the configuration's `warehouse:` section sets.
public struct WarehouseSettings: Sendable, Equatable {
    /// Builds the SSCC-18 of cartons that arrive without one.
    public var sscc: SSCCGenerator
    /// The layout the wave optimizer routes tours in.
    public var layout: SingleBlockLayout
    /// Limits of one pick tour (one task).
    public var tourLimits: BatchLimits
    /// What happens to lines that cannot be allocated in full, when an order does not say.
    public var backOrderPolicy: BackOrderPolicy
    /// The carrier and service a packed carton's label is requested from, by service level.
    public var carrierServices: [String: CarrierService]
    /// A snapshot of an aggregate is saved every this many events of its stream.
    public var snapshotEvery: Int64

    public init(sscc: SSCCGenerator = SSCCGenerator(companyPrefix: "0614141"),
                layout: SingleBlockLayout = SingleBlockLayout(aisles: 10, baysPerAisle: 40),
                tourLimits: BatchLimits = BatchLimits(maxOrders: 8, maxUnits: 200),
                backOrderPolicy: BackOrderPolicy = .backOrder,
                carrierServices: [String: CarrierService] = [:],
                snapshotEvery: Int64 = 200) {
        self.sscc = sscc
        self.layout = layout
        self.tourLimits = tourLimits
        self.backOrderPolicy = backOrderPolicy
        self.carrierServices = carrierServices
        self.snapshotEvery = snapshotEvery
    }
}

/// A carrier and one of its services (`fedex`, `FEDEX_GROUND`).
public struct CarrierService: Sendable, Equatable {
    public var carrier: String
    public var service: String
    public init(carrier: String, service: String) {
        self.carrier = carrier
        self.service = service
    }
}

/// What an order's lines that cannot be allocated in full do.
public enum BackOrderPolicy: String, Sendable, Equatable, CaseIterable {
    /// Allocate what there is; the rest waits for stock (`OrderBackordered`), allocated when it comes.
    case backOrder = "backorder"
    /// Allocate what there is and cancel the rest of the line.
    case shipPartial = "ship-partial"
    /// Allocate nothing unless every line can be allocated in full; otherwise wait for stock.
    case shipComplete = "ship-complete"
}
