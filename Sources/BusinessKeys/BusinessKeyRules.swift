/// The key extraction table: every business key the "where is it?" index knows, where it sits in
/// which event, and why. The event types are those the engine, the core and the adapters write
/// (`EnvelopeEvent.type`, `OutboxEvent.*Type`, `AS2ReceiptLog`, the core's domain events); the
/// index tests run real flows through the daemon, so a renamed field shows up there.
public enum BusinessKeyRules {
    static let received = "MessageReceived"  // EnvelopeEvent.type
    static let queued = "OutboxMessageQueued"  // OutboxEvent.queuedType

    public static let standard: [BusinessKeyRule] = [
        // Inbound envelopes (`inbox-<source>`): the transport's own ids.
        .init(eventType: received, field: .header("webhook-id"), kind: .webhookId,
              note: "Standard Webhooks' delivery id, also the inbox idempotency key of webhook sources"),
        .init(eventType: received, field: .header("x-shopify-webhook-id"), kind: .webhookId,
              note: "Shopify's delivery id (X-Shopify-Webhook-Id)"),
        .init(eventType: received, field: .header("message-id"), kind: .as2MessageId,
              note: "an AS2 message's Message-ID (RFC 4130 §5.3.3) as the AS2 source stored it"),
        .init(eventType: received, field: .member(["idempotencyKey"]), kind: .idempotencyKey,
              note: "what made the receipt effectively-once"),
        .init(eventType: received, field: .member(["id"]), kind: .messageId,
              note: "the envelope's id: a webhook's 202 receipt names it"),
        .init(eventType: received, field: .x12ControlNumbers(base64Member: ["bodyBase64"]), kind: .isa13,
              note: "a received X12 file's ISA13, GS06 and ST02"),
        // Shopify's Order resource (REST Admin API) as a webhook body.
        .init(eventType: received, field: .member(["body", "order_number"]), kind: .order,
              note: "Shopify's order number (1001)"),
        .init(eventType: received, field: .member(["body", "name"]), kind: .order, requires: ["body", "order_number"],
              note: "Shopify's order name (#1001)"),
        .init(eventType: received, field: .member(["body", "id"]), kind: .shopifyOrder, requires: ["body", "order_number"],
              note: "Shopify's order id, in a body that is an Order resource"),

        // Outbound messages (`outbox-<endpoint>`) and what became of them.
        .init(eventType: queued, field: .member(["messageId"]), kind: .messageId,
              note: "the outbox message's id: its attempts, delivery or dead letter name it"),
        .init(eventType: queued, field: .member(["body", "orderId"]), kind: .order,
              note: "a canonical order delivered to an endpoint"),
        .init(eventType: queued, field: .member(["body", "trackingNumber"]), kind: .trackingNumber,
              note: "a shipment notice delivered to an endpoint"),
        .init(eventType: queued, field: .x12ControlNumbers(base64Member: ["raw", "base64"]), kind: .isa13,
              note: "an X12 interchange we send (a 997, an 856): our ISA13, GS06, ST02"),
        .init(eventType: "AwaitingAcknowledgment", field: .member(["key"]), kind: .acknowledgmentKey,
              note: "the key a sent message waits for its 997 or MDN by"),
        .init(eventType: "AcknowledgmentReceived", field: .member(["key"]), kind: .acknowledgmentKey,
              note: "the 997 or MDN that settled it"),
        // Dead letters (`dlq-endpoint-<endpoint>`): the message they hold.
        .init(category: "dlq", field: .member(["message", "messageId"]), kind: .messageId,
              note: "the dead-lettered message's id (replay and discard name it)"),
        .init(category: "dlq", field: .member(["messageId"]), kind: .messageId,
              note: "DeadLetterReplayed and DeadLetterDiscarded name the letter by its message id"),
        .init(category: "dlq", field: .member(["replayMessageId"]), kind: .messageId,
              note: "DeadLetterReplayed names the message the replay queued"),
        .init(category: "dlq", field: .member(["message", "body", "orderId"]), kind: .order,
              note: "the order a dead-lettered delivery carried"),

        // AS2 receipts (`as2receipt-<source>`): MDNs we issued for a partner's message.
        .init(category: "as2receipt", field: .member(["originalMessageId"]), kind: .as2MessageId,
              note: "MDNIssued/MDNDelivered/MDNUndelivered name the message they answer"),

        // The core's domain events and the topics routes write: canonical documents.
        .init(field: .member(["orderId"]), kind: .order, note: "every order event and canonical order"),
        .init(field: .member(["externalRef"]), kind: .order, note: "a canonical order's channel reference (#1001)"),
        .init(field: .member(["trackingNumber"]), kind: .trackingNumber, note: "a carton's label and shipment"),
        .init(field: .member(["cartonId"]), kind: .carton, note: "pack and tracking events"),
        .init(field: .member(["epc"]), kind: .epc, note: "an RFID read of one tag"),
        .init(field: .member(["epcs"]), kind: .epc, note: "an RFID read of several tags"),
        .init(category: "order", field: .streamId, kind: .order, note: "the order aggregate's stream"),
        .init(category: "pack", field: .streamId, kind: .carton, note: "a carton's pack stream"),
        .init(category: "tracking", field: .streamId, kind: .carton, note: "a carton's tracking stream"),
    ]
}
