/// A topic of the log: the design card's vocabulary names them `X-events` (`order-events`,
/// `wave-events`, `tracking-events`, `error-events` …), and a topic *is* the category `X`: every
/// stream `X-…` belongs to it, the core's aggregates (`order-4711`) and what routes write.
///
/// - Reading `topic:order-events` reads every stream of the category `order`.
/// - A route writing to `topic:order-events` appends to its own stream of that category,
///   `order-route.<route>` (`writerStream(route:)`), so routes never write into an aggregate's
///   stream, and each route's output is one stream that can be read on its own.
/// - No stream may be named like a topic: the store refuses to write `order-events`
///   (`StreamName.problem(withID:)`).
public struct Topic: Hashable, Sendable, CustomStringConvertible {
    /// What every topic's name ends with.
    public static let suffix = "events"

    /// The category the topic is.
    public let category: String

    /// The topic of `category` (`order` → `order-events`).
    public init?(category: String) {
        guard !category.isEmpty, !category.contains("-") else { return nil }
        self.category = category
    }

    /// Reads a topic's name (`order-events`); throws why it is not one.
    public init(named name: String) throws(TopicNameError) {
        let ending = "-" + Self.suffix
        guard name.hasSuffix(ending), name.count > ending.count else { throw TopicNameError(name: name, reason: "a topic is named <category>-\(Self.suffix), such as order-\(Self.suffix)") }
        let category = String(name.dropLast(ending.count))
        guard let topic = Topic(category: category) else {
            throw TopicNameError(name: name, reason: "the category '\(category)' has a '-'; categories are the part of a stream name before its first '-'")
        }
        self = topic
    }

    /// `order-events`.
    public var name: String { "\(category)-\(Self.suffix)" }

    public var description: String { name }

    /// Every event of the topic.
    public var filter: EventFilter { .category(category) }

    /// The stream a route appends its output to in this topic.
    public func writerStream(route: String) -> StreamName {
        StreamName(category: category, id: Self.writerPrefix + route)
    }

    static let writerPrefix = "route."

    /// The route whose topic output `stream` is (`order-route.<route>`), or nil for any other
    /// stream (an aggregate's `order-4711`).
    public static func route(writing stream: StreamName) -> String? {
        let id = stream.id
        return id.hasPrefix(writerPrefix) ? String(id.dropFirst(writerPrefix.count)) : nil
    }
}

/// Why a text does not name a topic.
public struct TopicNameError: Error, Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var reason: String
    public var description: String { "'\(name)' is not a topic: \(reason)" }
}
