/// One problem found in a YAML file, with where it is: `file:line:column: key.path: message`.
public struct YAMLDiagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// Dotted key path with indexes, e.g. `routes[2].steps[0].transform`.
    public var keyPath: String
    public var message: String

    public init(file: String, line: Int, column: Int, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        let at = keyPath.isEmpty ? "" : "\(keyPath): "
        return "\(file):\(line):\(column): \(at)\(message)"
    }
}

/// All problems of one file; thrown when a file cannot be accepted.
public struct YAMLDiagnostics: Error, Sendable, Equatable, CustomStringConvertible {
    public var diagnostics: [YAMLDiagnostic]

    public init(_ diagnostics: [YAMLDiagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
