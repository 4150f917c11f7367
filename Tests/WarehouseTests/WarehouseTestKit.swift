import EventStore
import Foundation
import JSON
import StoreTestSupport
import Warehouse
import XCTest

/// A bus over a real SQLite store in a temporary directory, with helpers that run commands and
/// fail the test on a refusal the test did not expect.
final class WarehouseHarness: @unchecked Sendable {
    let testStore: TestStore
    let store: SQLiteEventStore
    let bus: CommandBus
    private var counter = 0

    init(settings: WarehouseSettings = WarehouseSettings()) throws {
        testStore = try TestStore()
        store = try testStore.open()
        bus = CommandBus(store: store, settings: settings)
    }

    func nextId(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)-\(counter)"
    }

    /// Runs `type` with `body` (a fresh command id unless the body has one).
    @discardableResult
    func run(_ type: String, _ body: JSONValue, file: StaticString = #filePath, line: UInt = #line) async throws -> CommandOutcome {
        var o = body.objectValue ?? [:]
        if o["commandId"] == nil { o["commandId"] = .string(nextId("cmd")) }
        return try await bus.execute(json: .object(o), type: type, issuedBy: "test")
    }

    /// Runs a command that must be accepted.
    @discardableResult
    func accept(_ type: String, _ body: JSONValue, file: StaticString = #filePath, line: UInt = #line) async throws -> CommandOutcome {
        let outcome = try await run(type, body)
        XCTAssertEqual(outcome.status, .accepted, "\(type) \(body): \(outcome.reasons.map(\.description))", file: file, line: line)
        return outcome
    }

    func order(_ id: String) async throws -> OrderState { try await bus.read(OrderState.self, WarehouseStreams.order(id)) }
    func stock(_ sku: String) async throws -> InventoryState { try await bus.read(InventoryState.self, WarehouseStreams.inventory(sku)) }
    func task(_ id: String) async throws -> TaskState { try await bus.read(TaskState.self, WarehouseStreams.task(id)) }
    func wave(_ id: String) async throws -> WaveState { try await bus.read(WaveState.self, WarehouseStreams.wave(id)) }

    /// Defines `skus` and a pick face per SKU (aisle and bay spread over the layout).
    func defineCatalog(skus: [String], zone: String = "A") async throws {
        for (i, sku) in skus.enumerated() {
            try await accept("DefineItem", ["sku": .string(sku)])
            try await accept("DefineLocation", ["location": .string("L-\(sku)"), "zone": .string(zone), "aisle": .number(Double(i % 10)), "bay": .number(Double((i * 7) % 40))])
        }
    }

    static func address() -> JSONValue {
        ["name": "Ada Lovelace", "address1": "1 Main St", "city": "Springfield", "postalCode": "12345", "country": "US"]
    }

    func createOrder(_ id: String, lines: [(String, Int)], policy: String? = nil, reference: String? = nil) async throws -> CommandOutcome {
        var body: [String: JSONValue] = ["orderId": .string(id), "channel": "web", "externalReference": .string(reference ?? "ext-\(id)"),
                                         "serviceLevel": "GROUND", "shipTo": Self.address(),
                                         "lines": .array(lines.map { ["sku": .string($0.0), "quantity": .number(Double($0.1))] })]
        if let policy { body["backOrderPolicy"] = .string(policy) }
        var o = JSONValue.object([:]).objectValue!
        for k in body.keys.sorted() { o[k] = body[k] }
        return try await run("CreateOrder", .object(o))
    }
}
