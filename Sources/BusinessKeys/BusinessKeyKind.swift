/// What a business key names. The raw values are what `GET /api/v1/where?kind=` and
/// `paklog where --kind` accept.
public enum BusinessKeyKind: String, Sendable, CaseIterable, Codable {
    /// The warehouse's order id (`SHOP-1001`), and a channel's own order number (`1001`, `#1001`).
    case order
    /// Shopify's numeric order id (the REST Admin API Order resource's `id`).
    case shopifyOrder = "shopify-order"
    /// A webhook's delivery id: Standard Webhooks' `webhook-id`, Shopify's `X-Shopify-Webhook-Id`.
    case webhookId = "webhook-id"
    /// The key an inbound message was made idempotent by (`<source>:<key>` as the inbox wrote it).
    case idempotencyKey = "idempotency-key"
    /// X12 interchange control number (ISA13), without leading zeros.
    case isa13
    /// X12 functional group control number (GS06), without leading zeros.
    case gs06
    /// X12 transaction set control number (ST02), without leading zeros.
    case st02
    /// AS2 `Message-ID` (RFC 4130 §5.3.3), without its angle brackets; an MDN names the message
    /// it answers by the same id (`Original-Message-ID`, RFC 4130 §7.4.3).
    case as2MessageId = "as2-message-id"
    /// A carrier tracking number.
    case trackingNumber = "tracking-number"
    /// An RFID tag's Electronic Product Code (EPC Tag Data Standard: SGTIN-96 as hex or URI).
    case epc
    /// A carton (pack and tracking streams share its id).
    case carton
    /// An envelope's or an outbox message's id (a webhook's receipt, a dead letter's message id).
    case messageId = "message-id"
    /// The key an outbound message awaits its acknowledgment by (a 997's group, an async MDN), and
    /// the acknowledgment that settles it: both sides of one exchange.
    case acknowledgmentKey = "acknowledgment-key"

    /// Kinds whose rows join flows that share no correlation id: an order's later events come from
    /// other commands, an MDN or a 997 comes back as a message of its own.
    var joinsFlows: Bool {
        switch self {
        case .order, .as2MessageId, .acknowledgmentKey, .messageId: true
        default: false
        }
    }

    /// Control numbers are compared as numbers: `000000905` and `905` are the same ISA13.
    var comparesAsNumber: Bool { self == .isa13 || self == .gs06 || self == .st02 }
}
