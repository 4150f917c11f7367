import StrictYAML

/// Where a configuration element was written, for errors found after loading (a mapping that
/// fails to compile, a secret in the wrong format found while building a source).
public struct ConfigLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var keyPath: String

    public init(file: String, line: Int, column: Int, keyPath: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
    }

    /// Where `node` is.
    public init(_ node: YAMLNode) {
        self.init(file: node.reader.file, line: node.line, column: node.column, keyPath: node.path)
    }

    public var description: String { "\(file):\(line):\(column): \(keyPath)" }
}

/// A JSONata expression as written in the configuration, with its place for error messages.
public struct ExpressionSetting: Sendable, Equatable {
    public var source: String
    public var location: ConfigLocation

    public init(source: String, location: ConfigLocation) {
        self.source = source
        self.location = location
    }

    /// The string at `node` with its place; nil (reported) when it is not a string.
    public init?(_ node: YAMLNode) {
        guard let text = node.string() else { return nil }
        self.init(source: text, location: ConfigLocation(node))
    }
}
