import JSON

/// One reason a command was refused: a code (`required`, `invalid`, `unknown-sku`, `conflict` …),
/// where in the command (a JSON path, `lines[2].quantity`) and a sentence for a person.
public struct ValidationReason: Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var path: String
    public var message: String

    public init(code: String, path: String, message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var json: JSONValue { ["code": .string(code), "path": .string(path), "message": .string(message)] }

    public var description: String { "\(path): \(message) [\(code)]" }
}

/// A refused command with every reason at once.
public struct CommandRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public var commandId: String
    public var type: String
    public var reasons: [ValidationReason]

    public init(commandId: String, type: String, reasons: [ValidationReason]) {
        self.commandId = commandId
        self.type = type
        self.reasons = reasons
    }

    /// True when the only problem is another writer's claim (HTTP 409 rather than 422).
    public var isConflict: Bool { !reasons.isEmpty && reasons.allSatisfy { $0.code == "conflict" } }

    public var description: String { "\(type) \(commandId) refused: " + reasons.map(\.description).joined(separator: "; ") }
}
