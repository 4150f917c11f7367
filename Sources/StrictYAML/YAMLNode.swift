import Foundation
import Yams

/// A node of a document read by `YAMLReader`. Accessors that find the wrong type report it to the
/// reader and return nil, so loading goes on and collects every problem.
public struct YAMLNode {
    public let node: Node
    /// Key path from the root: `routes[1].steps[0].to`.
    public let path: String
    public unowned let reader: YAMLReader

    public var line: Int { node.mark?.line ?? 0 }
    public var column: Int { node.mark?.column ?? 0 }

    /// Where this node is, for messages: `file:line:column`.
    public var location: String { "\(reader.file):\(line):\(column)" }

    public func report(_ message: String) { reader.report(message, at: self) }

    var isNull: Bool {
        if case .scalar(let s) = node { return s.tag.rawValue == Tag.Name.null.rawValue || (s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)) }
        return false
    }

    /// A scalar as text, whatever its implicit type (`8080` is "8080").
    public func scalarText() -> String? {
        guard case .scalar(let s) = node else {
            report("expected a single value, found \(kindName)")
            return nil
        }
        return s.string
    }

    /// A string. Numbers and booleans are refused unless quoted, because `on`/`1.10` surprises.
    public func string() -> String? {
        guard case .scalar(let s) = node else {
            report("expected a string, found \(kindName)")
            return nil
        }
        if s.style == .plain, node.int != nil || node.float != nil || node.bool != nil || isNull {
            report("expected a string, found \(plainScalarKind(s.string)) '\(s.string)' (quote it if it is meant as text)")
            return nil
        }
        return s.string
    }

    public func int(in range: ClosedRange<Int>? = nil) -> Int? {
        guard case .scalar(let s) = node, let value = node.int else {
            report("expected an integer, found \(describeValue)")
            return nil
        }
        _ = s
        if let range, !range.contains(value) {
            report("\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return value
    }

    public func double(in range: ClosedRange<Double>? = nil) -> Double? {
        guard case .scalar = node, let value = node.float ?? node.int.map(Double.init) else {
            report("expected a number, found \(describeValue)")
            return nil
        }
        if let range, !range.contains(value) {
            report("\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return value
    }

    public func bool() -> Bool? {
        guard case .scalar(let s) = node, ["true", "false"].contains(s.string) else {
            report("expected true or false, found \(describeValue)")
            return nil
        }
        return s.string == "true"
    }

    /// A duration such as `250ms`, `30s`, `5m`, `2h`, `30d`, or a bare number of seconds.
    public func duration() -> Duration? {
        guard let text = scalarText() else { return nil }
        if let d = Self.parseDuration(text) { return d }
        report("expected a duration such as 500ms, 30s, 5m, 1h or 30d, found '\(text)'")
        return nil
    }

    /// One of `allowed`.
    public func oneOf(_ allowed: [String]) -> String? {
        guard let text = scalarText() else { return nil }
        guard allowed.contains(text) else {
            report("'\(text)' is not one of: \(allowed.joined(separator: ", "))")
            return nil
        }
        return text
    }

    /// The items of a sequence; a single value is NOT promoted, to keep the schema one shape.
    public func sequence() -> [YAMLNode]? {
        guard case .sequence(let seq) = node else {
            report("expected a list, found \(kindName)")
            return nil
        }
        return seq.enumerated().map { YAMLNode(node: $1, path: "\(path)[\($0)]", reader: reader) }
    }

    /// A mapping whose keys must all be in `keys`; unknown keys are reported with a suggestion.
    public func mapping(keys: [String]) -> YAMLMapping? {
        guard let m = mapping() else { return nil }
        for (key, keyNode) in m.keyNodes where !keys.contains(key) {
            let suggestion = Self.closest(to: key, in: keys).map { " (did you mean '\($0)'?)" } ?? ""
            reader.report("unknown key '\(key)'\(suggestion); allowed here: \(keys.joined(separator: ", "))", at: keyNode)
        }
        return m
    }

    /// A mapping with any keys (for maps such as `headers:`).
    public func mapping() -> YAMLMapping? {
        guard case .mapping(let m) = node else {
            if isNull { return YAMLMapping(entries: [], keyNodes: [], owner: self) }
            report("expected a mapping of keys to values, found \(kindName)")
            return nil
        }
        var entries: [(String, YAMLNode)] = []
        var keyNodes: [(String, YAMLNode)] = []
        // Duplicate keys never get here: the YAML parser refuses them with their position.
        for (k, v) in m {
            let key = k.string ?? "\(k)"
            let child = YAMLNode(node: v, path: path.isEmpty ? key : "\(path).\(key)", reader: reader)
            let keyNode = YAMLNode(node: k, path: child.path, reader: reader)
            entries.append((key, child))
            keyNodes.append((key, keyNode))
        }
        return YAMLMapping(entries: entries, keyNodes: keyNodes, owner: self)
    }

    var kindName: String {
        switch node {
        case .scalar(let s): isNull ? "nothing (null)" : "the value '\(s.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private var describeValue: String {
        if case .scalar(let s) = node, !isNull { return "\(plainScalarKind(s.string)) '\(s.string)'" }
        return kindName
    }

    private func plainScalarKind(_ text: String) -> String {
        if node.int != nil { return "integer" }
        if node.float != nil { return "number" }
        if node.bool != nil { return "boolean" }
        if isNull { return "null" }
        return "string"
    }

    static func parseDuration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            if let v = Double(number), v >= 0, v.isFinite { return .milliseconds(Int64((v * factor * 1000).rounded())) }
        }
        if let v = Double(text), v >= 0, v.isFinite { return .milliseconds(Int64((v * 1000).rounded())) }
        return nil
    }

    /// The allowed key nearest to a typo (Levenshtein distance ≤ 2), for "did you mean".
    static func closest(to key: String, in candidates: [String]) -> String? {
        func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
            var previous = Array(0...b.count)
            for (i, ca) in a.enumerated() {
                var current = [i + 1]
                for (j, cb) in b.enumerated() {
                    current.append(Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
                }
                previous = current
            }
            return previous[b.count]
        }
        let k = Array(key.lowercased().utf8)
        return candidates
            .map { ($0, distance(k, Array($0.lowercased().utf8))) }
            .filter { $0.1 <= 2 }
            .min { $0.1 < $1.1 }?.0
    }
}

/// The entries of a mapping node, in file order.
public struct YAMLMapping {
    public let entries: [(key: String, value: YAMLNode)]
    let keyNodes: [(String, YAMLNode)]
    let owner: YAMLNode

    init(entries: [(String, YAMLNode)], keyNodes: [(String, YAMLNode)], owner: YAMLNode) {
        self.entries = entries.map { (key: $0.0, value: $0.1) }
        self.keyNodes = keyNodes
        self.owner = owner
    }

    /// The value at `key`, or nil (and nothing reported) if absent or null.
    public func optional(_ key: String) -> YAMLNode? {
        guard let v = entries.first(where: { $0.key == key })?.value, !v.isNull else { return nil }
        return v
    }

    /// The value at `key`; reports it missing.
    public func required(_ key: String) -> YAMLNode? {
        if let v = optional(key) { return v }
        owner.report("missing required key '\(key)'")
        return nil
    }

    public func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// Where the mapping itself is, for messages about the whole entry.
    public var node: YAMLNode { owner }
}
