import JSON

/// Why an import file was not imported at all (its rows' problems are in the report instead).
public enum WarehouseImportError: Error, Sendable, CustomStringConvertible {
    /// The file as a whole cannot be read: no or a broken header row, a quote never closed
    /// before the first record. Nothing was imported.
    case unreadable(kind: WarehouseImportKind, file: String?, sha256: String, reason: String)
    /// This daemon has no mapping for the kind (none configured, and the shipped one not found).
    case noMapping(WarehouseImportKind)

    public var description: String {
        switch self {
        case let .unreadable(kind, file, _, reason):
            "\(file.map { "\($0): " } ?? "")not a readable \(kind) import file: \(reason)"
        case .noMapping(let kind):
            "imports of \(kind) are not set up: no mapping (set warehouse.imports.\(kind).mapping, or install the shipped \(kind.defaultMappingPath))"
        }
    }

    /// The error as the API answers it and the watched folder writes it into `failed/`.
    public var json: JSONValue {
        switch self {
        case let .unreadable(kind, file, sha256, reason):
            ["kind": .string(kind.rawValue), "file": file.map(JSONValue.string) ?? .null, "sha256": .string(sha256), "error": .string(reason)]
        case .noMapping(let kind):
            ["kind": .string(kind.rawValue), "error": .string(description)]
        }
    }
}
