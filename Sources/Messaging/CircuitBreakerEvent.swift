import Collections
import EventStore
import Foundation
import JSON
import Mapping

/// The `CircuitBreakerStateChanged` events of `breaker-<endpoint>`.
public enum CircuitBreakerEvent {
    public static let type = "CircuitBreakerStateChanged"

    public static func stream(forEndpoint endpoint: String) -> StreamName { StreamName(category: "breaker", id: endpoint) }

    static func encode(_ t: CircuitBreakerTransition, endpoint: String) -> NewEvent {
        var o = OrderedDictionary<String, JSONValue>()
        o["endpoint"] = .string(endpoint)
        o["from"] = .string(t.from.rawValue)
        o["to"] = .string(t.to.rawValue)
        o["at"] = EventTime.encode(t.at)
        o["reason"] = .string(t.reason.rawValue)
        o["failureRate"] = t.failureRate.map(JSONValue.number) ?? .null
        o["slowCallRate"] = t.slowCallRate.map(JSONValue.number) ?? .null
        o["calls"] = .number(Double(t.calls))
        return NewEvent(type: type, data: JSONValue.object(o).serialized(), metadata: EventMetadata(source: endpoint))
    }

    /// The transition an event records.
    public static func decode(_ event: RecordedEvent) throws -> CircuitBreakerTransition {
        let p = try JSONFieldReader(eventType: event.type, data: event.data)
        func state(_ field: String) throws -> CircuitBreaker.State {
            guard let s = CircuitBreaker.State(rawValue: try p.string(field)) else {
                throw JSONFieldError(eventType: event.type, field: field, problem: "is not CLOSED, OPEN or HALF_OPEN")
            }
            return s
        }
        guard let reason = CircuitBreakerTransition.Reason(rawValue: try p.string("reason")) else {
            throw JSONFieldError(eventType: event.type, field: "reason", problem: "is not a known reason")
        }
        return CircuitBreakerTransition(from: try state("from"), to: try state("to"), at: try p.date("at"), reason: reason,
                                        failureRate: p.optional("failureRate")?.doubleValue, slowCallRate: p.optional("slowCallRate")?.doubleValue,
                                        calls: try p.int("calls"))
    }
}
