import EventStore
import Foundation

/// A route as configured (Camel's vocabulary): where it reads, which messages it takes, and the
/// steps each message goes through. The YAML loader builds these; `validationErrors` says what is
/// wrong before the engine accepts them.
///
/// ```swift
/// let route = RouteDefinition(
///     name: "shopify-orders", from: .adapter("shopify"),
///     when: try RouteExpression("headers.`X-Shopify-Topic` = 'orders/create'"),
///     steps: [.transform(shopifyOrderMapping), .to([.topic(Topic(category: "order")!, eventType: "OrderReceived"), .endpoint("erp")])])
/// ```
public struct RouteDefinition: Sendable {
    /// Unique; names the checkpoint `route-<name>` and the stream `aggregate-<name>`.
    public var name: String
    public var from: RouteSource
    /// Only messages for which this is true are routed (all when nil).
    public var when: RouteExpression?
    public var steps: [RouteStep]

    public init(name: String, from: RouteSource, when: RouteExpression? = nil, steps: [RouteStep]) {
        self.name = name
        self.from = from
        self.when = when
        self.steps = steps
    }

    /// The subscription checkpoint's name.
    public var checkpointName: String { "route-\(name)" }

    /// Every problem, each naming the route and the step (`steps[2].choice[0].steps[1]`).
    public func validationErrors(knownEndpoints: Set<String>) -> [String] {
        var errors: [String] = []
        if name.isEmpty { errors.append("route name must not be empty") }
        func check(_ steps: [RouteStep], at path: String, topLevel: Bool) {
            for (i, step) in steps.enumerated() {
                let here = "route '\(name)': \(path)[\(i)]"
                switch step {
                case .aggregate(let a):
                    if !topLevel { errors.append("\(here): aggregate is only allowed among a route's own steps, not inside a choice") }
                    if a.completionSize == nil && a.completionTimeout == nil && a.completionPredicate == nil {
                        errors.append("\(here): aggregate needs completionSize, completionTimeout or completionPredicate")
                    }
                    if let size = a.completionSize, size < 1 { errors.append("\(here): completionSize must be at least 1, got \(size)") }
                    if let t = a.completionTimeout, t <= .zero { errors.append("\(here): completionTimeout must be positive, got \(t)") }
                case .choice(let branches, let otherwise):
                    for (b, branch) in branches.enumerated() { check(branch.steps, at: "\(path)[\(i)].choice[\(b)].steps", topLevel: false) }
                    check(otherwise, at: "\(path)[\(i)].otherwise", topLevel: false)
                case .to(let destinations):
                    if destinations.isEmpty { errors.append("\(here): to needs at least one destination") }
                    for d in destinations {
                        if let e = d.endpointName, !knownEndpoints.contains(e) { errors.append("\(here): unknown endpoint '\(e)'") }
                    }
                case .wireTap(let d):
                    if let e = d.endpointName, !knownEndpoints.contains(e) { errors.append("\(here): unknown endpoint '\(e)'") }
                case .transform, .split, .recipientList, .filter:
                    break
                }
            }
        }
        check(steps, at: "steps", topLevel: true)
        if steps.filter({ if case .aggregate = $0 { true } else { false } }).count > 1 {
            errors.append("route '\(name)': at most one aggregate step per route")
        }
        return errors
    }
}

/// What a route consumes.
public enum RouteSource: Sendable, Equatable {
    /// The messages an adapter instance accepted (stream `inbox-<name>`, `MessageReceived`).
    case adapter(String)
    /// Every event of every stream of a category, the topic `<category>-events` (`order` reads
    /// `order-4711`, `order-route.shopify-orders` …).
    case category(String)
    /// One stream of the log (`reply-<endpoint>` for `from: reply:<endpoint>`).
    case stream(StreamName)

    var filter: EventFilter {
        switch self {
        case .adapter: .category("inbox")
        case .category(let c): .category(c)
        case .stream(let s): .category(s.category)
        }
    }

    func matches(_ event: RecordedEvent) -> Bool {
        switch self {
        case .adapter(let name): event.stream == EnvelopeEvent.stream(forSource: name) && event.type == EnvelopeEvent.type
        case .category(let c): event.stream.category == c
        case .stream(let s): event.stream == s
        }
    }
}

/// One step of a route.
public indirect enum RouteStep: Sendable {
    /// Replace the body by the mapping's output (a nil output drops the message).
    case transform(any MessageTransform)
    /// Keep only messages for which the expression is true.
    case filter(RouteExpression)
    /// The expression yields an array; each element continues as its own message, carrying
    /// headers `splitIndex`, `splitSize` and `splitCorrelationId`.
    case split(RouteExpression)
    /// Collect messages with the same correlation key until a completion condition holds; the
    /// collected bodies (an array) continue as one message.
    case aggregate(AggregationDefinition)
    /// The first branch whose `when` is true runs, else `otherwise`; then the steps after the choice.
    case choice([ChoiceBranch], otherwise: [RouteStep])
    /// The expression yields endpoint names (a string or an array of them); the message goes to each.
    case recipientList(RouteExpression)
    /// A copy goes to `destination`; the message continues unchanged.
    case wireTap(Destination)
    /// The message goes to every destination, then continues with the next step.
    case to([Destination])
}

/// A `when` branch of a `choice`.
public struct ChoiceBranch: Sendable {
    public var when: RouteExpression
    public var steps: [RouteStep]
    public init(when: RouteExpression, steps: [RouteStep]) {
        self.when = when
        self.steps = steps
    }
}

/// Where a message goes.
public enum Destination: Sendable, Equatable {
    /// Queued in `outbox-<name>` for the dispatcher; with an ordering key expression (over
    /// `{headers, body}`), messages of equal keys are delivered one at a time in queue order (the
    /// endpoint's own `orderingKey` applies when this is nil).
    case endpoint(String, orderingKey: RouteExpression? = nil)
    /// Settles a message of the endpoint that awaits its acknowledgment: the body (usually a
    /// mapping's output) is `{"key": "…", "accepted": true|false, "reason": "…"}`, `key` being what
    /// the awaited message was recorded with.
    case acknowledge(endpoint: String)
    /// Appended to the route's own stream of the topic (`order-route.<route>` for `order-events`,
    /// see `Topic`) as an event of `eventType` with the body as its data.
    case topic(Topic, eventType: String)
    /// Appended to a stream of the log as an event of `eventType` with the body as its data.
    case stream(StreamName, eventType: String)

    /// The endpoint it names, if any.
    public var endpointName: String? {
        switch self {
        case .endpoint(let name, _), .acknowledge(let name): name
        case .topic, .stream: nil
        }
    }
}

/// Camel's aggregator settings. The aggregation's state is kept in the log (`aggregate-<route>`),
/// so a restart loses no collected part; the completed message records what completed it.
public struct AggregationDefinition: Sendable {
    /// Evaluated per message; equal results are aggregated together.
    public var correlation: RouteExpression
    /// Complete when this many messages are collected.
    public var completionSize: Int?
    /// Complete when no message joined for this long (Camel's inactivity timeout).
    public var completionTimeout: Duration?
    /// Complete when this is true over `{headers, body: [collected bodies], size}`.
    public var completionPredicate: RouteExpression?

    public init(correlation: RouteExpression, completionSize: Int? = nil, completionTimeout: Duration? = nil, completionPredicate: RouteExpression? = nil) {
        self.correlation = correlation
        self.completionSize = completionSize
        self.completionTimeout = completionTimeout
        self.completionPredicate = completionPredicate
    }
}
