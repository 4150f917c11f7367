import Foundation
import JSON
import OrderedCollections

/// Reads a command's fields and collects every problem instead of stopping at the first, so a
/// refused command names all its reasons at once (`ValidationReason.path` is the JSON path).
final class CommandFields {
    let object: OrderedDictionary<String, JSONValue>
    let prefix: String
    private(set) var reasons: [ValidationReason]
    private let parent: CommandFields?

    init(_ value: JSONValue, path prefix: String = "", parent: CommandFields? = nil) {
        self.object = value.objectValue ?? [:]
        self.prefix = prefix
        self.reasons = []
        self.parent = parent
        if value.objectValue == nil { fail(prefix.isEmpty ? "$" : prefix, "invalid", "must be an object") }
    }

    func path(_ field: String) -> String { prefix.isEmpty ? field : "\(prefix).\(field)" }

    func fail(_ path: String, _ code: String, _ message: String) {
        if let parent { parent.fail(path, code, message) } else { reasons.append(ValidationReason(code: code, path: path, message: message)) }
    }

    func fail(field: String, _ code: String, _ message: String) { fail(path(field), code, message) }

    private func present(_ field: String) -> JSONValue? {
        guard let v = object[field], !v.isNull else { return nil }
        if case .string(let s) = v, s.isEmpty { return nil }
        return v
    }

    func string(_ field: String) -> String? {
        guard let v = present(field) else { fail(field: field, "required", "is required"); return nil }
        switch v {
        case .string(let s): return s
        case .number: return String(decoding: v.serialized(), as: UTF8.self)  // ids from CSV or X12 are often numbers
        default: fail(field: field, "invalid", "must be a string"); return nil
        }
    }

    func optionalString(_ field: String) -> String? {
        guard present(field) != nil else { return nil }
        return string(field)
    }

    func number(_ field: String) -> Double? {
        guard let v = present(field) else { fail(field: field, "required", "is required"); return nil }
        switch v {
        case .number(let d): return d
        case .string(let s):
            if let d = Double(s.trimmingCharacters(in: .whitespaces)) { return d }
            fail(field: field, "invalid", "must be a number, got '\(s)'"); return nil
        default: fail(field: field, "invalid", "must be a number"); return nil
        }
    }

    func optionalNumber(_ field: String) -> Double? {
        guard present(field) != nil else { return nil }
        return number(field)
    }

    /// `quantity(_:)` when the field is there, else nil (an optional quantity).
    func optionalQuantity(_ field: String) -> Int? {
        guard present(field) != nil else { return nil }
        return quantity(field)
    }

    /// A quantity: a whole number above zero (or at least zero when `allowZero`).
    func quantity(_ field: String, allowZero: Bool = false) -> Int? {
        guard let d = number(field) else { return nil }
        guard d.rounded() == d, abs(d) < 1e12 else { fail(field: field, "invalid", "must be a whole number, got \(d)"); return nil }
        guard d > 0 || (allowZero && d == 0) else { fail(field: field, "invalid", allowZero ? "must not be negative, got \(Int(d))" : "must be positive, got \(Int(d))"); return nil }
        return Int(d)
    }

    func int(_ field: String) -> Int? {
        guard let d = number(field) else { return nil }
        guard d.rounded() == d, abs(d) < 1e12 else { fail(field: field, "invalid", "must be a whole number, got \(d)"); return nil }
        return Int(d)
    }

    func optionalInt(_ field: String) -> Int? {
        guard present(field) != nil else { return nil }
        return int(field)
    }

    func bool(_ field: String, default value: Bool) -> Bool {
        guard let v = present(field) else { return value }
        switch v {
        case .bool(let b): return b
        case .string(let s) where ["true", "yes", "1"].contains(s.lowercased()): return true
        case .string(let s) where ["false", "no", "0"].contains(s.lowercased()): return false
        default: fail(field: field, "invalid", "must be true or false"); return value
        }
    }

    /// A time: epoch milliseconds or an ISO 8601 timestamp (`2026-12-02T17:00:00Z`).
    func optionalDate(_ field: String) -> Date? {
        guard let v = present(field) else { return nil }
        switch v {
        case .number(let ms): return Date(timeIntervalSince1970: ms / 1000)
        case .string(let s):
            if let d = (try? Date(s, strategy: .iso8601)) ?? (try? Date(s, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) {
                return EventTime.truncated(d)
            }
            if let d = try? Date(s, strategy: Date.ISO8601FormatStyle().year().month().day()) { return d }
            fail(field: field, "invalid", "must be an ISO 8601 time such as 2026-12-02T17:00:00Z, got '\(s)'"); return nil
        default: fail(field: field, "invalid", "must be a time"); return nil
        }
    }

    func oneOf(_ field: String, _ allowed: [String], default value: String? = nil) -> String? {
        guard let s = value == nil ? string(field) : (optionalString(field) ?? value) else { return nil }
        guard allowed.contains(s) else { fail(field: field, "invalid", "must be one of \(allowed.joined(separator: ", ")), got '\(s)'"); return nil }
        return s
    }

    /// A nested object's reader; its problems are reported here with its path.
    func object(_ field: String) -> CommandFields? {
        guard let v = present(field) else { fail(field: field, "required", "is required"); return nil }
        return CommandFields(v, path: path(field), parent: self)
    }

    /// The elements of an array member, each with its own reader (`lines[2]`).
    func array(_ field: String, nonEmpty: Bool = true) -> [CommandFields] {
        guard let v = present(field) else {
            if nonEmpty { fail(field: field, "required", "is required and must not be empty") }
            return []
        }
        guard case .array(let items) = v else { fail(field: field, "invalid", "must be an array"); return [] }
        if items.isEmpty && nonEmpty { fail(field: field, "required", "must not be empty") }
        return items.enumerated().map { CommandFields($0.element, path: "\(path(field))[\($0.offset)]", parent: self) }
    }

    func stringArray(_ field: String) -> [String] {
        guard let v = present(field) else { return [] }
        guard case .array(let items) = v else { fail(field: field, "invalid", "must be an array of strings"); return [] }
        return items.enumerated().compactMap { i, item in
            if case .string(let s) = item { return s }
            fail("\(path(field))[\(i)]", "invalid", "must be a string"); return nil
        }
    }
}
