/// The transaction-set definitions this gateway knows, built once from the tables of this
/// folder: 850, 855, 856, 940, 943, 944, 945, 846 and 997 in 004010 and 005010, the 999 in
/// 005010, and the TA1 segment (an interchange segment, in ``segment(_:version:)``).
public enum X12Definitions {
    /// The definitions' versions.
    public static let versions = ["004010", "005010"]

    private struct Version: Sendable {
        var segments: [X12SegmentID: X12SegmentDefinition]
        var sets: [String: X12TransactionSetDefinition]
    }

    private static let built: [String: Version] = {
        let c4 = X12DefinitionTables.composites(X12SegmentDirectory.composites)
        let c5 = c4.merging(X12DefinitionTables.composites(X12SegmentDirectory.composites005010)) { _, new in new }
        let s4 = X12DefinitionTables.segments(X12SegmentDirectory.v004010, composites: c4)
        // 005010: the 004010 lines read again with the 005010 composites, then the overlay.
        let s5 = X12DefinitionTables.segments(X12SegmentDirectory.v004010, composites: c5)
            .merging(X12DefinitionTables.segments(X12SegmentDirectory.v005010, composites: c5)) { _, new in new }
        func sets(_ entries: [String: X12SetStructures.Entry], _ segments: [X12SegmentID: X12SegmentDefinition],
                  _ version: String) -> [String: X12TransactionSetDefinition] {
            var out: [String: X12TransactionSetDefinition] = [:]
            for (identifier, entry) in entries {
                let structure = X12DefinitionTables.structure(entry.structure)
                var used: [X12SegmentID: X12SegmentDefinition] = [:]
                func collect(_ nodes: [X12StructureNode]) {
                    for node in nodes {
                        switch node {
                        case .segment(let s):
                            guard let d = segments[s.id] else { preconditionFailure("segment \(s.id) of \(identifier) \(version) has no definition") }
                            used[s.id] = d
                        case .loop(let l): collect(l.children)
                        }
                    }
                }
                collect(structure)
                out[identifier] = X12TransactionSetDefinition(
                    identifier: identifier, version: version, name: entry.name, functionalIdentifier: entry.functionalIdentifier,
                    structure: structure, segments: used, isHierarchical: structure.contains { $0.leadingID == X12SegmentID("HL") })
            }
            return out
        }
        return [
            "004010": Version(segments: s4, sets: sets(X12SetStructures.v004010, s4, "004010")),
            "005010": Version(segments: s5, sets: sets(X12SetStructures.v005010, s5, "005010")),
        ]
    }()

    /// The definition of set `identifier` in `version` ("004010" or "005010" exactly).
    public static func definition(_ identifier: String, version: String) -> X12TransactionSetDefinition? {
        built[version]?.sets[identifier]
    }

    /// A segment of the directory of `version` (e.g. TA1, which belongs to no set).
    public static func segment(_ id: X12SegmentID, version: String = "004010") -> X12SegmentDefinition? {
        built[version]?.segments[id]
    }

    /// Whether the directory of `version` knows this segment id at all (AK304 1 vs 6).
    static func isKnownSegment(_ id: X12SegmentID, version: String) -> Bool { built[version]?.segments[id] != nil }

    /// Finds the definition for a set under a GS08 version string ("004010VICS", "005010X231A1").
    ///
    /// **Decision:** a release of the same version reads with that version's definitions
    /// (004020–004060 with 004010's, 005020–005050 with 005010's), and the lookup says so in
    /// ``X12DefinitionLookup/note``: the sets' common subset differs little between releases,
    /// and refusing to check an 004030 850 at all would check less, not more. Other versions
    /// (003xxx, 006xxx …) and sets we do not define have no definition: not an error.
    public static func lookup(_ identifier: String, gs08: String) -> X12DefinitionLookup {
        let digits = gs08.prefix(6)
        guard digits.count == 6, digits.allSatisfy(\.isNumber) else {
            return X12DefinitionLookup(definition: nil, requestedVersion: String(digits),
                                       note: "no definition: GS08 \"\(gs08)\" does not begin with a 6-digit version")
        }
        let requested = String(digits)
        let family = requested.hasPrefix("004") ? "004010" : requested.hasPrefix("005") ? "005010" : nil
        guard let family else {
            return X12DefinitionLookup(definition: nil, requestedVersion: requested,
                                       note: "no definition: version \(requested) is not one we define (004010, 005010)")
        }
        guard let d = definition(identifier, version: family) else {
            return X12DefinitionLookup(definition: nil, requestedVersion: requested,
                                       note: "no definition for transaction set \(identifier) in \(family)")
        }
        let note = family == requested ? nil : "version \(requested) is read with the \(family) definitions"
        return X12DefinitionLookup(definition: d, requestedVersion: requested, note: note)
    }
}

/// What ``X12Definitions/lookup(_:gs08:)`` found.
public struct X12DefinitionLookup: Sendable, Hashable {
    /// nil: no definition (the set is still enveloped and checked as such).
    public var definition: X12TransactionSetDefinition?
    /// The 6-digit version GS08 names.
    public var requestedVersion: String
    /// Why there is no definition, or which definitions stand in for the requested version.
    public var note: String?
}
