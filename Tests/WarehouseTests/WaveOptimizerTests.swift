import XCTest
@testable import Warehouse

/// Specifications of the wave optimizer: exact routing (checked against brute force), the S-shape
/// heuristic (checked by hand), and batching within limits.
final class WaveOptimizerTests: XCTestCase {
    // 10 aisles × 40 bays, 3 m apart, 1.5 m bays: aisles are 61.5 m long.
    let warehouse = SingleBlockLayout(aisles: 10, baysPerAisle: 40)

    // MARK: Hand-computed distances

    func testAnEmptyTourHasNoLength() {
        for routing in [TourRouting.sShape, .optimal] {
            let route = TourPlanner.route([], in: warehouse, using: routing)
            XCTAssertEqual(route.stops, [])
            XCTAssertEqual(route.distance, 0)
        }
        XCTAssertEqual(TourPlanner.optimize([], in: warehouse, limits: BatchLimits(maxOrders: 8, maxUnits: 40)), [])
        XCTAssertEqual(TourPlanner.discrete([], in: warehouse, using: .optimal), [])
    }

    func testOneStopInFrontOfTheDepotIsThereAndBack() {
        let stop = PickPosition(aisle: 0, bay: 0)
        for routing in [TourRouting.sShape, .optimal] {
            let route = TourPlanner.route([stop], in: warehouse, using: routing)
            XCTAssertEqual(route.stops, [stop])
            XCTAssertEqual(route.distance, 3, accuracy: 1e-9, "1.5 m in and 1.5 m out")
        }
    }

    func testTwoAislesSShapeTraversesBothWhileOptimalReturnsInEach() {
        let stops: Set = [PickPosition(aisle: 0, bay: 10), PickPosition(aisle: 2, bay: 5)]
        let sShape = TourPlanner.route(stops, in: warehouse, using: .sShape)
        // Up aisle 0, 6 m along the back, down aisle 2, 6 m back to the depot.
        XCTAssertEqual(sShape.distance, 61.5 + 6 + 61.5 + 6, accuracy: 1e-9)
        XCTAssertEqual(sShape.stops, [PickPosition(aisle: 0, bay: 10), PickPosition(aisle: 2, bay: 5)])
        // 16.5 m into aisle 0 and 9 m into aisle 2, each there and back, and 6 m each way between.
        XCTAssertEqual(TourPlanner.route(stops, in: warehouse, using: .optimal).distance, 33 + 18 + 12, accuracy: 1e-9)
    }

    func testSShapeWithAnOddNumberOfAislesReturnsInTheLast() {
        let stops: Set = [PickPosition(aisle: 0, bay: 0), PickPosition(aisle: 1, bay: 39), PickPosition(aisle: 3, bay: 20)]
        let sShape = TourPlanner.route(stops, in: warehouse, using: .sShape)
        // Up aisle 0, 3 m, down aisle 1, 6 m, 31.5 m into aisle 3 and back, 9 m home.
        XCTAssertEqual(sShape.distance, 61.5 + 3 + 61.5 + 6 + 63 + 9, accuracy: 1e-9)
        XCTAssertEqual(sShape.stops, [PickPosition(aisle: 0, bay: 0), PickPosition(aisle: 1, bay: 39), PickPosition(aisle: 3, bay: 20)])
        // Up aisle 0, along the back to aisle 3 (dipping 1.5 m into aisle 1 and back), down aisle 3, home.
        XCTAssertEqual(TourPlanner.route(stops, in: warehouse, using: .optimal).distance, 61.5 + 9 + 3 + 61.5 + 9, accuracy: 1e-9)
    }

    func testADepotBetweenAislesAddsTheWalkAlongTheFront() {
        let middle = SingleBlockLayout(aisles: 10, baysPerAisle: 40, depotAisle: 4.5)
        for routing in [TourRouting.sShape, .optimal] {
            XCTAssertEqual(TourPlanner.route([PickPosition(aisle: 0, bay: 0)], in: middle, using: routing).distance, 2 * 13.5 + 3, accuracy: 1e-9)
            XCTAssertEqual(TourPlanner.route([PickPosition(aisle: 5, bay: 0)], in: middle, using: routing).distance, 2 * 1.5 + 3, accuracy: 1e-9)
        }
        // One stop each side of the depot: both are there-and-back trips from the front.
        let bothSides: Set = [PickPosition(aisle: 3, bay: 2), PickPosition(aisle: 6, bay: 4)]
        XCTAssertEqual(TourPlanner.route(bothSides, in: middle, using: .optimal).distance, 2 * 4.5 + 2 * 4.5 + 2 * 4.5 + 2 * 7.5, accuracy: 1e-9)
    }

    func testSShapeIsAFeasibleTourOfTheLengthItReports() {
        var random = TestSplitMix64(seed: 7)
        for _ in 0..<200 {
            let layout = random.layout()
            let stops = random.positions(in: layout, count: random.below(12))
            let sShape = TourPlanner.route(stops, in: layout, using: .sShape)
            XCTAssertEqual(Set(sShape.stops), stops)
            XCTAssertEqual(sShape.stops.count, stops.count)
            XCTAssertLessThanOrEqual(TourPlanner.length(of: sShape.stops, in: layout), sShape.distance + 1e-9)
        }
    }

    // MARK: Exactness

    func testOptimalEqualsBruteForceOnRandomSmallInstances() {
        var random = TestSplitMix64(seed: 20_240_601)
        for _ in 0..<400 {
            let layout = random.layout()
            let stops = random.positions(in: layout, count: random.below(9))
            let optimal = TourPlanner.route(stops, in: layout, using: .optimal)
            let exact = BruteForceTour.length(Array(stops), layout)
            XCTAssertEqual(optimal.distance, exact, accuracy: 1e-9, "\(layout) \(stops.sorted())")
            XCTAssertEqual(optimal.stops.count, stops.count)
            XCTAssertEqual(Set(optimal.stops), stops)
            XCTAssertEqual(BruteForceTour.walk(optimal.stops, layout), optimal.distance, accuracy: 1e-9, "the sequence has the length reported")
            XCTAssertGreaterThanOrEqual(TourPlanner.route(stops, in: layout, using: .sShape).distance, optimal.distance - 1e-9)
        }
    }

    func testOptimalEqualsBruteForceInTheFullSizeWarehouse() {
        var random = TestSplitMix64(seed: 42)
        for depotAisle in [0, 4.5, 7] {
            let layout = SingleBlockLayout(aisles: 10, baysPerAisle: 40, depotAisle: depotAisle)
            for _ in 0..<40 {
                let stops = random.positions(in: layout, count: 1 + random.below(8))
                XCTAssertEqual(TourPlanner.route(stops, in: layout, using: .optimal).distance, BruteForceTour.length(Array(stops), layout), accuracy: 1e-9, "\(depotAisle) \(stops.sorted())")
            }
        }
    }

    func testHeldKarpAgreesWithRatliffRosenthal() {
        var random = TestSplitMix64(seed: 99)
        for count in [0, 1, 5, 9, 12] {
            let layout = random.layout()
            let stops = random.positions(in: layout, count: count)
            let exact = try! XCTUnwrap(TourPlanner.exactRoute(stops, in: layout))
            XCTAssertEqual(exact.distance, TourPlanner.route(stops, in: layout, using: .optimal).distance, accuracy: 1e-9)
            XCTAssertEqual(BruteForceTour.walk(exact.stops, layout), exact.distance, accuracy: 1e-9)
        }
        let many = Set((0..<16).map { PickPosition(aisle: $0 % 10, bay: $0) })
        XCTAssertNil(TourPlanner.exactRoute(many, in: warehouse))
    }

    // MARK: Batching

    func testTheOptimizerPicksEveryOrderOnceWithinTheLimits() {
        var random = TestSplitMix64(seed: 3)
        let orders = random.orders(40, in: warehouse)
        let limits = BatchLimits(maxOrders: 5, maxUnits: 25, maxStops: 14)
        let tours = TourPlanner.optimize(orders, in: warehouse, limits: limits)
        XCTAssertEqual(tours.flatMap(\.orderIndexes).sorted(), Array(orders.indices))
        for tour in tours {
            XCTAssertLessThanOrEqual(tour.orderIndexes.count, limits.maxOrders)
            XCTAssertLessThanOrEqual(tour.orderIndexes.map { orders[$0].units }.reduce(0, +), limits.maxUnits)
            let positions = Set(tour.orderIndexes.flatMap { orders[$0].positions })
            XCTAssertLessThanOrEqual(positions.count, limits.maxStops!)
            XCTAssertEqual(Set(tour.stops), positions)
            XCTAssertEqual(tour.distance, TourPlanner.route(positions, in: warehouse, using: .optimal).distance, accuracy: 1e-9)
        }
    }

    func testTheOptimizerBeatsOneOrderPerTourAndIsDeterministic() {
        var random = TestSplitMix64(seed: 11)
        let orders = random.orders(30, in: warehouse)
        let limits = BatchLimits(maxOrders: 8, maxUnits: 40)
        let tours = TourPlanner.optimize(orders, in: warehouse, limits: limits)
        let batched = tours.map(\.distance).reduce(0, +)
        let discrete = TourPlanner.discrete(orders, in: warehouse, using: .optimal).map(\.distance).reduce(0, +)
        XCTAssertLessThan(batched, 0.8 * discrete)
        XCTAssertEqual(TourPlanner.optimize(orders, in: warehouse, limits: limits), tours)
        let sShape = TourPlanner.route(batches: tours.map(\.orderIndexes), of: orders, in: warehouse, using: .sShape)
        XCTAssertGreaterThanOrEqual(sShape.map(\.distance).reduce(0, +), batched - 1e-9)
    }

    func testAnOrderOverTheLimitsGetsATourOfItsOwn() {
        let big = PickOrderLines(positions: [PickPosition(aisle: 1, bay: 1)], units: 50)
        let small = PickOrderLines(positions: [PickPosition(aisle: 1, bay: 2)], units: 1)
        let tours = TourPlanner.optimize([big, small, small], in: warehouse, limits: BatchLimits(maxOrders: 8, maxUnits: 40))
        XCTAssertEqual(tours.map(\.orderIndexes), [[0], [1, 2]])
    }

    func testMaxOrdersOfOneIsDiscretePicking() {
        var random = TestSplitMix64(seed: 5)
        let orders = random.orders(10, in: warehouse)
        let tours = TourPlanner.optimize(orders, in: warehouse, limits: BatchLimits(maxOrders: 1, maxUnits: 100))
        XCTAssertEqual(tours, TourPlanner.discrete(orders, in: warehouse, using: .optimal))
    }
}

/// Exact tour lengths by enumerating visiting orders (branch and bound), over shortest paths
/// computed here from the layout's geometry, independently of the code under test.
enum BruteForceTour {
    static func leg(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double), _ layout: SingleBlockLayout) -> Double {
        if a.x == b.x { return abs(a.y - b.y) }
        // Between columns: via the front (y = 0) or the back (y = aisle length) cross aisle.
        let length = 2 * layout.crossAisleDepth + Double(layout.baysPerAisle - 1) * layout.bayLength
        return abs(a.x - b.x) + min(a.y + b.y, (length - a.y) + (length - b.y))
    }

    static func point(_ p: PickPosition, _ layout: SingleBlockLayout) -> (x: Double, y: Double) {
        (Double(p.aisle) * layout.aisleSpacing, layout.crossAisleDepth + Double(p.bay) * layout.bayLength)
    }

    static func walk(_ stops: [PickPosition], _ layout: SingleBlockLayout) -> Double {
        let depot = (x: layout.depotAisle * layout.aisleSpacing, y: 0.0)
        var here = depot, total = 0.0
        for stop in stops {
            let next = point(stop, layout)
            total += leg(here, next, layout)
            here = next
        }
        return total + leg(here, depot, layout)
    }

    static func length(_ stops: [PickPosition], _ layout: SingleBlockLayout) -> Double {
        let depot = (x: layout.depotAisle * layout.aisleSpacing, y: 0.0)
        let points = stops.map { point($0, layout) }
        var best = Double.infinity
        var used = [Bool](repeating: false, count: points.count)
        func extend(_ here: (x: Double, y: Double), _ sofar: Double, _ left: Int) {
            if sofar >= best { return }
            if left == 0 { best = min(best, sofar + leg(here, depot, layout)); return }
            for i in points.indices where !used[i] {
                used[i] = true
                extend(points[i], sofar + leg(here, points[i], layout), left - 1)
                used[i] = false
            }
        }
        extend(depot, 0, points.count)
        return best
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014), so random cases are the same on every run.
struct TestSplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n (the modulo bias is irrelevant at these sizes).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }

    mutating func layout() -> SingleBlockLayout {
        let aisles = 1 + below(6)
        let depots = [0, Double(aisles - 1), Double(aisles) / 2 - 0.5, Double(below(aisles)), -0.5, Double(aisles) - 0.25]
        return SingleBlockLayout(
            aisles: aisles, baysPerAisle: 1 + below(10),
            aisleSpacing: pick([1, 2.5, 3]), bayLength: pick([1, 1.5, 2]), crossAisleDepth: pick([0, 1, 1.5]),
            depotAisle: pick(depots))
    }

    mutating func positions(in layout: SingleBlockLayout, count: Int) -> Set<PickPosition> {
        let wanted = min(count, layout.aisles * layout.baysPerAisle)
        var positions = Set<PickPosition>()
        while positions.count < wanted {
            positions.insert(PickPosition(aisle: below(layout.aisles), bay: below(layout.baysPerAisle)))
        }
        return positions
    }

    mutating func orders(_ count: Int, in layout: SingleBlockLayout) -> [PickOrderLines] {
        (0..<count).map { _ in
            let positions = positions(in: layout, count: 1 + below(6))
            return PickOrderLines(positions: positions.sorted(), units: positions.count * (1 + below(3)))
        }
    }
}
