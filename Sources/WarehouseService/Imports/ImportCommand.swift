import Warehouse

/// One command an import file makes, with the CSV lines it comes from.
struct ImportCommand: Sendable {
    var command: CommandEnvelope
    /// The record's rows, in file order.
    var lines: [Int]
    /// The order reference, for orders.
    var reference: String?
    /// For an order: the CSV line of each element of the command's `lines` array.
    var elementLines: [Int] = []

    /// The CSV line a refusal's `path` is about: `lines[2].sku` is the third order line's row,
    /// anything else the record's first row.
    func line(for path: String) -> Int {
        if path.hasPrefix("lines["), let close = path.firstIndex(of: "]"),
           let k = Int(path[path.index(path.startIndex, offsetBy: 6)..<close]), elementLines.indices.contains(k) {
            return elementLines[k]
        }
        return lines[0]
    }
}
