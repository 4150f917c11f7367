/// Which positions a tour must visit, as one bit per bay and aisle.
///
/// The batcher evaluates thousands of candidate batches; with bit sets a batch is the union of its
/// orders' sets, its stop count is a population count, and both are cheap enough for that.
struct TourAisleOccupancy: Hashable, Sendable {
    private(set) var words: [UInt64]
    let wordsPerAisle: Int

    init(aisles: Int, baysPerAisle: Int) {
        wordsPerAisle = max(1, (baysPerAisle + 63) / 64)
        words = [UInt64](repeating: 0, count: max(0, aisles) * wordsPerAisle)
    }

    init(_ positions: some Sequence<PickPosition>, in layout: SingleBlockLayout) {
        self.init(aisles: layout.aisles, baysPerAisle: layout.baysPerAisle)
        for position in positions {
            precondition(layout.contains(position), "\(position) is outside the \(layout.aisles)×\(layout.baysPerAisle) layout")
            insert(position)
        }
    }

    mutating func insert(_ position: PickPosition) {
        words[position.aisle * wordsPerAisle + position.bay / 64] |= 1 << UInt64(position.bay % 64)
    }

    mutating func formUnion(_ other: TourAisleOccupancy) {
        for i in words.indices { words[i] |= other.words[i] }
    }

    func union(_ other: TourAisleOccupancy) -> TourAisleOccupancy {
        var result = self
        result.formUnion(other)
        return result
    }

    /// Distinct positions: the stops of a tour over this set.
    var stopCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    func isEmpty(aisle: Int) -> Bool {
        let start = aisle * wordsPerAisle
        return words[start..<(start + wordsPerAisle)].allSatisfy { $0 == 0 }
    }

    /// Calls `body` with each occupied bay of `aisle`, front to back.
    func forEachBay(inAisle aisle: Int, _ body: (Int) -> Void) {
        let start = aisle * wordsPerAisle
        for w in 0..<wordsPerAisle {
            var bits = words[start + w]
            while bits != 0 {
                body(w * 64 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
    }

    func bays(inAisle aisle: Int) -> [Int] {
        var bays: [Int] = []
        forEachBay(inAisle: aisle) { bays.append($0) }
        return bays
    }
}
