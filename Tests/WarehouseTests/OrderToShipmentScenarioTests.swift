import EventStore
import Foundation
import JSON
import Logging
import Warehouse
import WarehouseService
import XCTest

/// The scenario: 200 orders from receipt to shipment, with back-orders and shorts, on a
/// real store; then the books must balance.
final class OrderToShipmentScenarioTests: XCTestCase {
    struct Generator {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
    }

    func testTwoHundredOrdersFromReceiptToShipment() async throws {
        let h = try WarehouseHarness()
        var random = Generator(state: 42)
        // The read models project live while the scenario runs.
        let live = try WarehouseReadModels(path: h.testStore.directory.appendingPathComponent("live.sqlite").path, store: h.store, logger: Logger(label: "test"))
        let projecting = Task { try await live.run() }
        defer { projecting.cancel() }
        let skus = (0..<30).map { "SKU\($0)" }
        try await h.defineCatalog(skus: skus)
        var received: [String: Int] = [:]
        for (i, sku) in skus.enumerated() {
            let quantity = i < 3 ? 6 : 60  // three scarce SKUs: orders for them back-order
            try await h.accept("ReceiveStock", ["sku": .string(sku), "location": .string("L-\(sku)"), "quantity": .number(Double(quantity))])
            received[sku, default: 0] += quantity
        }
        var orders: [String] = []
        for n in 0..<200 {
            var lines: [(String, Int)] = []
            var used: Set<String> = []
            for _ in 0..<(1 + random.next(4)) {
                let sku = skus[random.next(skus.count)]
                if used.insert(sku).inserted { lines.append((sku, 1 + random.next(3))) }
            }
            let id = "O\(n)"
            let outcome = try await h.createOrder(id, lines: lines)
            XCTAssertEqual(outcome.status, .accepted, "\(outcome.reasons)")
            orders.append(id)
        }
        var backordered = 0
        for id in orders { if try await h.order(id).status == .backordered { backordered += 1 } }
        XCTAssertGreaterThan(backordered, 0, "the scarce SKUs back-order some orders")

        var shorted: [String: Int] = [:]
        var waveNumber = 0
        // Waves until every order that can be allocated is picked; the scarce SKUs are received
        // again after the first round, so the back-orders are allocated and picked in later waves.
        for round in 0..<3 {
            if round == 1 {
                for sku in skus.prefix(3) {
                    try await h.accept("ReceiveStock", ["sku": .string(sku), "location": .string("L-\(sku)"), "quantity": 200])
                    received[sku, default: 0] += 200
                }
            }
            if round > 0 {
                // What the saga does when stock arrives: allocate what orders still miss.
                for id in orders {
                    let o = try await h.order(id)
                    if !o.isCancelled, o.lines.contains(where: { $0.missing > 0 }) { try await h.accept("AllocateOrder", ["orderId": .string(id)]) }
                }
            }
            var candidates: [WaveCandidate] = []
            for id in orders {
                let o = try await h.order(id)
                guard o.waveId == nil, !o.isCancelled, o.lines.contains(where: { $0.allocated > 0 }) else { continue }
                candidates.append(WaveCandidate(orderId: id, serviceLevel: o.serviceLevel, cutoff: o.cutoff, zone: "A", lines: o.lines.count,
                                                units: o.lines.reduce(0) { $0 + $1.allocated }, priority: o.priority, createdAt: o.createdAt))
            }
            for wave in WavePlanner.plan(candidates, limits: WaveLimits(maxOrders: 40)) {
                waveNumber += 1
                let waveId = "W\(waveNumber)"
                try await h.accept("CreateWave", ["waveId": .string(waveId), "orders": .array(wave.map { .string($0) })])
                try await h.accept("ReleaseWave", ["waveId": .string(waveId)])
            }
            // Work every open task, follow-ups from shorts included.
            var worked: Set<String> = []
            while true {
                var open: [String] = []
                for id in orders {
                    for t in try await h.order(id).tasks where !worked.contains(t) { open.append(t) }
                }
                let todo = Array(Set(open)).sorted()
                if todo.isEmpty { break }
                for taskId in todo {
                    worked.insert(taskId)
                    let task = try await h.task(taskId)
                    guard task.isActive else { continue }
                    try await h.accept("ClaimTask", ["taskId": .string(taskId), "operator": "op1"])
                    for line in task.lines where line.status == .open {
                        if random.next(15) == 0 {
                            try await h.accept("ShortTask", ["taskId": .string(taskId), "index": .number(Double(line.index)), "found": .number(Double(line.quantity - 1)), "operator": "op1"])
                            shorted[line.sku, default: 0] += 1
                        } else {
                            try await h.accept("ConfirmPick", ["taskId": .string(taskId), "index": .number(Double(line.index)), "quantity": .number(Double(line.quantity)),
                                                               "tote": "T1", "location": .string(line.place.location), "operator": "op1"])
                        }
                    }
                    let done = try await h.task(taskId)
                    XCTAssertEqual(done.status, .completed)
                }
            }
        }
        XCTAssertGreaterThan(shorted.values.reduce(0, +), 0, "some picks were short")

        var shipped: [String: Int] = [:]
        var cancelled = 0
        for id in orders {
            let o = try await h.order(id)
            if !o.isFullyPicked {
                // Only shorts of a SKU without other stock can leave an order waiting; cancel it.
                try await h.accept("CancelOrder", ["orderId": .string(id), "reason": "no stock"])
                cancelled += 1
                continue
            }
            let lines: [JSONValue] = o.lines.filter { $0.picked > 0 }.map { ["line": .number(Double($0.line)), "quantity": .number(Double($0.picked))] }
            let pack = try await h.accept("PackCarton", ["orderId": .string(id), "lines": .array(lines), "weightKg": 1.5])
            let cartonId = pack.events.first { $0.type == "CartonPacked" }!.stream.id
            try await h.accept("RequestLabel", ["cartonId": .string(cartonId), "carrier": "fedex", "service": "FEDEX_GROUND"])
            try await h.accept("RecordLabel", ["cartonId": .string(cartonId), "trackingNumber": .string("TRK\(id)")])
            let ship = try await h.accept("ShipCarton", ["cartonId": .string(cartonId), "door": "D1"])
            XCTAssertTrue(ship.events.contains { $0.type == "OrderShipped" }, "\(id) ships with its only carton")
            for l in o.lines { shipped[l.sku, default: 0] += l.picked }
        }

        // Every order terminal; stock = received − shipped − written off by shorts; nothing held.
        for id in orders {
            let status = try await h.order(id).status
            XCTAssertTrue(status.isTerminal, "\(id) is \(status)")
        }
        for sku in skus {
            let stock = try await h.stock(sku)
            XCTAssertEqual(stock.onHand, received[sku]! - (shipped[sku] ?? 0) - (shorted[sku] ?? 0), sku)
            XCTAssertEqual(stock.reservedTotal, 0, "\(sku): no reservation leaks")
            XCTAssertTrue(stock.reservations.isEmpty, sku)
        }
        // Every event in its topic: each stream's category is one of the core's topics.
        let page = try await h.store.readAll(after: 0, filter: .all, maxCount: 1_000_000)
        let categories = Set(page.events.map(\.stream.category))
        XCTAssertTrue(categories.isSubset(of: WarehouseStreams.categories.union(["orderref", "audit", "error", "sequence"])), "\(categories)")
        for type in ["OrderCreated", "OrderBackordered", "WaveReleased", "TaskCreated", "PickConfirmed", "PickShorted", "CartonPacked", "LabelRecorded", "ShipmentDispatched", "OrderShipped"] {
            XCTAssertTrue(page.events.contains { $0.type == type }, "\(type) was written")
        }
        let topicOf: [String: String] = ["OrderShipped": "order", "PickConfirmed": "pick", "CartonPacked": "pack", "ShipmentDispatched": "tracking", "StockPicked": "inventory", "TaskCreated": "task", "WaveReleased": "wave"]
        for e in page.events { if let c = topicOf[e.type] { XCTAssertEqual(e.stream.category, c, "\(e.type) in \(e.stream)") } }
        // The read models agree with the log, and a rebuild from the log gives the same rows.
        let head = try await h.store.headPosition()
        let caughtUp = await live.waitUntilProjected(head, timeout: .seconds(30))
        XCTAssertTrue(caughtUp)
        let liveOrders = try await live.orders(limit: 1000).rows
        XCTAssertEqual(liveOrders.count, 200)
        for o in liveOrders {
            let id = o["orderId"]!.stringValue!
            let status = try await h.order(id).status
            XCTAssertEqual(o["status"]?.stringValue, status.rawValue, id)
        }
        let atp = try await live.availableToPromise(skus: skus)
        for sku in skus {
            let folded = try await h.stock(sku).available
            XCTAssertEqual(atp[sku], folded, sku)
        }
        // Every task is done with: the queue is empty and no zone has open work.
        let queue = try await live.taskQueue(limit: 10)
        XCTAssertEqual(queue, [])
        let openWork = try await live.zones().compactMap { $0["openLines"]?.intValue }.reduce(0, +)
        XCTAssertEqual(openWork, 0)
        let shipments = try await live.shipments(status: "shipped", limit: 1000).rows.count
        XCTAssertGreaterThan(shipments, 0)
        let liveContents = try await live.contents()
        for (table, rows) in liveContents { XCTAssertFalse(rows.isEmpty, "\(table) has rows") }
        // A second set of read models built from the log alone holds the same rows, and so does
        // the live one after rebuilding one of its models in place.
        let rebuilt = try WarehouseReadModels(path: h.testStore.directory.appendingPathComponent("rebuilt.sqlite").path, store: h.store, logger: Logger(label: "test"))
        let rebuilding = Task { try await rebuilt.run() }
        let rebuiltCaughtUp = await rebuilt.waitUntilProjected(head, timeout: .seconds(30))
        XCTAssertTrue(rebuiltCaughtUp)
        rebuilding.cancel()
        let rebuiltContents = try await rebuilt.contents()
        for (table, rows) in liveContents { XCTAssertEqual(rebuiltContents[table], rows, "rebuilt \(table) equals the live one") }
        let known = try await live.rebuild("tasks")
        XCTAssertTrue(known)
        let unknown = try await live.rebuild("nope")
        XCTAssertFalse(unknown)
        let rebuiltInPlace = await live.waitUntilProjected(head, timeout: .seconds(30))
        XCTAssertTrue(rebuiltInPlace)
        let afterRebuild = try await live.contents()
        XCTAssertEqual(afterRebuild["tasks"], liveContents["tasks"], "tasks rebuilt in place equal what they were")
        print("scenario: 200 orders, \(backordered) back-ordered, \(shorted.values.reduce(0, +)) shorts, \(cancelled) cancelled, \(waveNumber) waves, \(page.events.count) events")
    }
}
