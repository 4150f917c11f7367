/// One element's value in structured form: what the JSON conversion shows and what a caller
/// builds segments from. Repetitions always hold their components, so a repeated simple element
/// is `[["a"], ["b"]]` and can never be confused with a composite `["a", "b"]`.
public enum X12ElementValue: Sendable, Hashable {
    case simple(String)
    case composite([String])
    case repeated([[String]])

    /// Whether the element carries no data (X12 writes nothing for an unused element).
    public var isEmpty: Bool {
        switch self {
        case .simple(let s): s.isEmpty
        case .composite(let c): c.allSatisfy(\.isEmpty)
        case .repeated(let r): r.allSatisfy { $0.allSatisfy(\.isEmpty) }
        }
    }
}
