// CreateOrder (20 lines) with allocation on a real store with `durability: full`, commands
// issued by concurrent callers (as the API's connections or the route consumer would), and the
// lag of a subscriber that follows `order-events` at that rate, and of the read models (the
// projection lag: commit to queryable) (issue 23's figures; its goal: ≥ 2,000 orders/s, lag
// p99 ≤ 1 s).
//
//   swift run -c release WarehouseBenchmark [--orders N] [--concurrency C] [--skus S] [--read-models 0|1]
import EventStore
import Foundation
import JSON
import Logging
import Synchronization
import Warehouse
import WarehouseService

func option(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}

let orderCount = option("--orders", 6_000)
let concurrency = option("--concurrency", 64)
let skuCount = option("--skus", 5_000)
let withReadModels = option("--read-models", 1) != 0
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paklog-warehouse-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
var logger = Logger(label: "bench")
logger.logLevel = .warning
let store = try SQLiteEventStore(path: directory.appendingPathComponent("events.sqlite").path, durability: .full, logger: logger)
let bus = CommandBus(store: store, logger: logger)

func run(_ type: String, _ body: JSONValue) async throws {
    let outcome = try await bus.execute(json: body, type: type, issuedBy: "bench")
    guard outcome.status == .accepted else { fatalError("\(type) refused: \(outcome.reasons)") }
}

// Catalog and stock, concurrently (not measured).
print("setting up \(skuCount) SKUs with stock …")
try await withThrowingTaskGroup(of: Void.self) { group in
    for w in 0..<32 {
        group.addTask {
            for i in stride(from: w, to: skuCount, by: 32) {
                try await run("DefineItem", ["commandId": .string("i\(i)"), "sku": .string("S\(i)")])
                try await run("DefineLocation", ["commandId": .string("l\(i)"), "location": .string("L\(i)"), "zone": "A",
                                                 "aisle": .number(Double(i % 10)), "bay": .number(Double(i / 10 % 40))])
                try await run("ReceiveStock", ["commandId": .string("r\(i)"), "sku": .string("S\(i)"), "location": .string("L\(i)"), "quantity": 1_000_000])
            }
        }
    }
    try await group.waitForAll()
}

let setupHead = try await store.headPosition()
// The subscriber: how long after its commit each OrderCreated is seen.
let lags = Mutex<[Double]>([])
let follower = Task {
    let subscription = store.subscribe(filter: .category("order"), pageSize: 1024, startingAfter: setupHead, pollInterval: .milliseconds(5))
    var seen = 0
    for try await event in subscription where event.type == OrderState.created {
        let lag = Date().timeIntervalSince(event.recordedAt)
        lags.withLock { $0.append(lag) }
        seen += 1
        if seen == orderCount { break }
    }
}

// The read models project beside the load; every 2 ms the position they reached is sampled.
let readModels = try WarehouseReadModels(path: directory.appendingPathComponent("events.sqlite.readmodels").path, store: store, logger: logger)
let projecting = Task { if withReadModels { try await readModels.run() } }
if withReadModels { _ = await readModels.waitUntilProjected(setupHead, timeout: .seconds(120)) }
let samples = Mutex<[(at: Date, position: Int64)]>([])
let sampler = Task {
    while !Task.isCancelled {
        let position = readModels.position
        samples.withLock { $0.append((Date(), position)) }
        try? await Task.sleep(for: .milliseconds(2))
    }
}

var generator = SystemRandomNumberGenerator()
let skusPerOrder = (0..<orderCount).map { _ in (0..<20).map { _ in Int.random(in: 0..<skuCount, using: &generator) } }
let latencies = Mutex<[Double]>([])
let started = ContinuousClock.now
try await withThrowingTaskGroup(of: Void.self) { group in
    for w in 0..<concurrency {
        group.addTask {
            for n in stride(from: w, to: orderCount, by: concurrency) {
                let lines: [JSONValue] = Array(Set(skusPerOrder[n])).map { ["sku": .string("S\($0)"), "quantity": 1] }
                let t = ContinuousClock.now
                try await run("CreateOrder", ["commandId": .string("o\(n)"), "orderId": .string("O\(n)"), "channel": "bench", "externalReference": .string("ref-\(n)"),
                                              "serviceLevel": "GROUND",
                                              "shipTo": ["name": "A", "address1": "1 Main St", "city": "X", "postalCode": "1", "country": "US"],
                                              "lines": .array(lines)])
                let d = ContinuousClock.now - t
                latencies.withLock { $0.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) }
            }
        }
    }
    try await group.waitForAll()
}
let elapsed = ContinuousClock.now - started
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
try await follower.value

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}
let events = try await store.headPosition() - setupHead
print("CreateOrder + allocation, 20 lines, durability full, \(concurrency) concurrent callers, \(skuCount) SKUs:")
print(String(format: "  %d orders in %.2f s: %.0f orders/s (%.0f events/s); command latency p50 %.1f ms, p99 %.1f ms",
             orderCount, seconds, Double(orderCount) / seconds, Double(events) / seconds,
             percentile(latencies.withLock { $0 }, 0.5) * 1000, percentile(latencies.withLock { $0 }, 0.99) * 1000))
let head = try await store.headPosition()
if withReadModels { _ = await readModels.waitUntilProjected(head, timeout: .seconds(120)) }
sampler.cancel()
_ = await sampler.value
samples.withLock { $0.append((Date(), readModels.position)) }
projecting.cancel()
// Each OrderCreated's projection lag: from its commit to the first sample that covers it.
var projectionLags: [Double] = []
let projected = samples.withLock { $0 }
var after = setupHead
while withReadModels && after < head {
    let page = try await store.readAll(after: after, filter: .categories(["order"]), maxCount: 4096)
    for e in page.events where e.type == OrderState.created {
        var low = 0, high = projected.count - 1
        while low < high { let mid = (low + high) / 2; if projected[mid].position >= e.position { high = mid } else { low = mid + 1 } }
        if projected[low].position >= e.position { projectionLags.append(max(0, projected[low].at.timeIntervalSince(e.recordedAt))) }
    }
    guard page.scannedThrough > after else { break }
    after = page.scannedThrough
}
if withReadModels { print(String(format: "  read models' projection lag (commit to queryable, 7 read models): p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d orders)",
             percentile(projectionLags, 0.5) * 1000, percentile(projectionLags, 0.99) * 1000, (projectionLags.max() ?? 0) * 1000, projectionLags.count)) }
let lagValues = lags.withLock { $0 }
print(String(format: "  subscriber lag on order-events (commit to seen): p50 %.1f ms, p99 %.1f ms, max %.1f ms",
             percentile(lagValues, 0.5) * 1000, percentile(lagValues, 0.99) * 1000, lagValues.max()! * 1000))
await store.close()
