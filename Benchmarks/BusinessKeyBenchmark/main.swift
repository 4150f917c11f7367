// "Where is it?" at a million events: fills a store with realistic exchanges (a Shopify webhook
// received, the route's canonical order, the delivery queued, a failed attempt for one in ten,
// the delivery, and later the shipment by another command), indexes the log with
// `BusinessKeyIndex` and times lookups of random keys of every kind.
//
//   swift run BusinessKeyBenchmark [events]      (default 1,000,000; goal: lookup p99 ≤ 50 ms)
import BusinessKeys
import EventStore
import Foundation
import JSON
import Logging
import Messaging

let target = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 1_000_000
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paklog-keys-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let logger = Logger(label: "bench")
let store = try SQLiteEventStore(path: directory.appendingPathComponent("events.sqlite").path, durability: .normal, logger: logger)

/// One exchange's appends, as the engine writes them (its own event types and encoders).
func exchange(_ n: Int) -> (AppendTransaction, events: Int) {
    let body = ##"{"id":\##(5_000_000 + n),"order_number":\##(n),"name":"#\##(n)","email":"buyer\##(n)@example.com","currency":"EUR","total_price":"42.00","line_items":[{"sku":"MUG-\##(n % 97)","title":"Mug","quantity":\##(1 + n % 3),"price":"14.00","grams":350,"requires_shipping":true},{"sku":"TEE-\##(n % 31)","title":"Tee","quantity":1,"price":"14.00","grams":200,"requires_shipping":true}],"shipping_address":{"name":"Buyer \##(n)","address1":"Main Street \##(n % 200)","city":"Berlin","zip":"10115","country_code":"DE"}}"##
    let envelope = Envelope(source: "orders", headers: ["webhook-id": "msg_\(n)", "webhook-timestamp": "1764810000", "content-type": "application/json"],
                            body: Array(body.utf8), receivedAt: Date(), idempotencyKey: "msg_\(n)")
    let correlation = envelope.id.uuidString.lowercased()
    let orderId = "SHOP-\(n)"
    let canonical: JSONValue = ["orderId": .string(orderId), "externalRef": .string("#\(n)"), "serviceLevel": "GROUND",
                                "lines": .array([["lineNo": 1, "sku": .string("MUG-\(n % 97)"), "quantity": .number(Double(1 + n % 3))]])]
    let message = OutboxMessage(id: UUID(), endpoint: "receiver", route: "orders", causationId: envelope.id, correlationId: correlation,
                                body: canonical, mappingName: "order-to-canonical", mappingVersion: "1", enqueuedAt: Date())
    var outbox = [OutboxEvent.queued(message).newEvent()]
    if n % 10 == 0 {
        outbox.append(OutboxEvent.attemptFailed(DeliveryAttempt(messageId: message.id, attempt: 1, at: Date(), error: "HTTP 503", statusCode: 503,
                                                                retryable: true, nextAttemptAt: Date())).newEvent())
    }
    outbox.append(OutboxEvent.delivered(messageId: message.id, attempt: outbox.count, at: Date(), statusCode: 200, latencyMilliseconds: 9).newEvent())
    let order = NewEvent(type: "OrderCreated", data: canonical.serialized(),
                         metadata: EventMetadata(correlationId: correlation, causationId: correlation, source: "route:orders", extra: ["route": "orders"]))
    let shipped = NewEvent(type: "OrderShipped", data: ##"{"orderId":"\##(orderId)","cartonId":"C-\##(n)","trackingNumber":"1Z999AA1\##(n)"}"##.utf8.map { $0 },
                           metadata: EventMetadata(correlationId: "cmd-ship-\(n)", causationId: "cmd-ship-\(n)", source: "api"))
    let transaction = AppendTransaction(appends: [
        StreamAppend(stream: EnvelopeEvent.stream(forSource: "orders"), events: [EnvelopeEvent.encode(envelope)]),
        StreamAppend(stream: StreamName("order-\(orderId)"), events: [order]),
        StreamAppend(stream: OutboxEvent.stream(forEndpoint: "receiver"), events: outbox),
        StreamAppend(stream: StreamName("order-\(orderId)"), events: [shipped]),
    ])
    return (transaction, 3 + outbox.count)
}

// Fill: concurrent appenders share commits (group commit).
let fillStart = ContinuousClock.now
var exchanges = 0, written = 0
while written < target {
    let batch = (exchanges..<(exchanges + 256)).map(exchange)
    try await withThrowingTaskGroup(of: Void.self) { group in
        for (transaction, _) in batch { group.addTask { _ = try await store.append(transaction) } }
        try await group.waitForAll()
    }
    exchanges += batch.count
    written += batch.reduce(0) { $0 + $1.events }
}
let head = try await store.headPosition()
let fillSeconds = (ContinuousClock.now - fillStart).seconds
print("filled \(head) events (\(exchanges) exchanges) in \(String(format: "%.1f", fillSeconds)) s")

// Index from position 0.
let index = try BusinessKeyIndex(path: directory.appendingPathComponent("events.sqlite.keys").path, store: store, logger: logger)
let indexStart = ContinuousClock.now
let follower = Task { try await index.run() }
guard try await index.waitUntilIndexed(through: head, timeout: .seconds(3600)) else { fatalError("the index did not catch up") }
let indexSeconds = (ContinuousClock.now - indexStart).seconds
print("indexed \(head) events in \(String(format: "%.1f", indexSeconds)) s: \(Int(Double(head) / indexSeconds)) events/s")

// Lookups of random keys of each kind.
var generator = SystemRandomNumberGenerator()
for (label, key) in [("webhook-id", { (n: Int) in "msg_\(n)" }), ("order number", { "\($0)" }), ("canonical order id", { "SHOP-\($0)" }),
                     ("Shopify order id", { "\(5_000_000 + $0)" }), ("tracking number", { "1Z999AA1\($0)" })] {
    var latencies: [Double] = []
    var entries = 0
    for _ in 0..<500 {
        let n = Int.random(in: 0..<exchanges, using: &generator)
        let start = ContinuousClock.now
        let timeline = try await index.lookup(key(n))
        latencies.append((ContinuousClock.now - start).seconds * 1000)
        entries += timeline.entries.count
        if timeline.entries.count < 5 { fatalError("\(label) \(key(n)): \(timeline.entries.count) entries, expected the whole exchange") }
    }
    latencies.sort()
    func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
    print("lookup by \(label): p50 \(String(format: "%.2f", percentile(0.5))) ms, p99 \(String(format: "%.2f", percentile(0.99))) ms, "
          + "\(String(format: "%.1f", Double(entries) / 500)) events per timeline (goal p99 ≤ 50 ms)")
}
follower.cancel()
_ = await follower.result
await store.close()

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
