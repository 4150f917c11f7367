/// One place in a transaction set's structure: a segment or a loop.
public enum X12StructureNode: Sendable, Hashable {
    case segment(X12SegmentUse)
    case loop(X12LoopDefinition)

    /// The id of the segment that begins this node (a loop's first segment).
    public var leadingID: X12SegmentID {
        switch self {
        case .segment(let s): s.id
        case .loop(let l): l.trigger
        }
    }

    public var requirement: X12Requirement {
        switch self {
        case .segment(let s): s.requirement
        case .loop(let l): l.requirement
        }
    }

    public var maxUse: Int {
        switch self {
        case .segment(let s): s.maxUse
        case .loop(let l): l.maxUse
        }
    }

    /// The key this node has in the loop JSON ("W05", "N1_loop").
    public var key: String {
        switch self {
        case .segment(let s): s.key
        case .loop(let l): l.key
        }
    }
}

/// A segment at one place of a set's structure: how often it may occur there.
public struct X12SegmentUse: Sendable, Hashable {
    public var id: X12SegmentID
    public var requirement: X12Requirement
    /// The maximum use; `Int.max` for the standard's ">1".
    public var maxUse: Int
    /// Its key in the loop JSON: the segment id, or `<id>_<n>` for the n-th use of the same
    /// id in one level (see ``X12TransactionSetDefinition``).
    public var key: String
}

/// A loop: a repeated group that begins with its first segment (the trigger).
public struct X12LoopDefinition: Sendable, Hashable {
    /// Its key in the loop JSON: `<first segment id>_loop`, or `<id>_loop_<n>` for the n-th
    /// loop with the same first segment in one level.
    public var key: String
    public var requirement: X12Requirement
    /// The maximum number of instances; `Int.max` for ">1".
    public var maxUse: Int
    /// The loop's contents, the trigger segment first.
    public var children: [X12StructureNode]

    public var trigger: X12SegmentID { children[0].leadingID }
}

/// One transaction set in one version: its ordered structure and the segment definitions it
/// uses. Built once from the text tables in this folder (see ``X12Definitions``).
///
/// **Keys in the loop JSON.** A segment's key is its id, a loop's `<first segment id>_loop`.
/// When one level would hold the same key twice (the same segment, or two loops beginning with
/// the same segment), the first in definition order keeps the plain key and the later ones get
/// `_2`, `_3`, … appended (`SAC_loop`, `SAC_loop_2`). Nested levels are separate objects, so a
/// header `N1_loop` and an item-level `N1_loop` need no suffix.
public struct X12TransactionSetDefinition: Sendable, Hashable {
    /// ST01, e.g. "940".
    public var identifier: String
    /// The version whose definitions these are: "004010" or "005010".
    public var version: String
    public var name: String
    /// The GS01 functional identifier code this set travels under ("OW" for 940).
    public var functionalIdentifier: String
    /// ST to SE, in order.
    public var structure: [X12StructureNode]
    /// Every segment the structure names.
    public var segments: [X12SegmentID: X12SegmentDefinition]
    /// Whether the set is hierarchical (856: HL01/HL02 pointers are checked).
    public var isHierarchical: Bool
}
