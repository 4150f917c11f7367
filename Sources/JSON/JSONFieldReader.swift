import Foundation
import OrderedCollections

/// Why a field of a JSON document could not be read: the document (an event type, a file), the
/// field and the problem, so a corrupt or foreign event in a stream is reported precisely.
public struct JSONFieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was read, as the message names it: `event 'OutboxMessageQueued'`.
    public var subject: String
    /// The member name, dotted for nested ones (`headers.x-id`); `(data)` for the document itself.
    public var field: String
    public var problem: String

    public init(subject: String, field: String, problem: String) {
        self.subject = subject
        self.field = field
        self.problem = problem
    }

    /// An error about a field of an event of `eventType`.
    public init(eventType: String, field: String, problem: String) {
        self.init(subject: "event '\(eventType)'", field: field, problem: problem)
    }

    public var description: String { "\(subject): field '\(field)' \(problem)" }
}

/// Typed, checked reads of one JSON object's members: what the code that decodes its own events
/// and records uses instead of pattern matching on `JSONValue` at every field.
///
/// ```swift
/// let p = try JSONFieldReader(eventType: event.type, data: event.data)
/// let id = try p.uuid("messageId")
/// let at = try p.date("at")
/// ```
public struct JSONFieldReader: Sendable {
    public let subject: String
    public let object: OrderedDictionary<String, JSONValue>

    /// Reads `data`, which must be one JSON object.
    public init(subject: String, data: [UInt8]) throws(JSONFieldError) {
        let value: JSONValue
        do { value = try JSONValue(parsing: data) } catch {
            throw JSONFieldError(subject: subject, field: "(data)", problem: "is not JSON: \(error)")
        }
        try self.init(subject: subject, value: value)
    }

    /// The data of an event of `eventType`.
    public init(eventType: String, data: [UInt8]) throws(JSONFieldError) {
        try self.init(subject: "event '\(eventType)'", data: data)
    }

    /// Reads `value`, which must be an object.
    public init(subject: String, value: JSONValue) throws(JSONFieldError) {
        guard case .object(let object) = value else {
            throw JSONFieldError(subject: subject, field: "(data)", problem: "is not a JSON object")
        }
        self.init(subject: subject, object: object)
    }

    /// Reads the members of `object`.
    public init(subject: String, object: OrderedDictionary<String, JSONValue>) {
        self.subject = subject
        self.object = object
    }

    /// Reads an object nested in an event of `eventType`.
    public init(eventType: String, object: OrderedDictionary<String, JSONValue>) {
        self.init(subject: "event '\(eventType)'", object: object)
    }

    private func error(_ field: String, _ problem: String) -> JSONFieldError {
        JSONFieldError(subject: subject, field: field, problem: problem)
    }

    public func value(_ field: String) throws(JSONFieldError) -> JSONValue {
        guard let v = object[field] else { throw error(field, "is missing") }
        return v
    }

    /// The member, nil when it is absent or null.
    public func optional(_ field: String) -> JSONValue? {
        guard let v = object[field], !v.isNull else { return nil }
        return v
    }

    public func string(_ field: String) throws(JSONFieldError) -> String {
        guard case .string(let s) = try value(field) else { throw error(field, "is not a string") }
        return s
    }

    public func optionalString(_ field: String) throws(JSONFieldError) -> String? {
        guard let v = optional(field) else { return nil }
        guard case .string(let s) = v else { throw error(field, "is not a string") }
        return s
    }

    public func int(_ field: String) throws(JSONFieldError) -> Int {
        guard case .number(let n) = try value(field), let i = Int(exactly: n) else { throw error(field, "is not an integer") }
        return i
    }

    public func optionalInt(_ field: String) throws(JSONFieldError) -> Int? {
        guard optional(field) != nil else { return nil }
        return try int(field)
    }

    public func bool(_ field: String) throws(JSONFieldError) -> Bool {
        guard case .bool(let b) = try value(field) else { throw error(field, "is not a boolean") }
        return b
    }

    public func uuid(_ field: String) throws(JSONFieldError) -> UUID {
        guard let id = UUID(uuidString: try string(field)) else { throw error(field, "is not a UUID") }
        return id
    }

    /// A time written by `EventTime.encode`.
    public func date(_ field: String) throws(JSONFieldError) -> Date {
        guard let date = EventTime.decode(try value(field)) else { throw error(field, "is not a time in epoch milliseconds") }
        return date
    }

    public func optionalDate(_ field: String) throws(JSONFieldError) -> Date? {
        guard optional(field) != nil else { return nil }
        return try date(field)
    }

    /// An object of strings (absent or null: empty).
    public func stringMap(_ field: String) throws(JSONFieldError) -> [String: String] {
        guard let v = optional(field) else { return [:] }
        guard case .object(let o) = v else { throw error(field, "is not an object") }
        var out: [String: String] = [:]
        for (k, v) in o {
            guard case .string(let s) = v else { throw error("\(field).\(k)", "is not a string") }
            out[k] = s
        }
        return out
    }
}
