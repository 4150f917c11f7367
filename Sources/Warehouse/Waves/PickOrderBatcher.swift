/// Groups orders into tours (order batching) for the shortest total travel within `BatchLimits`,
/// pricing every candidate batch by its *optimal* single-block tour (Ratliff–Rosenthal), not by a
/// proxy such as aisles spanned.
///
/// Construction is Clarke & Wright's savings algorithm in the variant that recomputes the savings
/// after every merge ("C&W(ii)" in de Koster, van der Poort & Wolters 1999, "Efficient
/// orderbatching methods in warehouses", International Journal of Production Research 37(7)):
/// repeatedly merge the two batches whose combined tour saves the most over touring them apart.
/// A local search then moves single orders to other batches and swaps pairs of orders between
/// batches while either shortens the total, the improvement step those authors and later work
/// (e.g. Henn et al. 2010's iterated local search) add to savings.
///
/// Everything runs in index order with strict comparisons, so the result depends only on the input.
struct PickOrderBatcher {
    let layout: SingleBlockLayout
    let limits: BatchLimits
    let orders: [TourAisleOccupancy]
    let units: [Int]
    /// An improvement must beat this (m) to count, so rounding noise cannot make moves cycle.
    let minimumGain = 1e-9
    let maximumPasses = 50
    private var lengths: [TourAisleOccupancy: Double] = [:]

    init(_ orders: [PickOrderLines], in layout: SingleBlockLayout, limits: BatchLimits) {
        precondition(limits.maxOrders >= 1, "a tour carries at least one order")
        self.layout = layout
        self.limits = limits
        self.orders = orders.map { TourAisleOccupancy($0.positions, in: layout) }
        self.units = orders.map(\.units)
    }

    /// Order index groups, each ascending, ordered by their first index.
    mutating func batches() -> [[Int]] {
        var drafts = savings()
        for _ in 0..<maximumPasses {
            let relocated = relocate(&drafts)
            let swapped = swap(&drafts)
            if !relocated && !swapped { break }
        }
        return drafts.map { $0.members.sorted() }.filter { !$0.isEmpty }.sorted { $0[0] < $1[0] }
    }

    // MARK: Pricing

    /// Optimal tour length over a set, remembered: the local search asks for the same sets often.
    mutating func length(of occupancy: TourAisleOccupancy) -> Double {
        if let known = lengths[occupancy] { return known }
        let length = RatliffRosenthalTourRouter.distance(of: occupancy, in: layout)
        lengths[occupancy] = length
        return length
    }

    func fits(orderCount: Int, units: Int, occupancy: TourAisleOccupancy) -> Bool {
        guard orderCount <= limits.maxOrders, units <= limits.maxUnits else { return false }
        if let maxStops = limits.maxStops, occupancy.stopCount > maxStops { return false }
        return true
    }

    mutating func draft(_ members: [Int]) -> PickBatchDraft {
        var occupancy = TourAisleOccupancy(aisles: layout.aisles, baysPerAisle: layout.baysPerAisle)
        var total = 0
        for order in members {
            occupancy.formUnion(orders[order])
            total += units[order]
        }
        return PickBatchDraft(members: members, occupancy: occupancy, units: total, length: length(of: occupancy))
    }

    // MARK: Construction

    /// Clarke–Wright savings, C&W(ii): savings of the merged batch are recomputed after each merge.
    mutating func savings() -> [PickBatchDraft] {
        var drafts = orders.indices.map { draft([$0]) }
        let n = drafts.count
        var alive = [Bool](repeating: true, count: n)
        var saving = [Double](repeating: -.infinity, count: n * n)

        func price(_ i: Int, _ j: Int, _ batcher: inout PickOrderBatcher) -> Double {
            let a = drafts[i], b = drafts[j]
            let merged = a.occupancy.union(b.occupancy)
            guard batcher.fits(orderCount: a.members.count + b.members.count, units: a.units + b.units, occupancy: merged) else { return -.infinity }
            return a.length + b.length - batcher.length(of: merged)
        }

        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { saving[i * n + j] = price(i, j, &self) } }
        while true {
            var best = minimumGain, bi = -1, bj = -1
            for i in 0..<n where alive[i] {
                for j in (i + 1)..<max(i + 1, n) where alive[j] && saving[i * n + j] > best {
                    best = saving[i * n + j]; bi = i; bj = j
                }
            }
            guard bi >= 0 else { break }
            drafts[bi] = draft(drafts[bi].members + drafts[bj].members)
            drafts[bj].members = []
            alive[bj] = false
            for k in 0..<n where alive[k] && k != bi {
                saving[min(k, bi) * n + max(k, bi)] = price(min(k, bi), max(k, bi), &self)
            }
        }
        return drafts.filter { !$0.members.isEmpty }
    }
}
