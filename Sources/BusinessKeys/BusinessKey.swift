/// One business key: its kind and its value as the index stores it.
public struct BusinessKey: Sendable, Hashable {
    public var kind: BusinessKeyKind
    public var value: String

    public init(kind: BusinessKeyKind, value: String) {
        self.kind = kind
        self.value = kind.comparesAsNumber ? Self.numeric(value) : value
    }

    /// Leading zeros dropped ("000000905" → "905"; "0" stays "0").
    static func numeric(_ text: String) -> String {
        let trimmed = text.drop { $0 == "0" }
        return trimmed.isEmpty ? (text.isEmpty ? "" : "0") : String(trimmed)
    }
}
