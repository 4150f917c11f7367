import JSON

/// What an import file did: how many rows it had, how many commands they made and how each
/// fared, and every rejected record with its CSV line(s) and reasons.
///
/// ```json
/// {"kind": "orders", "file": "orders-0612.csv", "sha256": "9f…", "rows": 5, "dropped": 0,
///  "commands": 3, "accepted": 2, "duplicates": 0,
///  "rejected": [{"lines": [4, 6], "reference": "SO-1002", "commandId": "import-…",
///                "reasons": [{"code": "unknown-sku", "path": "lines[1].sku", "line": 6,
///                             "message": "'NOPE' is not a defined item"}]}]}
/// ```
///
/// `accepted` and `duplicates` count commands (an order of many rows is one); a command that ran
/// before under the same id (the same file imported again) is a duplicate and changed nothing.
public struct WarehouseImportReport: Sendable, Equatable {
    /// One refused record: a row the mapping could not map, or a command the core refused.
    public struct Rejection: Sendable, Equatable {
        /// The CSV lines of the record, in file order (several for an order).
        public var lines: [Int]
        /// The order reference, for orders.
        public var reference: String?
        /// The refused command's id; nil when no command was made (a row-level problem).
        public var commandId: String?
        public var reasons: [Reason]
    }

    /// Why a record was refused, and on which CSV line.
    public struct Reason: Sendable, Equatable {
        public var code: String
        /// Where: the command's JSON path (`lines[1].quantity`), or the mapping's part (`input`,
        /// `fields.quantity`) for a row the mapping failed on.
        public var path: String
        public var message: String
        /// The CSV line the reason is about.
        public var line: Int
    }

    public var kind: WarehouseImportKind
    public var file: String?
    /// Hex SHA-256 of the file's bytes: the import's identity.
    public var sha256: String
    /// Data rows read (the header not counted).
    public var rows: Int
    /// Rows the mapping's `drop_if` dropped (blank rows).
    public var dropped: Int
    /// Commands made and run.
    public var commands: Int
    public var accepted: Int
    public var duplicates: Int
    /// Refused records, by first line.
    public var rejected: [Rejection]

    /// The report as the API answers it and the watched folder writes it.
    public var json: JSONValue {
        var o: JSONValue = ["kind": .string(kind.rawValue), "file": file.map(JSONValue.string) ?? .null, "sha256": .string(sha256),
                            "rows": .number(Double(rows)), "dropped": .number(Double(dropped)), "commands": .number(Double(commands)),
                            "accepted": .number(Double(accepted)), "duplicates": .number(Double(duplicates))]
        if case .object(var m) = o {
            m["rejected"] = .array(rejected.map(\.json))
            o = .object(m)
        }
        return o
    }
}

extension WarehouseImportReport.Rejection {
    var json: JSONValue {
        var m = JSONValue.object([:]).objectValue!
        m["lines"] = .array(lines.map { .number(Double($0)) })
        if let reference { m["reference"] = .string(reference) }
        if let commandId { m["commandId"] = .string(commandId) }
        m["reasons"] = .array(reasons.map(\.json))
        return .object(m)
    }
}

extension WarehouseImportReport.Reason {
    var json: JSONValue {
        ["code": .string(code), "path": .string(path), "line": .number(Double(line)), "message": .string(message)]
    }
}
