// Wave optimizer benchmark: total pick travel of the optimizer's tours beside (a) one order per tour
// with S-shape routing and (b) the same batches routed optimally (Ratliff–Rosenthal, cross-checked
// by Held–Karp where a tour has at most 15 stops). Prints figures; asserts nothing.
//
//   WaveOptimizerBenchmark [--seed N] [--orders N] [--runs N] [--depot front|middle]
import Foundation
import Warehouse

/// SplitMix64 (Steele, Lea & Flood 2014): the same orders for a seed on every machine.
struct BenchmarkSplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in `range` (rejection sampling, so without modulo bias).
    mutating func next(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound + 1)
        let limit = UInt64.max - UInt64.max % span
        while true {
            let value = next()
            if value < limit { return range.lowerBound + Int(value % span) }
        }
    }
}

func option(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}

let firstSeed = option("--seed").flatMap(UInt64.init) ?? 1
let orderCount = option("--orders").flatMap(Int.init) ?? 100
let runs = option("--runs").flatMap(Int.init) ?? 5
let middleDepot = option("--depot") == "middle"
let layout = SingleBlockLayout(aisles: 10, baysPerAisle: 40, depotAisle: middleDepot ? 4.5 : 0)
let limits = BatchLimits(maxOrders: 8, maxUnits: 40)
let linesPerOrder = 1...6, unitsPerLine = 1...3

func orders(seed: UInt64) -> [PickOrderLines] {
    var random = BenchmarkSplitMix64(state: seed)
    return (0..<orderCount).map { _ in
        let lines = random.next(in: linesPerOrder)
        var positions: [PickPosition] = []
        while positions.count < lines {
            let position = PickPosition(aisle: random.next(in: 0...(layout.aisles - 1)), bay: random.next(in: 0...(layout.baysPerAisle - 1)))
            if !positions.contains(position) { positions.append(position) }
        }
        let units = (0..<lines).reduce(0) { total, _ in total + random.next(in: unitsPerLine) }
        return PickOrderLines(positions: positions, units: units)
    }
}

func total(_ tours: [PickTour]) -> Double { tours.reduce(0) { $0 + $1.distance } }
func f(_ value: Double, _ decimals: Int = 1) -> String { String(format: "%.\(decimals)f", value) }
func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }

print("Wave optimizer benchmark")
print("layout: single block, \(layout.aisles) aisles × \(layout.baysPerAisle) bays, aisle spacing \(f(layout.aisleSpacing)) m, bay \(f(layout.bayLength)) m, cross-aisle depth \(f(layout.crossAisleDepth)) m (aisle length \(f(layout.aisleLength)) m)")
print("depot: front cross aisle, " + (middleDepot ? "in the middle (between aisles 4 and 5, depotAisle 4.5)" : "in front of aisle 0 (depotAisle 0)"))
print("orders: \(orderCount) per run, \(linesPerOrder.lowerBound)–\(linesPerOrder.upperBound) lines each at distinct uniform positions, \(unitsPerLine.lowerBound)–\(unitsPerLine.upperBound) units per line")
print("limits: maxOrders \(limits.maxOrders), maxUnits \(limits.maxUnits), maxStops \(limits.maxStops.map(String.init) ?? "none")")
print("seeds: \(firstSeed)…\(firstSeed + UInt64(runs) - 1) (SplitMix64)")
print("""

(a)  one order per tour, S-shape            (a') one order per tour, optimal
opt  the optimizer's tours (its own figure)  (b)  opt's batches re-routed optimally (Ratliff–Rosenthal)
(b2) opt's batches, Held–Karp where ≤ \(TourPlanner.exactRouteStopLimit) stops (checked tours), Ratliff–Rosenthal elsewhere
S    opt's batches routed S-shape
""")
let columns = ["seed", "(a) m", "(a') m", "opt m", "(b) m", "(b2) m", "S m", "opt/(a)", "opt/(a')", "opt/(b)", "opt/(b2)", "tours", "HK-chk", "HK-maxΔ", "ms"]
let widths = [5, 9, 9, 9, 9, 9, 9, 8, 9, 8, 9, 6, 7, 8, 7]
let clock = ContinuousClock()

/// One row per seed and their mean, for one set of limits; returns the means.
func table(_ limits: BatchLimits) -> [Double] {
    print(zip(columns, widths).map { pad($0, $1) }.joined(separator: " "))
    var sums = [Double](repeating: 0, count: columns.count)
    for run in 0..<runs {
        let seed = firstSeed + UInt64(run)
        let orders = orders(seed: seed)
        let a = total(TourPlanner.discrete(orders, in: layout, using: .sShape))
        let aOptimal = total(TourPlanner.discrete(orders, in: layout, using: .optimal))

        var tours: [PickTour] = []
        let elapsed = clock.measure { tours = TourPlanner.optimize(orders, in: layout, limits: limits) }
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15

        let batches = tours.map(\.orderIndexes)
        let optimizer = total(tours)
        let reRouted = TourPlanner.route(batches: batches, of: orders, in: layout, using: .optimal)
        let b = total(reRouted)
        let sShape = total(TourPlanner.route(batches: batches, of: orders, in: layout, using: .sShape))
        var b2 = 0.0, checked = 0, worst = 0.0
        for tour in reRouted {
            if let exact = TourPlanner.exactRoute(Set(tour.stops), in: layout) {
                b2 += exact.distance
                checked += 1
                worst = max(worst, abs(exact.distance - tour.distance))
            } else {
                b2 += tour.distance
            }
        }
        let row: [Double] = [Double(seed), a, aOptimal, optimizer, b, b2, sShape, optimizer / a, optimizer / aOptimal, optimizer / b, optimizer / b2,
                             Double(tours.count), Double(checked), worst, milliseconds]
        for i in row.indices { sums[i] += row[i] }
        let decimals = [0, 1, 1, 1, 1, 1, 1, 3, 3, 4, 4, 0, 0, 9, 1]
        print(zip(row.indices, widths).map { i, w in pad(i == 13 ? String(format: "%.1e", row[i]) : f(row[i], decimals[i]), w) }.joined(separator: " "))
    }
    let means = sums.map { $0 / Double(runs) }
    let decimals = [0, 1, 1, 1, 1, 1, 1, 3, 3, 4, 4, 1, 1, 9, 1]
    print(zip(means.indices, widths).map { i, w in pad(i == 0 ? "mean" : (i == 13 ? String(format: "%.1e", means[i]) : f(means[i], decimals[i])), w) }.joined(separator: " "))
    return means
}

let means = table(limits)
print("""

goals: opt/(a) ≤ 0.80 (≥ 20 % shorter than one order per tour, S-shape): mean \(f(means[7], 3)) (\(f((1 - means[7]) * 100)) % shorter)
       opt/(b) ≤ 1.05 (within 5 % of the same batches routed optimally): mean \(f(means[9], 4))
(b) equals opt by construction (the optimizer routes every tour with Ratliff–Rosenthal); (b2) is the independent
cross-check, HK-chk tours per run compared, HK-maxΔ the largest difference in metres.
S-shape routing of the optimizer's batches would be \(f((means[6] / means[3] - 1) * 100)) % longer than optimal routing.
optimize() time: mean \(f(means[14])) ms for \(orderCount) orders (release build, one thread).
""")

// Most tours above carry more than 15 stops, beyond Held–Karp; capping stops at 15 makes every tour checkable.
let checkable = BatchLimits(maxOrders: limits.maxOrders, maxUnits: limits.maxUnits, maxStops: TourPlanner.exactRouteStopLimit)
print("cross-check: the same orders with maxStops \(TourPlanner.exactRouteStopLimit) added, so Held–Karp checks every tour (b2)")
_ = table(checkable)
