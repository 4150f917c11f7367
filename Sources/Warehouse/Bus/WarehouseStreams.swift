import EventStore

/// Where the core's aggregates live. Each category is a topic of the design card (`order` is
/// `order-events`), so a route can read `topic:order-events` and see every order's events.
///
/// Stock lives in `inventory-<sku>` rather than `stock-<sku>`: the topic is `inventory-events`,
/// and a topic is a category, so the stream's category must be `inventory`.
public enum WarehouseStreams {
    public static func order(_ id: String) -> StreamName { StreamName(category: "order", id: id) }
    public static func inventory(_ sku: String) -> StreamName { StreamName(category: "inventory", id: sku) }
    public static func item(_ sku: String) -> StreamName { StreamName(category: "item", id: sku) }
    public static func location(_ id: String) -> StreamName { StreamName(category: "location", id: id) }
    public static func wave(_ id: String) -> StreamName { StreamName(category: "wave", id: id) }
    public static func task(_ id: String) -> StreamName { StreamName(category: "task", id: id) }
    /// The pick confirmations of one task (topic `pick-events`).
    public static func pick(_ taskId: String) -> StreamName { StreamName(category: "pick", id: taskId) }
    /// One carton: packed, labelled, shipped (topic `pack-events`).
    public static func carton(_ id: String) -> StreamName { StreamName(category: "pack", id: id) }
    /// A carton's journey after the dock door (topic `tracking-events`).
    public static func tracking(_ cartonId: String) -> StreamName { StreamName(category: "tracking", id: cartonId) }
    /// Claims an order's external reference per channel, so a duplicate is refused atomically.
    public static func orderReference(channel: String, reference: String) -> StreamName {
        StreamName(category: "orderref", id: "\(channel).\(reference)")
    }
    /// Who issued which command (topic `audit-events`).
    public static let audit = StreamName(category: "audit", id: "commands")
    /// Refused commands (topic `error-events`).
    public static let rejections = StreamName(category: "error", id: "warehouse")

    /// Why `id` cannot name one of the core's aggregates, or nil when it can: the store's rule
    /// (`StreamName.problem(withID:)`), and `route.` ids, which are the streams a route writes
    /// into a topic (`Topic.writerStream(route:)`): an order `route.x` would be the output of
    /// route `x` writing to `topic:order-events`.
    public static func problem(withID id: String) -> String? {
        if let problem = StreamName.problem(withID: id) { return problem }
        if id.hasPrefix("route.") { return "starts with 'route.', which names the stream a route writes into a topic" }
        return nil
    }

    /// Every category the core writes, for projections and sagas.
    public static let categories: Set<String> = ["order", "inventory", "item", "location", "wave", "task", "pick", "pack", "tracking"]
}
