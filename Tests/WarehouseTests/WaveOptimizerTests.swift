import Warehouse
import XCTest

final class WaveOptimizerTests: XCTestCase {
    let layout = SingleBlockLayout(aisles: 10, baysPerAisle: 40)

    struct Seeded {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    /// Every order of the stops, for checking the exact router on small tours.
    func bruteForce(_ stops: [PickPosition], _ layout: SingleBlockLayout) -> Double {
        var best = Double.infinity
        func permute(_ rest: [PickPosition], _ path: [PickPosition]) {
            if rest.isEmpty { best = min(best, TourRouter.length(path, layout)); return }
            for (i, p) in rest.enumerated() {
                var r = rest
                r.remove(at: i)
                permute(r, path + [p])
            }
        }
        permute(stops, [])
        return best
    }

    func testHandComputedDistances() {
        // One stop at the first bay of aisle 0: 1.5 m in and 1.5 m back.
        XCTAssertEqual(TourPlanner.route([PickPosition(aisle: 0, bay: 0)], in: layout, using: .optimal).distance, 3, accuracy: 1e-9)
        // Aisle 2, bay 0 with the depot in front of aisle 0: 6 m across, 1.5 m in, both ways.
        XCTAssertEqual(TourPlanner.route([PickPosition(aisle: 2, bay: 0)], in: layout, using: .optimal).distance, 15, accuracy: 1e-9)
        // Two aisles, S-shape: up aisle 0 and down aisle 1 (2 × 61.5 m) plus 3 m across the back and 3 m back along the front.
        let two: Set = [PickPosition(aisle: 0, bay: 39), PickPosition(aisle: 1, bay: 0)]
        XCTAssertEqual(layout.aisleLength, 61.5)
        let twoExpected: Double = 2 * 61.5 + 6
        XCTAssertEqual(TourPlanner.route(two, in: layout, using: .sShape).distance, twoExpected, accuracy: 1e-9)
        // Three aisles: the odd last one (aisle 4, farthest pick at bay 10 = 16.5 m) is entered and left from the front.
        let three: Set = [PickPosition(aisle: 0, bay: 5), PickPosition(aisle: 2, bay: 5), PickPosition(aisle: 4, bay: 10)]
        let expected: Double = 2 * 61.5 + 2 * 16.5 + 2 * 12
        XCTAssertEqual(TourPlanner.route(three, in: layout, using: .sShape).distance, expected, accuracy: 1e-9)
        XCTAssertEqual(TourPlanner.route([], in: layout, using: .optimal).distance, 0)
    }

    func testExactRouterEqualsBruteForceAndNeverLosesToSShape() {
        var random = Seeded(state: 7)
        for depot in [0.0, 4.5, 9.0] {
            let l = SingleBlockLayout(aisles: 10, baysPerAisle: 40, depotAisle: depot)
            for _ in 0..<150 {
                var set = Set<PickPosition>()
                for _ in 0..<(1 + random.next(7)) { set.insert(PickPosition(aisle: random.next(10), bay: random.next(40))) }
                let exact = TourPlanner.route(set, in: l, using: .optimal)
                let brute = bruteForce(Array(set), l)
                XCTAssertEqual(exact.distance, brute, accuracy: 1e-9, "\(set.sorted()) depot \(depot)")
                XCTAssertEqual(TourRouter.length(exact.stops, l), exact.distance, accuracy: 1e-9, "the sequence has the length reported")
                XCTAssertEqual(Set(exact.stops), set)
                let s = TourPlanner.route(set, in: l, using: .sShape)
                XCTAssertGreaterThanOrEqual(s.distance + 1e-9, exact.distance)
                XCTAssertEqual(Set(s.stops), set)
            }
        }
    }

    func testBatchesRespectLimitsAndBeatOneOrderPerTour() {
        var random = Seeded(state: 11)
        let orders: [PickOrderLines] = (0..<40).map { _ in
            let n = 1 + random.next(4)
            return PickOrderLines(positions: (0..<n).map { _ in PickPosition(aisle: random.next(10), bay: random.next(40)) }, units: n * 2)
        }
        let limits = BatchLimits(maxOrders: 6, maxUnits: 30, maxStops: 12)
        let tours = TourPlanner.optimize(orders, in: layout, limits: limits)
        XCTAssertEqual(tours.flatMap(\.orderIndexes).sorted(), Array(orders.indices), "every order in exactly one tour")
        for t in tours {
            XCTAssertLessThanOrEqual(t.orderIndexes.count, limits.maxOrders)
            XCTAssertLessThanOrEqual(t.orderIndexes.reduce(0) { $0 + orders[$1].units }, limits.maxUnits)
            XCTAssertLessThanOrEqual(Set(t.stops).count, limits.maxStops)
        }
        let optimized = tours.reduce(0) { $0 + $1.distance }
        let discrete = TourPlanner.discrete(orders, in: layout, using: .sShape).reduce(0) { $0 + $1.distance }
        XCTAssertLessThan(optimized, 0.8 * discrete)
        XCTAssertEqual(TourPlanner.optimize(orders, in: layout, limits: limits), tours, "deterministic")
    }
}
