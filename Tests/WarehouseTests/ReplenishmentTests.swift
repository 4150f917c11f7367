import EventStore
import JSON
import Warehouse
import XCTest

/// Replenishment tasks: a pick face with nothing free gets stock from reserve.
final class ReplenishmentTests: XCTestCase {
    func testAnEmptiedPickFaceIsReplenishedFromReserveOnce() async throws {
        let h = try WarehouseHarness()
        try await h.accept("DefineItem", ["sku": "R"])
        try await h.accept("DefineLocation", ["location": "PF", "zone": "A", "aisle": 1, "bay": 1])
        try await h.accept("DefineLocation", ["location": "RS1", "zone": "A", "aisle": 1, "bay": 2, "level": 3, "kind": "reserve"])
        try await h.accept("DefineLocation", ["location": "RS2", "zone": "A", "aisle": 2, "bay": 2, "level": 3, "kind": "reserve"])
        try await h.accept("ReceiveStock", ["sku": "R", "location": "PF", "quantity": 5])
        try await h.accept("ReceiveStock", ["sku": "R", "location": "RS1", "quantity": 40])
        try await h.accept("ReceiveStock", ["sku": "R", "location": "RS2", "quantity": 30])
        _ = try await h.createOrder("O1", lines: [("R", 5)])
        try await h.accept("CreateWave", ["waveId": "W1", "orders": ["O1"]])
        try await h.accept("ReleaseWave", ["waveId": "W1"])
        let pick = try await h.wave("W1").tasks[0]
        let pickTask = try await h.task(pick)
        XCTAssertEqual(pickTask.lines.map(\.place.location), ["PF"], "FIFO takes the oldest stock, at the face")

        // The pick takes the face's last free unit: a replenishment from the oldest reserve.
        try await h.accept("CompleteTask", ["taskId": .string(pick)])
        var stock = try await h.stock("R")
        let replenishment = try XCTUnwrap(stock.replenishments["PF"])
        let task = try await h.task(replenishment)
        XCTAssertEqual(task.kind, .replenishment)
        XCTAssertEqual(task.replenishTo, "PF")
        XCTAssertEqual(task.status, .open)
        XCTAssertEqual(task.lines.map(\.place.location), ["RS1"])
        XCTAssertEqual(task.lines.map(\.quantity), [40])
        XCTAssertGreaterThan(task.priority, 0)

        // A replenishment is not picked line by line, and a second empty pick does not ask twice.
        let refused = try await h.run("ConfirmPick", ["taskId": .string(replenishment), "index": 0, "quantity": 40])
        XCTAssertEqual(refused.reasons.map(\.code), ["invalid-state"])
        let tasksBefore = try await h.store.readAll(after: 0, filter: .categories(["task"]), maxCount: 1000).events.filter { $0.type == TaskState.created }.count

        // Part of the reserve is allocated before the driver gets there: only what is free moves.
        _ = try await h.createOrder("O2", lines: [("R", 15)])
        try await h.accept("ClaimTask", ["taskId": .string(replenishment), "operator": "reach-1"])
        try await h.accept("CompleteTask", ["taskId": .string(replenishment), "operator": "reach-1"])
        stock = try await h.stock("R")
        let reservedAtRS1 = stock.balances[StockPlace(location: "RS1", lot: nil)]?.reserved ?? 0
        XCTAssertEqual(stock.balances[StockPlace(location: "PF", lot: nil)]?.onHand, 40 - reservedAtRS1)
        XCTAssertEqual(stock.balances[StockPlace(location: "RS1", lot: nil)]?.onHand, reservedAtRS1)
        XCTAssertNil(stock.replenishments["PF"], "the face may be replenished again")
        XCTAssertEqual(stock.onHand, 70, "a move changes no total")
        let done = try await h.task(replenishment)
        XCTAssertEqual(done.status, .completed)
        let tasksAfter = try await h.store.readAll(after: 0, filter: .categories(["task"]), maxCount: 1000).events.filter { $0.type == TaskState.created }.count
        XCTAssertEqual(tasksAfter, tasksBefore, "no other replenishment was created meanwhile")
    }

    func testAFaceWithoutReserveStockIsNotReplenished() async throws {
        let h = try WarehouseHarness()
        try await h.defineCatalog(skus: ["A"])
        try await h.accept("ReceiveStock", ["sku": "A", "location": "L-A", "quantity": 3])
        _ = try await h.createOrder("O1", lines: [("A", 3)])
        try await h.accept("CreateWave", ["waveId": "W1", "orders": ["O1"]])
        try await h.accept("ReleaseWave", ["waveId": "W1"])
        try await h.accept("CompleteTask", ["taskId": .string(try await h.wave("W1").tasks[0])])
        let stock = try await h.stock("A")
        XCTAssertEqual(stock.replenishments, [:])
    }
}
