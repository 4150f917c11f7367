@testable import EventStore
import Foundation
import JSON
import Warehouse
import XCTest

/// A command that decided on another's append before that append committed (the bus lets go of
/// an aggregate once its append is queued) must not commit if the first one does not.
final class PipelinedCommitTests: XCTestCase {
    func testACommandBuiltOnAnAppendThatFailsDecidesAgainFromTheLog() async throws {
        let h = try WarehouseHarness()
        try await h.defineCatalog(skus: ["A"])
        try await h.accept("ReceiveStock", ["sku": "A", "location": "L-A", "quantity": 10])
        let stream = WarehouseStreams.inventory("A")
        _ = try await h.stock("A")  // the bus caches the stock as it is now
        // Another writer (a second process, say) takes every unit away behind the bus's back:
        // the bus's cached version is now one behind.
        let adjustment = JSONValue.object(["sku": "A", "location": "L-A", "delta": -10, "reason": "count"])
        try await h.store.append(to: stream, [NewEvent(type: InventoryState.adjusted, data: adjustment.serialized())])

        h.store.writer.hold()
        let bus = h.bus
        func order(_ id: String, _ quantity: Int) -> JSONValue {
            ["commandId": .string(id), "orderId": .string(id), "channel": "web", "externalReference": .string("ref-\(id)"), "serviceLevel": "GROUND",
             "shipTo": WarehouseHarness.address(), "lines": [["sku": "A", "quantity": .number(Double(quantity))]]]
        }
        // The first decides on the stale stock and is queued; the second decides on what the
        // first left (9 free) and is queued behind it.
        let first = Task { try await bus.execute(json: order("O1", 1), type: "CreateOrder", issuedBy: "test") }
        var queued = await waitFor { h.store.writer.queuedCount == 1 }
        XCTAssertTrue(queued)
        let second = Task { try await bus.execute(json: order("O2", 5), type: "CreateOrder", issuedBy: "test") }
        queued = await waitFor { h.store.writer.queuedCount == 2 }
        XCTAssertTrue(queued, "the second command decided while the first was queued")
        h.store.writer.release()
        let outcomes = [try await first.value, try await second.value]
        XCTAssertEqual(outcomes.map(\.status), [.accepted, .accepted])
        XCTAssertTrue(outcomes.allSatisfy { $0.attempts > 1 }, "both decided again: \(outcomes.map(\.attempts))")

        let fresh = CommandBus(store: h.store)  // folded from the log alone
        let stock = try await fresh.read(InventoryState.self, stream)
        XCTAssertEqual(stock.onHand, 0)
        XCTAssertEqual(stock.reservedTotal, 0, "nothing is reserved of stock that is not there")
        for id in ["O1", "O2"] {
            let o = try await fresh.read(OrderState.self, WarehouseStreams.order(id))
            XCTAssertEqual(o.status, .backordered, id)
        }
    }

    private func waitFor(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<2_000 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return condition()
    }
}
