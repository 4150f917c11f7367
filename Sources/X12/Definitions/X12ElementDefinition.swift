/// The data element types of the X12 data element dictionary (X12.3) that the definitions use.
public enum X12ElementType: Sendable, Hashable {
    /// ID: a code from a list.
    case identifier
    /// AN: free text.
    case string
    /// Nn: an integer with `n` implied decimal places (N0 is a plain integer).
    case numeric(decimals: Int)
    /// R: a decimal number with an optional explicit point and sign.
    case decimal
    /// DT: CCYYMMDD (or YYMMDD where the length is 6).
    case date
    /// TM: HHMM, HHMMSS, HHMMSSD or HHMMSSDD.
    case time
    /// A composite (Cnnn): its components are in ``X12ElementDefinition/components``.
    case composite
}

/// Whether an element or segment must be present: M mandatory, O optional, X relational (its
/// presence is ruled by the segment's syntax notes).
public enum X12Requirement: Character, Sendable, Hashable {
    case mandatory = "M"
    case optional = "O"
    case conditional = "X"
}

/// One element (or component) of a segment as the segment directory defines it.
public struct X12ElementDefinition: Sendable, Hashable {
    /// The data element number ("473") or composite number ("C030").
    public var number: String
    public var type: X12ElementType
    public var minLength: Int
    public var maxLength: Int
    public var requirement: X12Requirement
    /// The accepted codes of an ID element, when the definitions restrict them; nil: any code.
    public var codes: Set<String>?
    /// How many repetitions the element allows (1: it does not repeat; 005010 has repeats).
    public var maxRepeat: Int
    /// The components of a composite, in order.
    public var components: [X12ElementDefinition]
}

/// A syntax note of a segment (X12.6 "relational conditions"), over 1-based element positions.
public struct X12SyntaxNote: Sendable, Hashable {
    public enum Kind: Character, Sendable, Hashable {
        /// P: all or none of them.
        case paired = "P"
        /// R: at least one of them.
        case required = "R"
        /// E: not more than one of them.
        case exclusion = "E"
        /// C: if the first, then all the others.
        case conditional = "C"
        /// L: if the first, then at least one of the others.
        case listConditional = "L"
    }
    public var kind: Kind
    public var elements: [Int]

    /// The note as the standard writes it, e.g. "P0304".
    public var text: String {
        String(kind.rawValue) + elements.map { $0 < 10 ? "0\($0)" : "\($0)" }.joined()
    }
}

/// One segment of the segment directory.
public struct X12SegmentDefinition: Sendable, Hashable {
    public var id: X12SegmentID
    /// The segment's name, e.g. "Shipping Order Identification".
    public var name: String
    public var elements: [X12ElementDefinition]
    public var notes: [X12SyntaxNote]
}
