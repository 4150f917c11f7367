import JSON
import OrderedCollections

/// Groups the mapped rows of an orders file into orders: the rows with the same
/// `externalReference`, consecutive or not, in file order. Each row's output is the order's
/// header fields plus `line`, one order line.
///
/// The header comes from the order's first row; a later row may leave header fields empty (or
/// fill ones the first left empty), but a different value is a problem of that row, and the
/// order is refused rather than created with either value.
struct OrderImportGrouping {
    struct Order {
        var reference: String
        var lines: [Int]
        var header: OrderedDictionary<String, JSONValue>
        var orderLines: [JSONValue]
        /// The reasons the order cannot be made, nil when it can.
        var problem: [WarehouseImportReport.Reason]?

        /// The `CreateOrder` body: the header, then `lines`.
        var body: JSONValue {
            var o = header
            o["lines"] = .array(orderLines)
            return .object(o)
        }
    }

    private(set) var orders: [Order] = []
    private(set) var rejections: [WarehouseImportReport.Rejection] = []
    private var index: [String: Int] = [:]

    mutating func add(line: Int, output: JSONValue) {
        guard case .object(var o) = output else {
            rejections.append(.init(lines: [line], reasons: [WarehouseImportPlan.notAnObject(output, line: line)]))
            return
        }
        let reference = o["externalReference"].map(Self.text) ?? ""
        guard !reference.isEmpty else {
            rejections.append(.init(lines: [line], reasons: [.init(code: "required", path: "externalReference", message: "the row has no order reference, so it belongs to no order", line: line)]))
            return
        }
        guard let orderLine = o.removeValue(forKey: "line"), case .object = orderLine else {
            rejections.append(.init(lines: [line], reference: reference, reasons: [.init(code: "required", path: "line", message: "the orders mapping gives each row's order line as `line: {sku, quantity}`", line: line)]))
            return
        }
        guard let at = index[reference] else {
            index[reference] = orders.count
            orders.append(Order(reference: reference, lines: [line], header: o, orderLines: [orderLine]))
            return
        }
        var conflicts: [WarehouseImportReport.Reason] = []
        Self.merge(o, into: &orders[at].header, path: "", line: line, firstLine: orders[at].lines[0], conflicts: &conflicts)
        orders[at].lines.append(line)
        orders[at].orderLines.append(orderLine)
        if !conflicts.isEmpty { orders[at].problem = (orders[at].problem ?? []) + conflicts }
    }

    /// Adds what `later` gives and `header` lacks; a member both give differently is a conflict.
    private static func merge(_ later: OrderedDictionary<String, JSONValue>, into header: inout OrderedDictionary<String, JSONValue>, path: String, line: Int,
                              firstLine: Int, conflicts: inout [WarehouseImportReport.Reason]) {
        for (key, value) in later where !isEmpty(value) {
            let here = path.isEmpty ? key : "\(path).\(key)"
            guard let current = header[key], !isEmpty(current) else {
                header[key] = value
                continue
            }
            if case .object(let a) = value, case .object(var b) = current {
                merge(a, into: &b, path: here, line: line, firstLine: firstLine, conflicts: &conflicts)
                header[key] = .object(b)
            } else if value != current {
                conflicts.append(.init(code: "inconsistent", path: here,
                                       message: "is \(value.jsonString) here but \(current.jsonString) on line \(firstLine); the rows of one order must agree on its header fields",
                                       line: line))
            }
        }
    }

    private static func isEmpty(_ v: JSONValue) -> Bool {
        switch v {
        case .null: true
        case .string(let s): s.isEmpty
        case .object(let o): o.values.allSatisfy(isEmpty)
        default: false
        }
    }

    /// An order reference as text: numbers (from a mapping that made them) read as written.
    private static func text(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): s
        case .number: v.jsonString
        default: ""
        }
    }
}
