import Collections
import EventStore
import Foundation
import JSON
import Mapping

/// Why an aggregation completed (recorded in the result's headers and in `AggregateCompleted`).
public enum AggregationCompletion: String, Sendable, Equatable {
    case size, timeout, predicate
}

/// One open aggregation group.
public struct AggregationGroup: Sendable, Equatable {
    public var key: String
    /// The id of the event that started it; names the group and derives the ids of its effects.
    public var groupId: UUID
    public var parts: [JSONValue]
    public var headers: [String: String]
    /// When the last part joined (completionTimeout counts from here).
    public var lastAt: Date
}

/// The open aggregation groups of one route: a pure fold of `aggregate-<route>`, rebuilt at start.
public struct AggregatorState: Sendable, Equatable {
    public private(set) var groups: OrderedDictionary<String, AggregationGroup> = [:]

    public static let partAddedType = "AggregatePartAdded"
    public static let completedType = "AggregateCompleted"

    public static func stream(forRoute route: String) -> StreamName { StreamName(category: "aggregate", id: route) }

    public init() {}

    /// Folds one event of the aggregate stream.
    mutating func apply(_ event: RecordedEvent) throws {
        let p = try JSONFieldReader(eventType: event.type, data: event.data)
        switch event.type {
        case Self.partAddedType:
            let key = try p.string("key")
            let groupId = try p.uuid("groupId")
            let at = try p.date("at")
            if var g = groups[key], g.groupId == groupId {
                g.parts.append(try p.value("body"))
                g.lastAt = at
                groups[key] = g
            } else {
                groups[key] = AggregationGroup(key: key, groupId: groupId, parts: [try p.value("body")], headers: try p.stringMap("headers"), lastAt: at)
            }
        case Self.completedType:
            let key = try p.string("key")
            if groups[key]?.groupId == (try p.uuid("groupId")) { groups.removeValue(forKey: key) }
        default:
            break
        }
    }

    /// Adds a part; returns the event to record and, if the group is now complete, the group and
    /// the completion event.
    mutating func add(key: String, body: JSONValue, headers: [String: String], at: Date, eventId: UUID,
                      definition: AggregationDefinition) throws -> (events: [NewEvent], completed: (AggregationGroup, AggregationCompletion)?) {
        let at = EventTime.truncated(at)
        var group = groups[key] ?? AggregationGroup(key: key, groupId: eventId, parts: [], headers: headers, lastAt: at)
        group.parts.append(body)
        group.lastAt = at
        var events = [Self.partEvent(group: group, body: body, headers: headers, at: at, id: eventId)]
        var completion: AggregationCompletion?
        if let size = definition.completionSize, group.parts.count >= size {
            completion = .size
        } else if let predicate = definition.completionPredicate, try predicate.isTrue(for: Self.document(group)) {
            completion = .predicate
        }
        guard let completion else {
            groups[key] = group
            return (events, nil)
        }
        groups.removeValue(forKey: key)
        events.append(Self.completedEvent(group: group, by: completion, at: at, id: DeterministicEventID.make(cause: eventId, step: "aggregate-completed")))
        return (events, (group, completion))
    }

    /// Groups whose inactivity timeout has passed at `now`.
    func expired(now: Date, timeout: Duration) -> [AggregationGroup] {
        groups.values.filter { $0.lastAt.addingTimeInterval(timeout.timeInterval) <= now }
    }

    /// The earliest moment a group times out.
    func nextDeadline(timeout: Duration) -> Date? {
        groups.values.map { $0.lastAt.addingTimeInterval(timeout.timeInterval) }.min()
    }

    /// Completes `group` by timeout; the completion time is the deadline itself, so the event is
    /// the same whenever (and however often) it is derived.
    mutating func completeByTimeout(_ group: AggregationGroup, timeout: Duration) -> NewEvent {
        groups.removeValue(forKey: group.key)
        return Self.completedEvent(group: group, by: .timeout, at: group.lastAt.addingTimeInterval(timeout.timeInterval),
                                   id: DeterministicEventID.make(cause: group.groupId, step: "aggregate-timeout-\(group.parts.count)"))
    }

    /// `{headers, body: [bodies], size}` — what the completion predicate and the result see.
    static func document(_ group: AggregationGroup) -> JSONValue {
        ["headers": .stringMap(group.headers), "body": .array(group.parts), "size": .number(Double(group.parts.count))]
    }

    private static func partEvent(group: AggregationGroup, body: JSONValue, headers: [String: String], at: Date, id: UUID) -> NewEvent {
        var o = OrderedDictionary<String, JSONValue>()
        o["key"] = .string(group.key)
        o["groupId"] = .string(group.groupId.uuidString.lowercased())
        o["index"] = .number(Double(group.parts.count - 1))
        o["at"] = EventTime.encode(at)
        o["headers"] = .stringMap(headers)
        o["body"] = body
        return NewEvent(id: id, type: partAddedType, data: JSONValue.object(o).serialized(),
                        metadata: EventMetadata(correlationId: group.groupId.uuidString.lowercased()))
    }

    private static func completedEvent(group: AggregationGroup, by: AggregationCompletion, at: Date, id: UUID) -> NewEvent {
        var o = OrderedDictionary<String, JSONValue>()
        o["key"] = .string(group.key)
        o["groupId"] = .string(group.groupId.uuidString.lowercased())
        o["completedBy"] = .string(by.rawValue)
        o["size"] = .number(Double(group.parts.count))
        o["at"] = EventTime.encode(at)
        return NewEvent(id: id, type: completedType, data: JSONValue.object(o).serialized(),
                        metadata: EventMetadata(correlationId: group.groupId.uuidString.lowercased()))
    }
}
