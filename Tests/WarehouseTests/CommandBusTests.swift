import EventStore
import Foundation
import JSON
import Warehouse
import XCTest

final class CommandBusTests: XCTestCase {
    func testEveryValidationReasonAtOnceAndOnErrorEvents() async throws {
        let h = try WarehouseHarness()
        try await h.defineCatalog(skus: ["A"])
        let outcome = try await h.run("CreateOrder", [
            "commandId": "c1", "orderId": "O1", "channel": "web", "serviceLevel": "GROUND",
            "shipTo": ["name": "X", "city": "Springfield", "country": "USA"],
            "lines": [["sku": "A", "quantity": 0], ["sku": "NOPE", "quantity": 2], ["line": 1, "sku": "A", "quantity": 1.5]],
        ])
        XCTAssertEqual(outcome.status, .rejected)
        let paths = Set(outcome.reasons.map(\.path))
        XCTAssertEqual(paths, ["externalReference", "shipTo.address1", "shipTo.postalCode", "shipTo.country", "lines[0].quantity", "lines[1].sku", "lines[2].line", "lines[2].quantity"],
                       outcome.reasons.map(\.description).joined(separator: "\n"))
        let errors = try await h.store.readStream(WarehouseStreams.rejections, from: 0, direction: .forward, maxCount: 10)
        XCTAssertEqual(errors.map(\.type), ["OrderRejected"])
        let data = try JSONValue(parsing: errors[0].data)
        XCTAssertEqual(data["reasons"]?.arrayValue?.count, outcome.reasons.count)
        XCTAssertEqual(data["orderId"], "O1")
        // The same command again is a duplicate, not a second refusal.
        let again = try await h.run("CreateOrder", ["commandId": "c1", "orderId": "O1"])
        XCTAssertEqual(again.status, .duplicate)
        let version = try await h.store.streamVersion(WarehouseStreams.rejections)
        XCTAssertEqual(version, 0)
    }

    func testIdsThatNameTopicsOrRouteStreamsAreRefused() async throws {
        let h = try WarehouseHarness()
        let item = try await h.run("DefineItem", ["sku": "events"])
        XCTAssertEqual(item.reasons.map(\.path), ["sku"])
        let location = try await h.run("DefineLocation", ["location": "route.inbound", "zone": "A", "aisle": 0, "bay": 0])
        XCTAssertEqual(location.reasons.map(\.path), ["location"])
        try await h.defineCatalog(skus: ["A"])
        let order = try await h.createOrder("route.orders", lines: [("A", 1)])
        XCTAssertEqual(order.status, .rejected)
        XCTAssertTrue(order.reasons.contains { $0.path == "orderId" && $0.message.contains("route.") }, "\(order.reasons)")
    }

    func testARedeliveredCommandChangesNothing() async throws {
        let h = try WarehouseHarness()
        try await h.defineCatalog(skus: ["A"])
        try await h.accept("ReceiveStock", ["commandId": "r1", "sku": "A", "location": "L-A", "quantity": 5])
        let again = try await h.run("ReceiveStock", ["commandId": "r1", "sku": "A", "location": "L-A", "quantity": 5])
        XCTAssertEqual(again.status, .duplicate)
        let onHand = try await h.stock("A").onHand
        XCTAssertEqual(onHand, 5)
        // A fresh bus (a restart) agrees: the state is folded from the log.
        let fresh = CommandBus(store: h.store)
        let folded = try await fresh.read(InventoryState.self, WarehouseStreams.inventory("A")).onHand
        XCTAssertEqual(folded, 5)
    }

    func testDuplicateExternalReferenceIsRefused() async throws {
        let h = try WarehouseHarness()
        try await h.defineCatalog(skus: ["A"])
        let first = try await h.createOrder("O1", lines: [("A", 1)], reference: "shop-1001")
        XCTAssertEqual(first.status, .accepted)
        let second = try await h.createOrder("O2", lines: [("A", 1)], reference: "shop-1001")
        XCTAssertEqual(second.status, .rejected)
        XCTAssertEqual(second.reasons.map(\.code), ["duplicate-reference"])
        let o2 = try await h.order("O2")
        XCTAssertFalse(o2.exists)
    }

    func testFEFOAllocatesTheEarliestExpiryAndSkipsExpiredLots() async throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let h = try WarehouseHarnessWithClock(now: now)
        try await h.accept("DefineItem", ["sku": "MILK", "lotControlled": true, "expiryControlled": true, "gtin": "4006381333931"])
        for loc in ["L1", "L2", "L3"] { try await h.accept("DefineLocation", ["location": .string(loc), "zone": "C", "aisle": 1, "bay": 2]) }
        try await h.accept("ReceiveStock", ["sku": "MILK", "location": "L1", "lot": "late", "expiry": "2027-03-01", "quantity": 10])
        try await h.accept("ReceiveStock", ["sku": "MILK", "location": "L2", "lot": "early", "expiry": "2027-02-01", "quantity": 4])
        try await h.accept("ReceiveStock", ["sku": "MILK", "location": "L3", "lot": "gone", "expiry": "2026-01-01", "quantity": 50])
        let missingLot = try await h.run("ReceiveStock", ["sku": "MILK", "location": "L1", "quantity": 1])
        XCTAssertEqual(Set(missingLot.reasons.map(\.path)), ["lot", "expiry"])
        let milk = try await h.createOrder("O1", lines: [("MILK", 6)])
        XCTAssertEqual(milk.status, .accepted)
        let stock = try await h.stock("MILK")
        XCTAssertEqual(stock.reservations(order: "O1", line: 1).map { "\($0.place.lot!):\($0.quantity)" }.sorted(), ["early:4", "late:2"])
        let badGTIN = try await h.run("DefineItem", ["sku": "X", "gtin": "4006381333932"])
        XCTAssertEqual(badGTIN.reasons.map(\.code), ["invalid-gtin"])
    }

    func testSixteenConcurrentWritersNeitherLoseNorDuplicateReservations() async throws {
        let h = try WarehouseHarness()
        try await h.defineCatalog(skus: ["A", "B", "C"])
        for sku in ["A", "B", "C"] { try await h.accept("ReceiveStock", ["sku": .string(sku), "location": .string("L-\(sku)"), "quantity": 100]) }
        let bus = h.bus
        // 16 writers × 20 orders want 320 of each SKU; there are 100.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<16 {
                group.addTask {
                    for n in 0..<20 {
                        let outcome = try await bus.execute(json: [
                            "commandId": .string("w\(w)-\(n)"), "orderId": .string("O\(w)-\(n)"), "channel": "web", "externalReference": .string("r\(w)-\(n)"),
                            "serviceLevel": "GROUND", "shipTo": WarehouseHarness.address(),
                            "lines": [["sku": "A", "quantity": 1], ["sku": "B", "quantity": 1], ["sku": "C", "quantity": 1]],
                        ], type: "CreateOrder", issuedBy: "writer-\(w)")
                        XCTAssertEqual(outcome.status, .accepted, "\(outcome.reasons)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let fresh = CommandBus(store: h.store)  // folded from the log, not the writers' cache
        var allocatedByOrders: [String: Int] = [:]
        for w in 0..<16 {
            for n in 0..<20 {
                for l in try await fresh.read(OrderState.self, WarehouseStreams.order("O\(w)-\(n)")).lines { allocatedByOrders[l.sku, default: 0] += l.allocated }
            }
        }
        for sku in ["A", "B", "C"] {
            let stock = try await fresh.read(InventoryState.self, WarehouseStreams.inventory(sku))
            XCTAssertEqual(stock.reservedTotal, 100, "\(sku): every unit reserved once")
            XCTAssertEqual(allocatedByOrders[sku], 100, "\(sku): orders hold exactly what stock says")
            XCTAssertEqual(stock.reservations.values.flatMap { $0 }.reduce(0) { $0 + $1.quantity }, 100)
        }
    }

    func testTwoOperatorsClaimingOneTaskOneWins() async throws {
        let h = try WarehouseHarness()
        try await h.defineCatalog(skus: ["A"])
        try await h.accept("ReceiveStock", ["sku": "A", "location": "L-A", "quantity": 10])
        _ = try await h.createOrder("O1", lines: [("A", 2)])
        try await h.accept("CreateWave", ["waveId": "W1", "orders": ["O1"]])
        try await h.accept("ReleaseWave", ["waveId": "W1"])
        let taskId = try await h.wave("W1").tasks[0]
        let bus = h.bus
        async let first = bus.execute(json: ["commandId": "claim-ann", "taskId": .string(taskId), "operator": "ann"], type: "ClaimTask", issuedBy: "ann")
        async let second = bus.execute(json: ["commandId": "claim-bob", "taskId": .string(taskId), "operator": "bob"], type: "ClaimTask", issuedBy: "bob")
        let outcomes = try await [first, second]
        XCTAssertEqual(outcomes.filter { $0.status == .accepted }.count, 1)
        let loser = outcomes.first { $0.status == .rejected }!
        XCTAssertEqual(loser.reasons.map(\.code), ["conflict"])
        let holder = try await h.task(taskId).claimedBy!
        XCTAssertTrue(loser.reasons[0].message.contains("claimed by '\(holder)'"))
    }

    func testCancellingMidWaveReleasesReservationsCancelsOpenTasksAndReturnsPicks() async throws {
        let h = try WarehouseHarness()
        try await h.defineCatalog(skus: ["A", "B"])
        for sku in ["A", "B"] { try await h.accept("ReceiveStock", ["sku": .string(sku), "location": .string("L-\(sku)"), "quantity": 10]) }
        _ = try await h.createOrder("O1", lines: [("A", 3), ("B", 2)])
        _ = try await h.createOrder("O2", lines: [("A", 1)])
        try await h.accept("CreateWave", ["waveId": "W1", "orders": ["O1", "O2"]])
        try await h.accept("ReleaseWave", ["waveId": "W1"])
        let taskId = try await h.wave("W1").tasks[0]
        let task = try await h.task(taskId)
        let firstOfO1 = task.lines.first { $0.orderId == "O1" }!
        try await h.accept("ConfirmPick", ["taskId": .string(taskId), "index": .number(Double(firstOfO1.index)), "quantity": .number(Double(firstOfO1.quantity))])
        try await h.accept("CancelOrder", ["orderId": "O1", "reason": "customer changed their mind"])
        let o1 = try await h.order("O1")
        XCTAssertEqual(o1.status, .cancelled)
        let after = try await h.task(taskId)
        XCTAssertTrue(after.lines.filter { $0.orderId == "O1" && $0.index != firstOfO1.index }.allSatisfy { $0.status == .cancelled })
        XCTAssertTrue(after.lines.filter { $0.orderId == "O2" }.allSatisfy { $0.status == .open }, "the other order's lines stay")
        let stockA = try await h.stock("A"), stockB = try await h.stock("B")
        XCTAssertEqual(stockA.reservations(order: "O1", line: 1), [])
        XCTAssertEqual(stockB.reservedTotal, 0)
        XCTAssertEqual(stockA.reservedTotal, 1, "O2 still holds its unit")
        XCTAssertEqual(stockA.onHand + stockB.onHand, 20, "the picked units went back to their location")
        let refused = try await h.run("ConfirmPick", ["taskId": .string(taskId), "index": .number(Double(after.lines.first { $0.orderId == "O1" && $0.status == .cancelled }!.index)), "quantity": 1])
        XCTAssertEqual(refused.reasons.first?.code, "invalid-state")
    }
}

/// A harness whose bus sees a fixed time.
final class WarehouseHarnessWithClock: @unchecked Sendable {
    let inner: WarehouseHarness
    let bus: CommandBus
    init(now: Date) throws {
        inner = try WarehouseHarness()
        bus = CommandBus(store: inner.store, clock: { now })
    }
    @discardableResult
    func run(_ type: String, _ body: JSONValue) async throws -> CommandOutcome {
        var o = body.objectValue ?? [:]
        if o["commandId"] == nil { o["commandId"] = .string(UUID().uuidString) }
        return try await bus.execute(json: .object(o), type: type, issuedBy: "test")
    }
    @discardableResult
    func accept(_ type: String, _ body: JSONValue, file: StaticString = #filePath, line: UInt = #line) async throws -> CommandOutcome {
        let outcome = try await run(type, body)
        XCTAssertEqual(outcome.status, .accepted, "\(type): \(outcome.reasons.map(\.description))", file: file, line: line)
        return outcome
    }
    func createOrder(_ id: String, lines: [(String, Int)]) async throws -> CommandOutcome {
        try await run("CreateOrder", ["orderId": .string(id), "channel": "web", "externalReference": .string("x-\(id)"), "serviceLevel": "GROUND",
                                      "shipTo": WarehouseHarness.address(), "lines": .array(lines.map { ["sku": .string($0.0), "quantity": .number(Double($0.1))] })])
    }
    func stock(_ sku: String) async throws -> InventoryState { try await bus.read(InventoryState.self, WarehouseStreams.inventory(sku)) }
}
