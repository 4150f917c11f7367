import Codecs
import EventStore
import JSON
import X12

/// Applies the key extraction table to events: the one place that knows where business keys sit.
public struct BusinessKeyExtractor: Sendable {
    private let byType: [String: [BusinessKeyRule]]
    private let anyType: [BusinessKeyRule]
    /// Values longer than this are not keys (a body someone put in a header): not indexed.
    static let maximumLength = 200

    public init(rules: [BusinessKeyRule] = BusinessKeyRules.standard) {
        byType = Dictionary(grouping: rules.filter { $0.eventType != nil }, by: { $0.eventType! })
        anyType = rules.filter { $0.eventType == nil }
    }

    /// The keys of `event`, each once, in table order.
    public func keys(of event: RecordedEvent) -> [BusinessKey] {
        let category = event.stream.category
        let rules = (byType[event.type] ?? []) + anyType
        var document = EventDocument(event.data)
        var found: [BusinessKey] = []
        var seen: Set<BusinessKey> = []
        var headers: [String: [String]]?
        func add(_ kind: BusinessKeyKind, _ raw: String) {
            var value = raw.trimmingSpaces
            if kind == .as2MessageId, value.hasPrefix("<"), value.hasSuffix(">") { value = String(value.dropFirst().dropLast()) }
            guard !value.isEmpty, value.utf8.count <= Self.maximumLength else { return }
            let key = BusinessKey(kind: kind, value: value)
            if seen.insert(key).inserted { found.append(key) }
        }
        for rule in rules where rule.category == nil || rule.category == category {
            if let requires = rule.requires, document.strings(at: requires).isEmpty { continue }
            switch rule.field {
            case .streamId:
                // A route's topic stream (`order-route.<route>`) holds many orders: its id is none.
                if Topic.route(writing: event.stream) == nil { add(rule.kind, event.stream.id) }
            case .metadata(let name):
                if let v = event.metadata.extra[name] { add(rule.kind, v) }
            case .member(let path):
                for v in document.strings(at: path) { add(rule.kind, v) }
            case .header(let name):
                // Parsed and lowercased once per event, whatever the number of header rules.
                if headers == nil {
                    var map: [String: [String]] = [:]
                    if case .object(let object)? = document.value(at: ["headers"]) {
                        for (field, value) in object { if let v = value.stringValue { map[field.lowercased(), default: []].append(v) } }
                    }
                    headers = map
                }
                for v in headers?[name] ?? [] { add(rule.kind, v) }
            case .x12ControlNumbers(let path):
                guard let text = document.strings(at: path).first, let bytes = try? Base64.decode(text),
                      X12Document.looksLikeX12(bytes) else { continue }
                for interchange in X12Document(parsing: bytes).interchanges {
                    add(.isa13, String(decoding: interchange.header.controlNumber, as: UTF8.self))
                    for group in interchange.groups {
                        add(.gs06, group.controlNumber)
                        for set in group.transactionSets { add(.st02, set.controlNumber) }
                    }
                }
            }
        }
        return found
    }

    /// The strings (and numbers, as written) at `path`; arrays yield each element.
    static func values(at path: ArraySlice<String>, in value: JSONValue?) -> [String] {
        guard let value else { return [] }
        if case .array(let items) = value { return items.flatMap { values(at: path, in: $0) } }
        guard let first = path.first else {
            switch value {
            case .string(let s): return [s]
            case .number: return [String(decoding: value.serialized(), as: UTF8.self)]
            default: return []
            }
        }
        return values(at: path.dropFirst(), in: value[first])
    }
}

extension X12Document {
    /// An interchange starts with `ISA` (X12.5 §3.3), after optional whitespace.
    static func looksLikeX12(_ bytes: [UInt8]) -> Bool {
        let start = bytes.firstIndex { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 } ?? bytes.endIndex
        return bytes[start...].starts(with: Array("ISA".utf8))
    }
}

extension String {
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(scalars[first...last])
    }
}
