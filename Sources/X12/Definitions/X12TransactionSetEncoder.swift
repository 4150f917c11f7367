import JSON
import OrderedCollections

/// A problem with loop JSON given to ``X12TransactionSetEncoder``: where (a JSON path such as
/// `$.N1_loop[1].N3[0].N301`) and the rule broken.
public struct X12LoopJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var rule: String

    public init(path: String, rule: String) {
        self.path = path
        self.rule = rule
    }

    public var description: String { "\(path): \(rule)" }
}

/// Builds a transaction set's segments from loop JSON (the shape of
/// ``X12TransactionSet/loopJSON(definition:)``), in definition order, with the given
/// delimiters and control number.
///
/// ST and SE are written here: ST01 is the definition's set, ST02 and SE02 the control number,
/// SE01 the segment count; an "ST" object in the input may add ST03 (005010) and must agree
/// on ST01, "SE" in the input is ignored (its values are computed). "unparsed" segments are
/// written, in their order, just before SE. Element values are strings (a JSON number is
/// written as its shortest decimal text); values are not checked against lengths and codes
/// here: run ``X12DefinitionValidator`` on the result for that.
public struct X12TransactionSetEncoder: Sendable {
    public var definition: X12TransactionSetDefinition
    public var delimiters: X12Delimiters

    public init(definition: X12TransactionSetDefinition, delimiters: X12Delimiters) {
        self.definition = definition
        self.delimiters = delimiters
    }

    /// The set for `json`.
    ///
    /// - Throws: ``X12LoopJSONError`` for an unknown key, a value of the wrong type, a
    ///   segment or loop over its maximum use, a missing mandatory segment or loop, or an
    ///   element value that contains one of `delimiters`.
    public func encode(_ json: JSONValue, controlNumber: String) throws(X12LoopJSONError) -> X12TransactionSet {
        try encodeWithPaths(json, controlNumber: controlNumber).set
    }

    /// ``encode(_:controlNumber:)``, also giving the JSON path each segment came from
    /// (`paths[i]` for segment `i`, ST = 0), so that an error ``X12DefinitionValidator``
    /// finds at segment position k of the result can be shown at `paths[k - 1]` of the input.
    public func encodeWithPaths(_ json: JSONValue, controlNumber: String) throws(X12LoopJSONError) -> (set: X12TransactionSet, paths: [String]) {
        var paths: [String] = []
        guard case .object(let root) = json else { throw X12LoopJSONError(path: "$", rule: "a transaction set is a JSON object") }
        let nodeKeys = Set(definition.structure.map(\.key))
        for key in root.keys where !nodeKeys.contains(key) && !["transactionSet", "version", "controlNumber", "unparsed"].contains(key) {
            throw X12LoopJSONError(path: "$.\(key)", rule: "\"\(key)\" is not a segment or loop of \(name) at this level")
        }
        if let t = root["transactionSet"], t != .string(definition.identifier) {
            throw X12LoopJSONError(path: "$.transactionSet", rule: "must be \"\(definition.identifier)\" for the \(name) definition")
        }
        var out: [X12Segment] = []
        var st: [X12ElementValue] = [.simple(definition.identifier), .simple(controlNumber)]
        if let given = root["ST"] {
            let values = try elements(given, of: definition.segments[.ST]!, path: "$.ST")
            if values.count > 0, !values[0].isEmpty, values[0] != .simple(definition.identifier) {
                throw X12LoopJSONError(path: "$.ST.ST01", rule: "must be \"\(definition.identifier)\" for the \(name) definition")
            }
            if values.count > 2 { st += values[2...] }
        }
        out.append(try segment(.ST, st, path: "$.ST"))
        paths.append("$.ST")
        try encode(root, definition.structure, path: "$", into: &out, paths: &paths, top: true)
        if let unparsed = root["unparsed"] {
            guard case .array(let list) = unparsed else { throw X12LoopJSONError(path: "$.unparsed", rule: "must be an array of segment objects") }
            for (i, item) in list.enumerated() {
                let path = "$.unparsed[\(i)]"
                guard case .object(let o) = item, case .string(let idText)? = o["segment"], let id = X12SegmentID(string: idText) else {
                    throw X12LoopJSONError(path: path, rule: "an unparsed segment is an object with a valid \"segment\" id")
                }
                out.append(try segment(id, try elements(item, of: nil, id: id, path: path), path: path))
                paths.append(path)
            }
        }
        out.append(try segment(.SE, [.simple(String(out.count + 1)), .simple(controlNumber)], path: "$.SE"))
        paths.append("$.SE")
        return (X12TransactionSet(segments: out, position: X12Position(byteOffset: 0, interchange: 0, segmentInInterchange: 1, segmentID: .ST)), paths)
    }

    private var name: String { "\(definition.identifier) \(definition.version)" }

    private func encode(_ object: OrderedDictionary<String, JSONValue>, _ nodes: [X12StructureNode], path: String,
                        into out: inout [X12Segment], paths: inout [String], top: Bool) throws(X12LoopJSONError) {
        for node in nodes {
            let key = node.key
            if top, node.leadingID == .ST || node.leadingID == .SE { continue }
            let p = "\(path).\(key)"
            guard let value = object[key] else {
                if node.requirement == .mandatory {
                    throw X12LoopJSONError(path: p, rule: "\(key) is mandatory \(top ? "in" : "in each instance of this loop of") \(name)")
                }
                continue
            }
            switch node {
            case .segment(let use):
                let d = definition.segments[use.id]!
                if use.maxUse == 1 {
                    guard case .object = value else { throw X12LoopJSONError(path: p, rule: "\(key) occurs at most once here: an object, not \(kind(value))") }
                    out.append(try segment(use.id, try elements(value, of: d, path: p), path: p))
                    paths.append(p)
                } else {
                    guard case .array(let list) = value else { throw X12LoopJSONError(path: p, rule: "\(key) may repeat here: an array of objects, not \(kind(value))") }
                    if list.count > use.maxUse { throw X12LoopJSONError(path: p, rule: "\(key) may occur at most \(use.maxUse) times here; found \(list.count)") }
                    if list.isEmpty, use.requirement == .mandatory { throw X12LoopJSONError(path: p, rule: "\(key) is mandatory in \(name)") }
                    for (i, item) in list.enumerated() {
                        out.append(try segment(use.id, try elements(item, of: d, path: "\(p)[\(i)]"), path: "\(p)[\(i)]"))
                        paths.append("\(p)[\(i)]")
                    }
                }
            case .loop(let loop):
                guard case .array(let list) = value else { throw X12LoopJSONError(path: p, rule: "\(key) is a loop: an array of instances, not \(kind(value))") }
                if list.count > loop.maxUse { throw X12LoopJSONError(path: p, rule: "\(key) may occur at most \(loop.maxUse) times; found \(list.count)") }
                if list.isEmpty, loop.requirement == .mandatory { throw X12LoopJSONError(path: p, rule: "\(key) is mandatory in \(name)") }
                let keys = Set(loop.children.map(\.key))
                for (i, item) in list.enumerated() {
                    let ip = "\(p)[\(i)]"
                    guard case .object(let inner) = item else { throw X12LoopJSONError(path: ip, rule: "a loop instance is an object, not \(kind(item))") }
                    if let unknown = inner.keys.first(where: { !keys.contains($0) }) {
                        throw X12LoopJSONError(path: "\(ip).\(unknown)", rule: "\"\(unknown)\" is not a segment or loop of \(key) in \(name)")
                    }
                    try encode(inner, loop.children, path: ip, into: &out, paths: &paths, top: false)
                }
            }
        }
    }

    /// The element values of one segment object, by reference designator.
    private func elements(_ value: JSONValue, of d: X12SegmentDefinition?, id: X12SegmentID? = nil, path: String) throws(X12LoopJSONError) -> [X12ElementValue] {
        guard case .object(let o) = value else { throw X12LoopJSONError(path: path, rule: "a segment is an object of elements, not \(kind(value))") }
        let sid = d?.id ?? id!
        let prefix = sid.description
        var values: [X12ElementValue] = []
        for (key, v) in o {
            if key == "segment" {
                guard v == .string(prefix) else { throw X12LoopJSONError(path: "\(path).segment", rule: "must be \"\(prefix)\" here") }
                continue
            }
            let p = "\(path).\(key)"
            guard key.hasPrefix(prefix), key.count == prefix.count + 2, let n = Int(key.dropFirst(prefix.count)), n >= 1 else {
                throw X12LoopJSONError(path: p, rule: "\"\(key)\" is not an element of \(prefix) (keys are reference designators such as \(prefix)01)")
            }
            if let d, n > d.elements.count {
                throw X12LoopJSONError(path: p, rule: "\(prefix) (\(d.name)) has \(d.elements.count) elements in \(name)")
            }
            let element: X12ElementValue
            switch v {
            case .string(let s): element = .simple(s)
            case .number: element = .simple(text(v))
            case .array(let items) where items.allSatisfy({ if case .array = $0 { true } else { false } }) && !items.isEmpty:
                var reps: [[String]] = []
                for (r, item) in items.enumerated() {
                    guard case .array(let comps) = item else { continue }
                    var c: [String] = []
                    for (k, comp) in comps.enumerated() {
                        guard let s = scalar(comp) else { throw X12LoopJSONError(path: "\(p)[\(r)][\(k)]", rule: "a component is a string, not \(kind(comp))") }
                        c.append(s)
                    }
                    reps.append(c)
                }
                element = .repeated(reps)
            case .array(let comps):
                var c: [String] = []
                for (k, comp) in comps.enumerated() {
                    guard let s = scalar(comp) else { throw X12LoopJSONError(path: "\(p)[\(k)]", rule: "a component is a string, not \(kind(comp))") }
                    c.append(s)
                }
                element = .composite(c)
            default:
                throw X12LoopJSONError(path: p, rule: "an element is a string, an array of components or an array of repetitions, not \(kind(v))")
            }
            while values.count < n { values.append(.simple("")) }
            values[n - 1] = element
        }
        return values
    }

    private func segment(_ id: X12SegmentID, _ values: [X12ElementValue], path: String) throws(X12LoopJSONError) -> X12Segment {
        do {
            return try X12Segment(id: id, elements: values, delimiters: delimiters)
        } catch {
            let p = error.position
            var where_ = "\(path).\(id)\(p.element.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "")"
            if let r = p.repetition { where_ += "[\(r - 1)]" }
            if let c = p.component { where_ += "[\(c - 1)]" }
            throw X12LoopJSONError(path: where_, rule: error.rule)
        }
    }

    private func scalar(_ v: JSONValue) -> String? {
        switch v {
        case .string(let s): s
        case .number: text(v)
        default: nil
        }
    }

    private func text(_ v: JSONValue) -> String {
        guard case .number(let d) = v else { return "" }
        if let i = v.intValue { return String(i) }
        return "\(d)"
    }

    private func kind(_ v: JSONValue) -> String {
        switch v {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension X12TransactionSetEncoder {
    /// An encoder for a set we have no definition for: its loop JSON (see
    /// ``X12TransactionSet/loopJSON(definition:)`` with nil) holds everything but ST and SE
    /// under "unparsed", which this writes back in order.
    public static func undefined(_ identifier: String, delimiters: X12Delimiters) -> X12TransactionSetEncoder {
        let structure = X12DefinitionTables.structure("ST M 1\nSE M 1")
        var segments: [X12SegmentID: X12SegmentDefinition] = [:]
        for id in [X12SegmentID.ST, .SE] { segments[id] = X12Definitions.segment(id, version: "005010") }
        let definition = X12TransactionSetDefinition(identifier: identifier, version: "", name: "(no definition)", functionalIdentifier: "",
                                                     structure: structure, segments: segments, isHierarchical: false)
        return X12TransactionSetEncoder(definition: definition, delimiters: delimiters)
    }
}
