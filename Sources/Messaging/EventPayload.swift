import Collections
import Foundation
import Mapping

/// Reading and writing the JSON bodies of this module's events. Every failure names the event
/// type and the field, so a corrupt or foreign event in a stream is reported precisely.
struct EventPayloadError: Error, CustomStringConvertible, Equatable {
    var eventType: String
    var field: String
    var problem: String
    var description: String { "event '\(eventType)': field '\(field)' \(problem)" }
}

/// A read-only view of one event's JSON object.
struct EventPayload {
    let type: String
    let object: OrderedDictionary<String, JSONValue>

    init(type: String, data: [UInt8]) throws {
        self.type = type
        let value: JSONValue
        do { value = try JSONValue(parsing: data) } catch {
            throw EventPayloadError(eventType: type, field: "(data)", problem: "is not JSON: \(error)")
        }
        guard case .object(let object) = value else {
            throw EventPayloadError(eventType: type, field: "(data)", problem: "is not a JSON object")
        }
        self.object = object
    }

    func value(_ field: String) throws -> JSONValue {
        guard let v = object[field] else { throw EventPayloadError(eventType: type, field: field, problem: "is missing") }
        return v
    }

    func optional(_ field: String) -> JSONValue? {
        guard let v = object[field], !v.isNull else { return nil }
        return v
    }

    func string(_ field: String) throws -> String {
        guard case .string(let s) = try value(field) else { throw EventPayloadError(eventType: type, field: field, problem: "is not a string") }
        return s
    }

    func optionalString(_ field: String) throws -> String? {
        guard let v = optional(field) else { return nil }
        guard case .string(let s) = v else { throw EventPayloadError(eventType: type, field: field, problem: "is not a string") }
        return s
    }

    func int(_ field: String) throws -> Int {
        guard case .number(let n) = try value(field), let i = Int(exactly: n) else {
            throw EventPayloadError(eventType: type, field: field, problem: "is not an integer")
        }
        return i
    }

    func optionalInt(_ field: String) throws -> Int? {
        guard optional(field) != nil else { return nil }
        return try int(field)
    }

    func bool(_ field: String) throws -> Bool {
        guard case .bool(let b) = try value(field) else { throw EventPayloadError(eventType: type, field: field, problem: "is not a boolean") }
        return b
    }

    func uuid(_ field: String) throws -> UUID {
        guard let id = UUID(uuidString: try string(field)) else { throw EventPayloadError(eventType: type, field: field, problem: "is not a UUID") }
        return id
    }

    func date(_ field: String) throws -> Date {
        try EventTime.parse(try value(field), eventType: type, field: field)
    }

    func optionalDate(_ field: String) throws -> Date? {
        guard let v = optional(field) else { return nil }
        return try EventTime.parse(v, eventType: type, field: field)
    }

    func stringMap(_ field: String) throws -> [String: String] {
        guard let v = optional(field) else { return [:] }
        guard case .object(let o) = v else { throw EventPayloadError(eventType: type, field: field, problem: "is not an object") }
        var out: [String: String] = [:]
        for (k, v) in o {
            guard case .string(let s) = v else { throw EventPayloadError(eventType: type, field: "\(field).\(k)", problem: "is not a string") }
            out[k] = s
        }
        return out
    }
}

/// Times in events are whole milliseconds since the Unix epoch: exact in a JSON number, the same
/// text every time an effect is re-derived (which the store's id check relies on), and sortable.
enum EventTime {
    static func encode(_ date: Date) -> JSONValue {
        .number(Double(milliseconds(date)))
    }

    /// The same time as an integer, for events written with `JSONTextWriter`.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func parse(_ value: JSONValue, eventType: String, field: String) throws -> Date {
        guard case .number(let ms) = value, ms.isFinite else {
            throw EventPayloadError(eventType: eventType, field: field, problem: "is not a time in epoch milliseconds")
        }
        return Date(timeIntervalSince1970: ms / 1000)
    }

    /// `date` cut to what an event keeps, so in-memory state equals state rebuilt from the log.
    static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}

extension JSONValue {
    /// An object from string pairs, keys sorted so the encoding is the same every time.
    static func stringMap(_ map: [String: String]) -> JSONValue {
        var o = OrderedDictionary<String, JSONValue>()
        for key in map.keys.sorted() { o[key] = .string(map[key]!) }
        return .object(o)
    }
}
