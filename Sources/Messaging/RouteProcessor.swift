import Collections
import EventStore
import Foundation
import JSON
import Mapping
import X12Exchange

/// A message on its way through a route's steps.
public struct RoutedMessage: Sendable, Equatable {
    public var headers: [String: String]
    public var body: JSONValue
    /// Set while the body is the bytes a transport received and not JSON (then `body` is their
    /// view); a transform, split or aggregation replaces it by JSON.
    public var raw: RawBody?
    /// Set while the body is an X12 interchange an `output: x12` transform wrote, whose control
    /// numbers are assigned when its outbox message commits.
    public var pendingX12: PendingX12Interchange?
    /// Kept across split parts and into outbox messages (the originating message's id).
    public var correlationId: String
    /// The log event being handled (or the aggregation group, for a timeout completion).
    public var causationId: UUID
    /// Where in the route this message is (part of every derived event id).
    var path: String
    /// The cause's time: effects carry it instead of "now", so re-deriving them yields equal events.
    public var time: Date
    var mappingName: String?
    var mappingVersion: String?
    var mappingInput: JSONValue?

    public init(headers: [String: String], body: JSONValue, raw: RawBody? = nil, correlationId: String, causationId: UUID, time: Date) {
        self.headers = headers
        self.body = raw?.view ?? body
        self.raw = raw
        self.correlationId = correlationId
        self.causationId = causationId
        self.path = ""
        self.time = EventTime.truncated(time)
    }

    /// What route expressions see: `{headers, body}`.
    public var document: JSONValue { ["headers": .stringMap(headers), "body": body] }
}

/// Everything handling one cause writes, in order; committed in one transaction.
public struct RouteEffects: Sendable {
    public private(set) var events: [(stream: StreamName, event: NewEvent)] = []
    /// Outbox messages among the events (for metrics and tests).
    public private(set) var outboxMessages: [OutboxMessage] = []

    mutating func append(_ event: NewEvent, to stream: StreamName) { events.append((stream, event)) }

    /// Outbox messages whose X12 control numbers are assigned at commit (`assignX12Numbers`):
    /// where their event and message are, and the interchange to number.
    private(set) var pendingX12: [(event: Int, outbox: Int, interchange: PendingX12Interchange)] = []

    mutating func append(contentsOf other: RouteEffects) {
        pendingX12 += other.pendingX12.map { ($0.event + events.count, $0.outbox + outboxMessages.count, $0.interchange) }
        events += other.events
        outboxMessages += other.outboxMessages
    }

    mutating func enqueue(_ message: OutboxMessage, pendingX12 interchange: PendingX12Interchange? = nil) {
        if let interchange { pendingX12.append((events.count, outboxMessages.count, interchange)) }
        outboxMessages.append(message)
        append(OutboxEvent.queued(message).newEvent(), to: OutboxEvent.stream(forEndpoint: message.endpoint))
    }

    /// Writes pending interchange `k` with `numbers` into its outbox message and event.
    mutating func number(_ k: Int, with numbers: X12OutboundNumbers) {
        let (e, o, interchange) = pendingX12[k]
        var message = outboxMessages[o]
        message.raw = RawBody(bytes: interchange.bytes(numbers), mediaType: message.raw?.mediaType ?? X12RouteOutput.mediaType)
        outboxMessages[o] = message
        events[e].event = OutboxEvent.queued(message).newEvent()
    }

    public var isEmpty: Bool { events.isEmpty }

    /// One `StreamAppend` per stream, in order of first appearance, events in order.
    public var streamAppends: [StreamAppend] {
        var grouped = OrderedDictionary<StreamName, [NewEvent]>()
        for (stream, event) in events { grouped[stream, default: []].append(event) }
        return grouped.map { StreamAppend(stream: $0.key, events: $0.value) }
    }
}

/// Why a route could not handle a message (recorded in `dlq-route-<name>`).
public struct RouteError: Error, Equatable, CustomStringConvertible {
    public var route: String
    public var step: String
    public var problem: String
    public var description: String { "route '\(route)', \(step): \(problem)" }
}

/// The pure part of a route: one message in, the events it causes out. No I/O, no clock: the
/// same message and aggregation state always give the same events with the same ids.
public struct RouteProcessor: Sendable {
    public let route: RouteDefinition
    /// When set, a recipient list naming any other endpoint fails the message (static `to`
    /// destinations are checked when the route is loaded).
    public let knownEndpoints: Set<String>?
    /// The endpoints' own ordering key expressions (a destination's key wins).
    public let orderingKeys: [String: RouteExpression]

    public init(route: RouteDefinition, knownEndpoints: Set<String>? = nil, orderingKeys: [String: RouteExpression] = [:]) {
        self.route = route
        self.knownEndpoints = knownEndpoints
        self.orderingKeys = orderingKeys
    }

    /// Routes `message` (subject to the route's `when`); `aggregator` is updated in place.
    public func process(_ message: RoutedMessage, aggregator: inout AggregatorState) throws -> RouteEffects {
        var effects = RouteEffects()
        if let when = route.when {
            let doc = message.document
            guard try evaluate({ try when.isTrue(for: doc) }, at: "when") else { return effects }
        }
        var m = message
        m.path = "route:\(route.name)"
        try run(route.steps, from: 0, m, &effects, &aggregator)
        return effects
    }

    /// Completes the groups whose completionTimeout passed at `now`; each group's effects are one
    /// transaction.
    public func completeTimedOut(aggregator: inout AggregatorState, now: Date) throws -> [RouteEffects] {
        guard let (index, definition) = aggregateStep, let timeout = definition.completionTimeout else { return [] }
        var all: [RouteEffects] = []
        for group in aggregator.expired(now: now, timeout: timeout) {
            var effects = RouteEffects()
            effects.append(aggregator.completeByTimeout(group, timeout: timeout), to: AggregatorState.stream(forRoute: route.name))
            var result = Self.result(of: group, by: .timeout, at: group.lastAt.addingTimeInterval(timeout.timeInterval))
            result.path = "route:\(route.name)/aggregate:\(group.groupId.uuidString.lowercased())/timeout"
            try run(route.steps, from: index + 1, result, &effects, &aggregator)
            all.append(effects)
        }
        return all
    }

    /// When the next aggregation times out, if any.
    public func nextAggregationDeadline(_ aggregator: AggregatorState) -> Date? {
        guard let timeout = aggregateStep?.1.completionTimeout else { return nil }
        return aggregator.nextDeadline(timeout: timeout)
    }

    private var aggregateStep: (Int, AggregationDefinition)? {
        for (i, step) in route.steps.enumerated() { if case .aggregate(let a) = step { return (i, a) } }
        return nil
    }

    private func run(_ steps: [RouteStep], from start: Int, _ message: RoutedMessage, _ effects: inout RouteEffects, _ aggregator: inout AggregatorState) throws {
        var m = message
        var i = start
        while i < steps.count {
            let here = "\(m.path)/\(i)"
            switch steps[i] {
            case .transform(let t):
                // A transform of the bytes (X12): every output goes on through the rest of the
                // route, as a split's parts do.
                let bytes = m.raw?.bytes ?? { if case .string(let text) = m.body { return Array(text.utf8) } else { return m.body.serialized() } }()
                if let outputs = try evaluate({ try t.applyRaw(bytes) }, at: "step \(i) (transform \(t.mappingName) \(t.mappingVersion))") {
                    for (index, output) in outputs.enumerated() {
                        var p = m
                        p.body = output.body
                        p.raw = nil
                        p.pendingX12 = nil
                        p.mappingName = t.mappingName
                        p.mappingVersion = t.mappingVersion
                        p.headers.merge(output.headers) { $1 }
                        if outputs.count > 1 {
                            p.headers["splitIndex"] = String(index)
                            p.headers["splitSize"] = String(outputs.count)
                            p.headers["splitCorrelationId"] = m.correlationId
                            p.path = "\(here)/set[\(index)]"
                        }
                        try run(steps, from: i + 1, p, &effects, &aggregator)
                    }
                    return
                }
                let input = m.body
                if t.writesX12 {
                    let time = m.time
                    guard let interchange = try evaluate({ try t.applyX12(input, at: time) }, at: "step \(i) (transform \(t.mappingName) \(t.mappingVersion))") else { return }
                    m.mappingInput = input
                    m.raw = RawBody(bytes: interchange.bytes(nil), mediaType: X12RouteOutput.mediaType)
                    m.body = m.raw!.view
                    m.pendingX12 = interchange
                    m.mappingName = t.mappingName
                    m.mappingVersion = t.mappingVersion
                    m.headers["x12.set"] = interchange.set.identifier
                    break
                }
                guard let output = try evaluate({ try t.apply(input) }, at: "step \(i) (transform \(t.mappingName) \(t.mappingVersion))") else { return }
                m.pendingX12 = nil
                m.mappingInput = input
                m.body = output
                m.raw = nil
                m.mappingName = t.mappingName
                m.mappingVersion = t.mappingVersion
            case .filter(let e):
                let doc = m.document
                guard try evaluate({ try e.isTrue(for: doc) }, at: "step \(i) (filter)") else { return }
            case .split(let e):
                let doc = m.document
                let value = try evaluate({ try e.evaluate(doc) }, at: "step \(i) (split)")
                let parts: [JSONValue] = switch value {
                case nil: []
                case .array(let a)?: a
                case let single?: [single]
                }
                for (index, part) in parts.enumerated() {
                    var p = m
                    p.body = part
                    p.raw = nil
                    p.pendingX12 = nil
                    p.headers["splitIndex"] = String(index)
                    p.headers["splitSize"] = String(parts.count)
                    p.headers["splitCorrelationId"] = m.correlationId
                    p.path = "\(here)/split[\(index)]"
                    try run(steps, from: i + 1, p, &effects, &aggregator)
                }
                return
            case .aggregate(let a):
                let doc = m.document
                let keyValue = try evaluate({ try a.correlation.evaluate(doc) }, at: "step \(i) (aggregate correlation)")
                let key: String = switch keyValue {
                case .string(let s)?: s
                case let other?: String(decoding: other.serialized(), as: UTF8.self)
                case nil: throw RouteError(route: route.name, step: "step \(i) (aggregate correlation)", problem: "the correlation expression '\(a.correlation)' is undefined for this message")
                }
                let partId = DeterministicEventID.make(cause: m.causationId, step: "\(here)/aggregate-part")
                let body = m.body, headers = m.headers, time = m.time
                let (events, completed) = try evaluate({ try aggregator.add(key: key, body: body, headers: headers, at: time, eventId: partId, definition: a) },
                                                       at: "step \(i) (aggregate completion predicate)")
                for event in events { effects.append(event, to: AggregatorState.stream(forRoute: route.name)) }
                guard let (group, by) = completed else { return }
                var result = Self.result(of: group, by: by, at: m.time)
                result.causationId = m.causationId
                result.path = "\(here)/aggregate:\(group.groupId.uuidString.lowercased())/\(by.rawValue)"
                m = result
            case .choice(let branches, let otherwise):
                let doc = m.document
                var chosen = otherwise
                var label = "otherwise"
                for (b, branch) in branches.enumerated() where try evaluate({ try branch.when.isTrue(for: doc) }, at: "step \(i) (choice[\(b)].when)") {
                    chosen = branch.steps
                    label = "when[\(b)]"
                    break
                }
                var next = m
                next.path = "\(here)/\(label)"
                try run(chosen + steps[(i + 1)...], from: 0, next, &effects, &aggregator)
                return
            case .recipientList(let e):
                let doc = m.document
                let value = try evaluate({ try e.evaluate(doc) }, at: "step \(i) (recipientList)")
                let names: [String]
                switch value {
                case nil: names = []
                case .string(let s)?: names = [s]
                case .array(let a)?:
                    names = try a.map {
                        guard case .string(let s) = $0 else { throw RouteError(route: route.name, step: "step \(i) (recipientList)", problem: "yielded \($0), not an endpoint name") }
                        return s
                    }
                case let other?: throw RouteError(route: route.name, step: "step \(i) (recipientList)", problem: "yielded \(other), not endpoint names")
                }
                if let known = knownEndpoints, let unknown = names.first(where: { !known.contains($0) }) {
                    throw RouteError(route: route.name, step: "step \(i) (recipientList)", problem: "unknown endpoint '\(unknown)'")
                }
                for (j, name) in names.enumerated() { try emit(m, to: .endpoint(name), id: "\(here)/recipient[\(j)]:\(name)", at: "step \(i) (recipientList)", &effects) }
            case .wireTap(let d):
                try emit(m, to: d, id: "\(here)/wireTap", at: "step \(i) (wireTap)", &effects)
            case .to(let destinations):
                for (j, d) in destinations.enumerated() { try emit(m, to: d, id: "\(here)/to[\(j)]", at: "step \(i) (to[\(j)])", &effects) }
            }
            i += 1
        }
    }

    private func emit(_ m: RoutedMessage, to destination: Destination, id step: String, at place: String, _ effects: inout RouteEffects) throws {
        let id = DeterministicEventID.make(cause: m.causationId, step: step)
        switch destination {
        case let .endpoint(name, key):
            var orderingKey: String?
            if let expression = key ?? orderingKeys[name] {
                let doc = m.document
                orderingKey = switch try evaluate({ try expression.evaluate(doc) }, at: "\(place) orderingKey") {
                case .string(let s)?: s
                case let other?: String(decoding: other.serialized(), as: UTF8.self)
                case nil: nil  // undefined: this message is in no order
                }
            }
            effects.enqueue(OutboxMessage(id: id, endpoint: name, route: route.name, causationId: m.causationId, correlationId: m.correlationId,
                                          headers: m.headers, body: m.body, raw: m.raw, orderingKey: orderingKey, mappingName: m.mappingName,
                                          mappingVersion: m.mappingVersion, mappingInput: m.mappingInput, enqueuedAt: m.time),
                            pendingX12: m.pendingX12)
        case _ where m.pendingX12 != nil:
            // Its control numbers are handed out with an outbox message; a copy elsewhere would
            // carry none, or the same ones twice.
            throw RouteError(route: route.name, step: place, problem: "an X12 interchange leaves by an endpoint (to: [endpoint]), not to a topic, stream or acknowledgment")
        case .acknowledge(let endpoint):
            let ack = try acknowledgment(in: m, at: place)
            effects.append(OutboxEvent.acknowledged(ack).newEvent(id: id), to: OutboxEvent.stream(forEndpoint: endpoint))
        case let .topic(topic, eventType):
            try emit(m, to: .stream(topic.writerStream(route: route.name), eventType: eventType), id: step, at: place, &effects)
        case let .stream(stream, eventType):
            var extra: [String: String] = ["route": route.name]
            if let v = m.mappingVersion { extra["mappingVersion"] = v }
            effects.append(NewEvent(id: id, type: eventType, data: m.body.serialized(),
                                    metadata: EventMetadata(correlationId: m.correlationId, causationId: m.causationId.uuidString.lowercased(),
                                                            source: route.name, extra: extra)),
                           to: stream)
        }
    }

    /// The acknowledgment a message's body states: `{key, accepted (default true), reason}`.
    private func acknowledgment(in m: RoutedMessage, at place: String) throws -> Acknowledgment {
        func fail(_ problem: String) -> RouteError { RouteError(route: route.name, step: place, problem: problem) }
        guard case .object(let o) = m.body else { throw fail("an acknowledgment body must be an object {key, accepted, reason}, got \(m.body)") }
        let key: String
        switch o["key"] {
        case .string(let s)?: key = s
        case .number?: key = String(decoding: o["key"]!.serialized(), as: UTF8.self)
        default: throw fail("the acknowledgment has no 'key' (a string naming the awaited message)")
        }
        var accepted = true
        switch o["accepted"] {
        case nil, .null?: break
        case .bool(let b)?: accepted = b
        case let other?: throw fail("the acknowledgment's 'accepted' must be true or false, got \(other)")
        }
        var reason: String?
        if case .string(let r)? = o["reason"] { reason = r }
        return Acknowledgment(key: key, accepted: accepted, reason: reason, at: m.time, sourceEventId: m.causationId)
    }

    /// The aggregated message: the collected bodies as an array, the first part's headers plus
    /// what completed it.
    static func result(of group: AggregationGroup, by: AggregationCompletion, at: Date) -> RoutedMessage {
        var headers = group.headers
        headers["aggregationKey"] = group.key
        headers["aggregatedSize"] = String(group.parts.count)
        headers["completedBy"] = by.rawValue
        for key in ["splitIndex", "splitSize"] { headers.removeValue(forKey: key) }
        return RoutedMessage(headers: headers, body: .array(group.parts), correlationId: group.groupId.uuidString.lowercased(),
                             causationId: group.groupId, time: at)
    }

    /// Runs a user expression or mapping, turning its error into one that names the route and step.
    private func evaluate<T>(_ body: () throws -> T, at step: String) throws -> T {
        do { return try body() } catch let e as RouteError { throw e } catch {
            throw RouteError(route: route.name, step: step, problem: "\(error)")
        }
    }
}
