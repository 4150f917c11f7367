/// Exact routing over the layout's shortest-path distances for any small stop set: the Held–Karp
/// dynamic programme over subsets (Held & Karp 1962, "A dynamic programming approach to sequencing
/// problems", J. SIAM 10(1)). Exponential (2ⁿ·n² time, 2ⁿ·n memory), so it is a reference for
/// checking the single-block programme, not something to batch with.
enum HeldKarpTourRouter {
    static func route(_ positions: [PickPosition], in layout: SingleBlockLayout) -> (stops: [PickPosition], distance: Double) {
        let n = positions.count
        precondition(n <= 20, "Held–Karp over \(n) stops needs too much memory")
        guard n > 0 else { return ([], 0) }
        let fromDepot = positions.map { layout.distanceFromDepot($0) }
        var between = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { between[i * n + j] = layout.distance(positions[i], positions[j]) } }

        // length[set * n + last]: shortest walk from the depot through `set`, ending at `last` ∈ set.
        let sets = 1 << n
        var length = [Double](repeating: .infinity, count: sets * n)
        var previous = [Int8](repeating: -1, count: sets * n)
        for i in 0..<n { length[(1 << i) * n + i] = fromDepot[i] }
        for set in 1..<sets {
            for last in 0..<n where set & (1 << last) != 0 {
                let here = length[set * n + last]
                guard here < .infinity else { continue }
                for next in 0..<n where set & (1 << next) == 0 {
                    let grown = set | (1 << next)
                    let candidate = here + between[last * n + next]
                    if candidate < length[grown * n + next] {
                        length[grown * n + next] = candidate
                        previous[grown * n + next] = Int8(last)
                    }
                }
            }
        }
        let all = sets - 1
        var best = Double.infinity, bestLast = 0
        for last in 0..<n where length[all * n + last] + fromDepot[last] < best {
            best = length[all * n + last] + fromDepot[last]
            bestLast = last
        }
        var order: [Int] = []
        var set = all, last = bestLast
        while last >= 0 {
            order.append(last)
            let before = Int(previous[set * n + last])
            set &= ~(1 << last)
            last = before
        }
        return (order.reversed().map { positions[$0] }, best)
    }
}
