import JSON

/// What checking one transaction set against its definition found.
public struct X12SetValidation: Sendable, Hashable {
    /// Which definition was used, or why there is none (then ``errors`` is empty: a set we have
    /// no definition for is not an error; its envelope is still checked by
    /// ``X12EnvelopeValidator``).
    public var lookup: X12DefinitionLookup
    /// Segment (AK3/IK3) and element (AK4/IK4) errors, in segment order.
    public var errors: [X12Error]

    /// Whether a definition was applied.
    public var hasDefinition: Bool { lookup.definition != nil }

    /// The set-level code these errors call for in AK5/IK5 (AK502): 5, "one or more segments
    /// in error", when there is any; nil when the set is sound against its definition. (The
    /// envelope's set codes 2–4, 6, 7 and 23 come from ``X12EnvelopeValidator``.)
    public var setErrorCode: AK5SetErrorCode? { errors.isEmpty ? nil : .segmentsInError }
}

/// Checks transaction sets against the definitions of ``X12Definitions``: the set's structure
/// (segment order, loops, requirements and maximum uses: AK3/IK3 codes 1–7), every segment's
/// elements (AK4/IK4 codes 1–10, 12, 13) and, for hierarchical sets (856), the HL pointers.
///
/// The envelope (ST/SE counts and control numbers) is ``X12EnvelopeValidator``'s and is not
/// repeated here. An acknowledgment built from these errors writes AK3 code 8 for a segment
/// with element errors and AK5/IK5 code 5 ("one or more segments in error") for a set with
/// any error here.
public enum X12DefinitionValidator {
    /// Checks `set` under its group's GS08 ("004010VICS", "005010X231A1").
    public static func validate(_ set: X12TransactionSet, gs08: String) -> X12SetValidation {
        let lookup = X12Definitions.lookup(set.identifier, gs08: gs08)
        guard let definition = lookup.definition else { return X12SetValidation(lookup: lookup, errors: []) }
        return X12SetValidation(lookup: lookup, errors: validate(set, definition: definition))
    }

    /// Checks `set` against `definition`.
    public static func validate(_ set: X12TransactionSet, definition: X12TransactionSetDefinition) -> [X12Error] {
        var matcher = X12LoopMatcher(definition: definition, set: set)
        _ = matcher.run()
        return validate(set, definition: definition, structureErrors: matcher.errors)
    }

    /// What a strict, partner-facing gateway holds against `set` beyond its envelope: its
    /// definition errors, or, when there is no definition here, AK5 code 1 (set not supported):
    /// a set that cannot be checked is not taken. The acknowledgments and the x12 mappings both
    /// refuse by this.
    public static func strictErrors(_ validation: X12SetValidation, of set: X12TransactionSet) -> [X12Error] {
        guard !validation.hasDefinition else { return validation.errors }
        return [X12Error(.transactionSet(.setNotSupported), at: set.position,
                         "no definition of transaction set \(set.identifier) for GS08 \(validation.lookup.requestedVersion); the gateway takes only sets it can validate")]
    }

    /// ``validate(_:gs08:)`` and the set's loop JSON (``X12TransactionSet/loopJSON(definition:)``)
    /// from one placement of its segments: what a mapping of the set needs.
    public static func validateWithLoopJSON(_ set: X12TransactionSet, gs08: String) -> (validation: X12SetValidation, loopJSON: JSONValue) {
        let lookup = X12Definitions.lookup(set.identifier, gs08: gs08)
        guard let definition = lookup.definition else {
            return (X12SetValidation(lookup: lookup, errors: []), set.loopJSON(definition: nil))
        }
        var matcher = X12LoopMatcher(definition: definition, set: set)
        let tree = matcher.run()
        let errors = validate(set, definition: definition, structureErrors: matcher.errors)
        return (X12SetValidation(lookup: lookup, errors: errors), set.loopJSON(definition: definition, tree: tree))
    }

    /// The element rules and HL checks, after the matcher's structure errors.
    private static func validate(_ set: X12TransactionSet, definition: X12TransactionSetDefinition, structureErrors: [X12Error]) -> [X12Error] {
        var errors = structureErrors
        let context = "\(definition.identifier) \(definition.version)"
        var rules: [X12SegmentID: X12SegmentRules] = [:]
        let positions = X12SetPositions(set)
        for (index, segment) in set.segments.enumerated() {
            guard let d = definition.segments[segment.id] else { continue }
            // ST01/ST02 and SE01/SE02 are the envelope validator's (and ST01 chose this definition).
            if segment.id == .SE { continue }
            let r = rules[segment.id] ?? X12SegmentRules(definition: d, context: context)
            rules[segment.id] = r
            errors += r.check(segment, at: positions[index])
        }
        if definition.isHierarchical { errors += hierarchy(set, positions, context: context) }
        // Segment order: the structural error of a segment before its element errors.
        return errors.enumerated().sorted {
            let a = $0.element.position.segmentInSet ?? 0, b = $1.element.position.segmentInSet ?? 0
            return a != b ? a < b : $0.offset < $1.offset
        }.map(\.element)
    }

    /// The HL rules of X12 (HL segment notes) and the VICS 856: HL01 unique and, read as a
    /// number, increasing through the set; HL02, when present, an HL01 of an earlier HL.
    /// There is no AK4 code for a wrong pointer, so these are reported as code 7 (invalid
    /// value) on the element, with the rule in words.
    static func hierarchy(_ set: X12TransactionSet, _ positions: X12SetPositions, context: String) -> [X12Error] {
        var errors: [X12Error] = []
        var seen: Set<String> = []
        var last: Int?
        let hl = X12SegmentID("HL")
        for (index, segment) in set.segments.enumerated() where segment.id == hl {
            let position = positions[index]
            let id = segment[1], parent = segment[2]
            if !id.isEmpty {
                if !seen.insert(id).inserted {
                    errors.append(X12Error(.element(.invalidCodeValue), at: position.at(element: 1),
                                           "HL01 \"\(id)\" is used by an earlier HL; HL01 must be unique in the set (\(context))"))
                } else if let n = Int(id) {
                    if let last, n <= last {
                        errors.append(X12Error(.element(.invalidCodeValue), at: position.at(element: 1),
                                               "HL01 \(n) follows HL01 \(last); HL01 must increase through the set (\(context))"))
                    }
                    last = n
                }
            }
            if !parent.isEmpty {
                if parent == id {
                    errors.append(X12Error(.element(.invalidCodeValue), at: position.at(element: 2),
                                           "HL02 \"\(parent)\" names this HL itself; HL02 must name an earlier HL01 (\(context))"))
                } else if !seen.contains(parent) {
                    errors.append(X12Error(.element(.invalidCodeValue), at: position.at(element: 2),
                                           "HL02 \"\(parent)\" names no earlier HL01; HL02 must name an earlier HL01 (\(context))"))
                }
            }
        }
        return errors
    }
}

extension X12Document {
    /// Every transaction set checked against its definition (under its group's GS08), in input
    /// order; sets without a definition appear with ``X12SetValidation/hasDefinition`` false.
    /// Kept apart from ``errors`` (the syntax and envelope errors) so that a caller can tell an
    /// interchange-level rejection (TA1) from set-level ones (997/999).
    public var setValidations: [X12SetValidation] {
        interchanges.flatMap { i in
            i.groups.flatMap { g in g.transactionSets.map { X12DefinitionValidator.validate($0, gs08: g.header[8]) } }
        }
    }

    /// ``errors`` and every set's definition errors (runs the validation again on each access).
    public var allErrors: [X12Error] { errors + setValidations.flatMap(\.errors) }
}

extension X12TransactionSetStream.Context {
    /// The streamed set checked against its definition under its group's GS08.
    public var validation: X12SetValidation { X12DefinitionValidator.validate(transactionSet, gs08: group[8]) }
}
