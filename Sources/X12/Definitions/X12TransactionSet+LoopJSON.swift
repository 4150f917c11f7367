import JSON
import OrderedCollections

extension X12TransactionSet {
    /// The set as loop JSON, the shape mappings read and write:
    ///
    ///     { "transactionSet": "940", "version": "004010", "controlNumber": "0001",
    ///       "ST": {"ST01": "940", "ST02": "0001"},
    ///       "W05": {"W0501": "N", "W0502": "ORD-1"},
    ///       "N9": [ {"N901": "PO", "N902": "123"} ],
    ///       "N1_loop": [ { "N1": {…}, "N3": [{…}], "N4": {…} } ],
    ///       "SE": {"SE01": "12", "SE02": "0001"},
    ///       "unparsed": [ {"segment": "XYZ", …} ] }
    ///
    /// "version" is the version of the definitions the tree follows ("004010" for an 004060
    /// set read with them; "" without a definition). A segment whose maximum use at its place
    /// is 1 is an object, otherwise an array of
    /// objects; a loop is `<first segment id>_loop` (suffixes for repeats: see
    /// ``X12TransactionSetDefinition``), an array of instances keyed like the set. Elements
    /// are keyed by reference designator as in ``X12Segment/jsonValue`` (without its "segment"
    /// key). Keys appear in definition order; absent segments and loops are left out. The 856's
    /// HL loop is one flat array of HL instances in input order (HL nesting is by pointers).
    ///
    /// Tolerant: the tree is the best placement even when ``X12DefinitionValidator`` reports
    /// errors; a segment that fits nowhere (or a second occurrence of a segment whose place
    /// allows one) goes, in input order, to "unparsed" with its "segment" key, so nothing is
    /// lost; a segment out of sequence within its level is shown at its defined place (so the
    /// reverse writes it there). With no definition every segment but ST and SE is "unparsed".
    public func loopJSON(definition: X12TransactionSetDefinition?) -> JSONValue {
        guard let definition else {
            var out = header(version: "")
            if let st = segments.first, st.id == .ST { out["ST"] = st.elementsJSON }
            let body = segments.filter { $0.id != .ST && $0.id != .SE }
            if !body.isEmpty { out["unparsed"] = .array(body.map(\.jsonValue)) }
            if let se = segments.last, se.id == .SE, segments.count > 1 { out["SE"] = se.elementsJSON }
            return .object(out)
        }
        var matcher = X12LoopMatcher(definition: definition, set: self)
        return loopJSON(definition: definition, tree: matcher.run())
    }

    /// The loop JSON from a placement the matcher already made.
    func loopJSON(definition: X12TransactionSetDefinition, tree: X12LoopTree) -> JSONValue {
        var out = header(version: definition.version)
        var unparsed = tree.unparsed
        append(tree.root, definition.structure, into: &out, unparsed: &unparsed)
        if !unparsed.isEmpty { out["unparsed"] = .array(unparsed.sorted().map { segments[$0].jsonValue }) }
        return .object(out)
    }

    /// The keys every loop JSON starts with.
    private func header(version: String) -> OrderedDictionary<String, JSONValue> {
        ["transactionSet": .string(identifier), "version": .string(version), "controlNumber": .string(controlNumber)]
    }

    /// ``loopJSON(definition:)`` with the definition ``X12Definitions/lookup(_:gs08:)`` finds
    /// for this set under GS08 (the "version" key then says which definitions were used).
    public func loopJSON(gs08: String) -> JSONValue {
        loopJSON(definition: X12Definitions.lookup(identifier, gs08: gs08).definition)
    }

    private func append(_ instance: X12LoopTree.Instance, _ nodes: [X12StructureNode],
                        into out: inout OrderedDictionary<String, JSONValue>, unparsed: inout [Int]) {
        for (k, node) in nodes.enumerated() {
            switch (node, instance.slots[k]) {
            case (.segment(let use), .segments(let list)) where !list.isEmpty:
                if use.maxUse == 1 {
                    out[use.key] = segments[list[0]].elementsJSON
                    unparsed += list.dropFirst()
                } else {
                    out[use.key] = .array(list.map { segments[$0].elementsJSON })
                }
            case (.loop(let loop), .loops(let list)) where !list.isEmpty:
                out[loop.key] = .array(list.map { inner in
                    var object = OrderedDictionary<String, JSONValue>()
                    append(inner, loop.children, into: &object, unparsed: &unparsed)
                    return .object(object)
                })
            default: break
            }
        }
    }
}

extension X12Segment {
    /// ``jsonValue`` without its "segment" key: the element object of the loop JSON.
    var elementsJSON: JSONValue {
        var object = OrderedDictionary<String, JSONValue>(minimumCapacity: elementCount)
        appendElements(to: &object)
        return .object(object)
    }
}

extension X12FunctionalGroup {
    /// `{"GS": {...}, "transactionSets": [<loop JSON of each set under GS08>], "GE": {...}}`:
    /// ``jsonValue`` with each set in the loop model.
    public var loopJSON: JSONValue {
        .object([
            "GS": header.jsonValue,
            "transactionSets": .array(transactionSets.map { $0.loopJSON(gs08: header[8]) }),
            "GE": trailer?.jsonValue ?? .null,
        ])
    }
}

extension X12Interchange {
    /// ``jsonValue`` with every set in the loop model (what `paklog edi parse` prints).
    public var loopJSON: JSONValue {
        .object([
            "ISA": headerSegment.jsonValue,
            "serviceSegments": .array(serviceSegments.map(\.jsonValue)),
            "groups": .array(groups.map(\.loopJSON)),
            "IEA": trailer?.jsonValue ?? .null,
        ])
    }
}
