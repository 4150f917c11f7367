import EventStore
import Foundation
import JSON
import Logging
import Warehouse
import WarehouseService
import XCTest

/// The wave creator and releaser over the read models, as the scheduler runs it.
final class WaveSchedulerTests: XCTestCase {
    func testAllocatedOrdersAreWavedByZoneAndReleasedOnceEvenWhenTheRunRepeats() async throws {
        let h = try WarehouseHarness()
        let models = try WarehouseReadModels(path: h.testStore.directory.appendingPathComponent("rm.sqlite").path, store: h.store, logger: Logger(label: "test"))
        let projecting = Task { try await models.run() }
        defer { projecting.cancel() }
        try await h.defineCatalog(skus: ["A1", "A2"], zone: "A")
        try await h.defineCatalog(skus: ["B1"], zone: "B")
        for sku in ["A1", "A2", "B1"] { try await h.accept("ReceiveStock", ["sku": .string(sku), "location": .string("L-\(sku)"), "quantity": 100]) }
        for n in 1...5 { try await h.createOrder("OA\(n)", lines: [("A1", 2), ("A2", 1)]) }
        for n in 1...3 { try await h.createOrder("OB\(n)", lines: [("B1", 4)]) }
        try await h.createOrder("OX", lines: [("A1", 1_000)])  // back-ordered: not waved
        let scheduler = WaveScheduler(bus: h.bus, readModels: models,
                                      settings: WaveScheduleSettings(every: .seconds(60), release: true, limits: WaveLimits(maxOrders: 4)),
                                      logger: Logger(label: "test"))

        let first = try await scheduler.run(runId: "T1", release: true)
        XCTAssertEqual(first.created.map(\.status), [.accepted, .accepted, .accepted], "\(first.created.map(\.reasons))")
        XCTAssertEqual(first.released.map(\.status), [.accepted, .accepted, .accepted])
        var zoneOfWave: [String: Set<String>] = [:]
        for n in 1...3 {
            let wave = try await h.wave("WT1-\(n)")
            XCTAssertEqual(wave.status, .released)
            XCTAssertLessThanOrEqual(wave.orders.count, 4)
            zoneOfWave["WT1-\(n)"] = Set(wave.orders.map { $0.hasPrefix("OA") ? "A" : "B" })
        }
        XCTAssertTrue(zoneOfWave.values.allSatisfy { $0.count == 1 }, "one zone per wave: \(zoneOfWave)")
        for id in ["OA1", "OA5", "OB3"] {
            let order = try await h.order(id)
            XCTAssertEqual(order.status, .picking, id)
        }
        let backordered = try await h.order("OX")
        XCTAssertNil(backordered.waveId)

        // The same slot fired again after a crash: the same command ids, nothing new.
        let head = try await h.store.headPosition()
        let again = try await scheduler.run(runId: "T1", release: true)
        XCTAssertTrue(again.created.allSatisfy { $0.status == .duplicate }, "\(again.created.map(\.status))")
        XCTAssertEqual(again.released.count, 0, "no wave is left to release")
        let headAfter = try await h.store.headPosition()
        XCTAssertEqual(headAfter, head, "a repeated run writes nothing")

        // Created but not released: a manual release setting leaves the wave for ReleaseWave.
        try await h.createOrder("OB4", lines: [("B1", 1)])
        let manual = try await scheduler.run(runId: "T2", release: false)
        XCTAssertEqual(manual.created.map(\.status), [.accepted])
        let waiting = try await h.wave("WT2-1")
        XCTAssertEqual(waiting.status, .created)
        let queue = try await models.taskQueue(zone: "B", limit: 10)
        XCTAssertFalse(queue.isEmpty, "zone B has tasks to pick")
    }
}
