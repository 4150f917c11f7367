// Messages per second through inbox -> route -> mapping -> outbox -> dispatcher for a realistic
// Shopify order webhook, on the real SQLite event store; then OrderShipped events through
// `Mappings/x12/945-from-order-shipped.yaml` as `output: x12` (each a 945 interchange whose
// ISA13/GS06 are taken from the partner's counter in the routing commit). Run in release:
//   swift run -c release MessagingBenchmark [messages] [concurrency] [full|normal]
import EventStore
import Foundation
import JSON
import Logging
import Mapping
import Messaging
import X12

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

// 4. The 945 route: OrderShipped → 945 interchange, numbered from the partner's counter in the
// same commit as the outbox message and the checkpoint.
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let shipped = try String(contentsOf: repository.appendingPathComponent("Mappings/x12/fixtures/order-shipped.json"), encoding: .utf8)
let advice = try MappingFile.load(path: repository.appendingPathComponent("Mappings/x12/945-from-order-shipped.yaml").path)
let output = X12RouteOutput(partner: "acme", envelope: X12OutboundEnvelope(senderQualifier: "ZZ", senderId: "PAKLOG", receiverQualifier: "ZZ", receiverId: "ACME3PL"))
let x12Store = try SQLiteEventStore(path: directory.appendingPathComponent("x12.sqlite").path, durability: durability, logger: logger)
let advices = RouteDefinition(name: "advices", from: .adapter("core"), steps: [.transform(MappingFileTransform(advice, x12: output)), .to([.endpoint("acme")])])
let acme = EndpointDefinition(name: "acme", endpoint: AcceptingEndpoint(), circuitBreaker: nil, maximumConcurrentDeliveries: 64)
let x12Engine = try MessagingEngine(store: x12Store, routes: [advices], endpoints: [acme], logger: logger, pollInterval: .milliseconds(5))
let x12Count = max(count / 2, 1)
try await withThrowingTaskGroup(of: Void.self) { group in
    for worker in 0..<concurrency {
        group.addTask {
            for n in stride(from: worker, to: x12Count, by: concurrency) {
                _ = try await x12Engine.inbox.accept(Envelope(source: "core", headers: ["content-type": "application/json"],
                                                              body: Array(shipped.replacingOccurrences(of: "ORD-1001", with: "ORD-\(n)").utf8),
                                                              idempotencyKey: "shipped-\(n)"))
            }
        }
    }
    try await group.waitForAll()
}
let x12Head = try await x12Store.headPosition()
let t3 = ContinuousClock.now
let x12Running = Task { try await x12Engine.run() }
while try await x12Store.loadCheckpoint(advices.checkpointName) ?? 0 < x12Head { try await Task.sleep(for: .milliseconds(2)) }
let x12Routed = t3.duration(to: .now)
x12Running.cancel()
try await x12Running.value
let counter = try await x12Store.loadCursor("x12-outbound-acme").map { String(decoding: $0.value, as: UTF8.self) } ?? "none"
await x12Store.close()
let seconds = Double(x12Routed.components.seconds) + Double(x12Routed.components.attoseconds) / 1e18
print(String(format: "945 route (map, encode, validate, number, queue): %.2f s, %.0f interchanges/s", seconds, Double(x12Count) / seconds)
      + " (\(x12Count); counter \(counter))")
