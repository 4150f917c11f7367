import EventStore
import Foundation
import JSON
import Messaging

/// One Shopify order's exchange as the engine writes it, with the engine's own event types: the
/// webhook received, the route's canonical order, the delivery queued, one failed attempt and
/// the delivery; later a shipment by another command (another correlation id).
struct ShopifyFlow {
    let number: Int
    let envelope: Envelope
    let message: OutboxMessage
    var webhookId: String { "msg_\(number)" }
    var orderId: String { "SHOP-\(number)" }
    var shopifyId: Int { 5_000_000 + number }
    var tracking: String { "1Z999AA1\(number)" }

    init(number: Int) {
        self.number = number
        let body = ##"{"id":\##(5_000_000 + number),"order_number":\##(number),"name":"#\##(number)","email":"a@example.com","line_items":[{"sku":"MUG","quantity":1}]}"##
        envelope = Envelope(source: "orders", headers: ["webhook-id": "msg_\(number)", "content-type": "application/json"],
                            body: Array(body.utf8), receivedAt: Date(), idempotencyKey: "msg_\(number)")
        let correlation = envelope.id.uuidString.lowercased()
        message = OutboxMessage(id: UUID(), endpoint: "receiver", route: "orders-to-receiver", causationId: envelope.id, correlationId: correlation,
                                body: ["orderId": .string("SHOP-\(number)"), "lines": .array([])], mappingName: "order-to-canonical",
                                mappingVersion: "1", enqueuedAt: Date())
    }

    /// Appends the received envelope, the route's order event, the queued delivery, a failed
    /// attempt and the delivery.
    func appendReceiptAndDelivery(to store: any EventStore) async throws {
        let correlation = envelope.id.uuidString.lowercased()
        try await store.append(to: EnvelopeEvent.stream(forSource: "orders"), [EnvelopeEvent.encode(envelope)])
        // The route writes the canonical order to its own stream of the topic, as RouteProcessor does.
        try await store.append(to: Topic(category: "order")!.writerStream(route: "orders-to-receiver"), [
            NewEvent(type: "OrderReceived", data: ##"{"orderId":"\##(orderId)","externalRef":"#\##(number)"}"##.utf8.map { $0 },
                     metadata: EventMetadata(correlationId: correlation, causationId: correlation, source: "orders-to-receiver",
                                             extra: ["route": "orders-to-receiver", "mappingVersion": "1"])),
        ])
        let outbox = OutboxEvent.stream(forEndpoint: "receiver")
        try await store.append(to: outbox, [OutboxEvent.queued(message).newEvent()])
        try await store.append(to: outbox, [OutboxEvent.attemptFailed(DeliveryAttempt(messageId: message.id, attempt: 1, at: Date(), error: "HTTP 503",
                                                                                       statusCode: 503, retryable: true, nextAttemptAt: Date())).newEvent()])
        try await store.append(to: outbox, [OutboxEvent.delivered(messageId: message.id, attempt: 2, at: Date(), statusCode: 200, latencyMilliseconds: 12).newEvent()])
    }

    /// A later command's event on the same order: another flow, joined by the order id.
    func appendShipment(to store: any EventStore) async throws {
        try await store.append(to: StreamName("order-\(orderId)"), [
            NewEvent(type: "OrderShipped", data: ##"{"orderId":"\##(orderId)","trackingNumber":"\##(tracking)"}"##.utf8.map { $0 },
                     metadata: EventMetadata(correlationId: "cmd-ship-\(number)", causationId: "cmd-ship-\(number)", source: "api")),
        ])
    }
}
