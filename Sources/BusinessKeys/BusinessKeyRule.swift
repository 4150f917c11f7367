/// One line of the key extraction table (`BusinessKeyRules.standard`): in events of a type (and
/// category), where a key of a kind sits.
public struct BusinessKeyRule: Sendable {
    /// Where in an event the key is.
    public enum Field: Sendable {
        /// A member of the event's JSON data, by path; an array on the way (or at the end) yields
        /// each of its elements.
        case member([String])
        /// A header of a `MessageReceived` or `OutboxMessageQueued` event (`headers` object),
        /// matched without regard to case (HTTP field names are case-insensitive, RFC 9110 §5.1).
        case header(String)
        /// An `EventMetadata.extra` entry.
        case metadata(String)
        /// The id part of the stream name (`order-4711` → `4711`); never that of a route's topic
        /// stream (`order-route.<route>`, `Topic.writerStream`), which holds every order it routed.
        case streamId
        /// ISA13, GS06 and ST02 of the X12 interchanges in a base64 member (a received file's
        /// `bodyBase64`, a queued message's `raw.base64`); each under its own kind.
        case x12ControlNumbers(base64Member: [String])
    }

    /// nil: events of every type.
    public var eventType: String?
    /// nil: streams of every category.
    public var category: String?
    public var field: Field
    /// Ignored for `x12ControlNumbers`, which gives ISA13, GS06 and ST02.
    public var kind: BusinessKeyKind
    /// A member path that must be present for the rule to apply (Shopify's `id` is an order id
    /// only in a body that has an `order_number`).
    public var requires: [String]?
    /// Why the key is there: the table is its own documentation.
    public var note: String

    public init(eventType: String? = nil, category: String? = nil, field: Field, kind: BusinessKeyKind, requires: [String]? = nil, note: String) {
        self.eventType = eventType
        self.category = category
        self.field = field
        self.kind = kind
        self.requires = requires
        self.note = note
    }
}
