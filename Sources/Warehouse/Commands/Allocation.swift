import EventStore
import JSON

/// Allocation of an order's missing quantities from stock, FIFO or FEFO per item, and what the
/// back-order policy does with what stock cannot cover. Shared by order creation, the retry on
/// receipt and the re-allocation after a short.
enum Allocation {
    struct Made {
        var orderId: String
        var line: Int
        var sku: String
        var place: StockPlace
        var quantity: Int
    }

    /// Allocates what the order is missing and emits the events; returns the reservations made.
    @discardableResult
    static func allocate(_ d: Decision, orderId: String, reasonForCancel: String = "no stock") async throws -> [Made] {
        let orderStream = WarehouseStreams.order(orderId)
        let order = try await d.load(OrderState.self, orderStream)
        guard order.exists, !order.isCancelled, !order.isShipped else { return [] }
        let nowMillis = EventTime.milliseconds(d.now)
        let missing = order.lines.filter { $0.missing > 0 }
        guard !missing.isEmpty else { return [] }

        if order.backOrderPolicy == .shipComplete && !order.waveReleased {
            // All or nothing: only when every SKU's available stock covers what the order misses.
            var needed: [String: Int] = [:]
            for l in missing { needed[l.sku, default: 0] += l.missing }
            for (sku, n) in needed {
                let item = try await d.load(ItemState.self, WarehouseStreams.item(sku))
                let stock = try await d.load(InventoryState.self, WarehouseStreams.inventory(sku))
                let coverable = stock.allocation(of: n, rule: item.allocation, nowMillis: nowMillis).reduce(0) { $0 + $1.quantity }
                if coverable < n {
                    try await backorder(d, orderStream, missing.map { ($0.line, $0.sku, $0.missing) })
                    return []
                }
            }
        }

        var made: [Made] = []
        var stillMissing: [(Int, String, Int)] = []
        for l in missing {
            let item = try await d.load(ItemState.self, WarehouseStreams.item(l.sku))
            let stream = WarehouseStreams.inventory(l.sku)
            let stock = try await d.load(InventoryState.self, stream)
            var got = 0
            for (place, q) in stock.allocation(of: l.missing, rule: item.allocation, nowMillis: nowMillis) {
                try await d.emit(DomainEvent(InventoryState.reserved, place.merged(into: ["sku": .string(l.sku), "orderId": .string(orderId), "line": .int(l.line), "quantity": .int(q)])),
                                 to: stream, as: InventoryState.self)
                made.append(Made(orderId: orderId, line: l.line, sku: l.sku, place: place, quantity: q))
                got += q
            }
            if got < l.missing { stillMissing.append((l.line, l.sku, l.missing - got)) }
        }
        if !made.isEmpty {
            let allocations: [JSONValue] = made.map { $0.place.merged(into: ["line": .int($0.line), "sku": .string($0.sku), "quantity": .int($0.quantity)]) }
            try await d.emit(DomainEvent(OrderState.allocated, .event(["orderId": .string(orderId), "allocations": .array(allocations)])), to: orderStream, as: OrderState.self)
        }
        if !stillMissing.isEmpty {
            if order.backOrderPolicy == .shipPartial {
                for (line, sku, q) in stillMissing {
                    try await d.emit(DomainEvent(OrderState.lineCancelled, .event(["orderId": .string(orderId), "line": .int(line), "sku": .string(sku), "quantity": .int(q), "reason": .string(reasonForCancel)])),
                                     to: orderStream, as: OrderState.self)
                }
            } else {
                try await backorder(d, orderStream, stillMissing)
            }
        }
        return made
    }

    private static func backorder(_ d: Decision, _ stream: StreamName, _ lines: [(Int, String, Int)]) async throws {
        let order = try await d.load(OrderState.self, stream)
        let json: [JSONValue] = lines.map { .event(["line": .int($0.0), "sku": .string($0.1), "missing": .int($0.2)]) }
        try await d.emit(DomainEvent(OrderState.backordered, .event(["orderId": .string(order.orderId), "lines": .array(json)])), to: stream, as: OrderState.self)
    }
}
