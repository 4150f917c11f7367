// Messages per second through inbox -> route -> mapping -> outbox -> dispatcher for a realistic
// Shopify order webhook, on the real SQLite event store. Run in release:
//   swift run -c release MessagingBenchmark [messages] [concurrency] [full|normal]
import EventStore
import Foundation
import JSON
import Logging
import Mapping
import Messaging

let arguments = CommandLine.arguments
let count = arguments.count > 1 ? Int(arguments[1]) ?? 10_000 : 10_000
let concurrency = arguments.count > 2 ? Int(arguments[2]) ?? 64 : 64
let durability = arguments.count > 3 ? Durability(rawValue: arguments[3]) ?? .full : .full

/// The mapping a Shopify order goes through on its way to the WMS.
struct OrderMapping: MessageTransform {
    let mappingName = "shopify-order-to-wms"
    let mappingVersion = "1"
    let expression = try! JSONataExpression("""
        {
          "orderNo": name,
          "externalId": $string(id),
          "placedAt": created_at,
          "customer": { "name": customer.first_name & " " & customer.last_name, "email": email },
          "shipTo": {
            "name": shipping_address.name, "line1": shipping_address.address1, "city": shipping_address.city,
            "zip": shipping_address.zip, "country": shipping_address.country_code
          },
          "lines": [line_items.{ "sku": sku, "qty": quantity, "unitPrice": $number(price) }],
          "total": $number(total_price),
          "priority": shipping_lines[0].code = "express" ? "high" : "normal"
        }
        """)
    func apply(_ input: JSONValue) throws -> JSONValue? { try expression.evaluate(input) }
}

/// Accepts every delivery at once: the benchmark measures the engine, not a partner.
struct AcceptingEndpoint: Endpoint {
    func deliver(_ message: OutboxMessage) async throws -> DeliveryOutcome { .delivered(statusCode: 200) }
}

func order(_ n: Int) -> [UInt8] {
    let lines = (1...5).map { i in
        #"{"id":\#(n * 10 + i),"sku":"SKU-\#(i)","title":"Widget \#(i)","quantity":\#(i),"price":"\#(i).99","grams":250}"#
    }.joined(separator: ",")
    return Array(("""
    {"id":\(4_500_000_000 + n),"name":"#\(1000 + n)","email":"buyer\(n)@example.com","created_at":"2026-11-25T10:00:00Z",\
    "total_price":"123.45","currency":"USD","customer":{"id":\(n),"first_name":"Ada","last_name":"Lovelace"},\
    "shipping_address":{"name":"Ada Lovelace","address1":"1 Main St","city":"Springfield","zip":"12345","country_code":"US"},\
    "shipping_lines":[{"code":"express","price":"10.00"}],"line_items":[\(lines)]}
    """).utf8)
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paklog-messaging-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
var logger = Logger(label: "bench")
logger.logLevel = .warning
let store = try SQLiteEventStore(path: directory.appendingPathComponent("events.sqlite").path, durability: durability, logger: logger)
let route = RouteDefinition(name: "orders", from: .adapter("shopify"),
                            when: try RouteExpression("headers.`X-Shopify-Topic` = 'orders/create'"),
                            steps: [.transform(OrderMapping()), .to([.endpoint("wms")])])
let wms = EndpointDefinition(name: "wms", endpoint: AcceptingEndpoint(), circuitBreaker: nil, maximumConcurrentDeliveries: 64)
let engine = try MessagingEngine(store: store, routes: [route], endpoints: [wms], logger: logger, pollInterval: .milliseconds(5))
let bodies = (0..<count).map(order)

print("messages: \(count), concurrent accepters: \(concurrency), durability: \(durability.rawValue), body: \(bodies[0].count) bytes")

// 1. Inbox: durable acceptance (what a webhook waits for before answering 200).
let t0 = ContinuousClock.now
try await withThrowingTaskGroup(of: Void.self) { group in
    for worker in 0..<concurrency {
        group.addTask {
            for n in stride(from: worker, to: count, by: concurrency) {
                _ = try await engine.inbox.accept(Envelope(source: "shopify", headers: ["X-Shopify-Topic": "orders/create"], body: bodies[n],
                                                           idempotencyKey: "webhook-\(n)"))
            }
        }
    }
    try await group.waitForAll()
}
let accepted = t0.duration(to: .now)

// 2 + 3. Route (filter, JSONata mapping, outbox, checkpoint in one commit) and dispatch.
let inboxHead = try await store.headPosition()
let t1 = ContinuousClock.now
let running = Task { try await engine.run() }
var routed: Duration?
while true {
    if routed == nil, try await store.loadCheckpoint(route.checkpointName) ?? 0 >= inboxHead { routed = t1.duration(to: .now) }
    if let s = engine.dispatcherStatus(endpoint: "wms"), s.loaded, s.delivered == count { break }
    try await Task.sleep(for: .milliseconds(2))
}
let delivered = t1.duration(to: .now)
running.cancel()
try await running.value
await store.close()

func rate(_ d: Duration) -> String {
    let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    return String(format: "%.2f s, %.0f messages/s", seconds, Double(count) / seconds)
}
// For attribution: the same work without the store — parse the body, evaluate the mapping,
// encode the outbox event.
let mapping = OrderMapping()
let t2 = ContinuousClock.now
for body in bodies {
    let mapped = try mapping.apply(try JSONValue(parsing: body))!
    _ = OutboxEvent.queued(OutboxMessage(id: UUID(), endpoint: "wms", body: mapped, enqueuedAt: Date())).newEvent()
}
let cpuOnly = t2.duration(to: .now)

print("inbox accept:               \(rate(accepted))")
print("route+mapping+outbox:       \(rate(routed ?? delivered))")
print("route+outbox+delivered:     \(rate(delivered))")
print("end to end (accept..deliv): \(rate(accepted + delivered))")
print("parse+map+encode only:      \(rate(cpuOnly)) (one core, no store)")
