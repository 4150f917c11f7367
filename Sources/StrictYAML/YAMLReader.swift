import Foundation
import Yams

/// Reads a YAML document strictly: every node knows its file, line, column and key path, and every
/// problem (unknown key, wrong type, missing key) is collected, so one run reports all of them.
///
/// ```swift
/// let reader = try YAMLReader(text: yaml, file: "paklog.yaml")
/// let root = reader.root.mapping(keys: ["storage", "http"])
/// let port = root?.optional("http")?.mapping(keys: ["port"])?.optional("port")?.int()
/// try reader.finish()   // throws YAMLDiagnostics if anything was reported
/// ```
public final class YAMLReader {
    public let file: String
    public let text: String
    public private(set) var diagnostics: [YAMLDiagnostic] = []
    /// The document's root; a mapping node with no entries for an empty document.
    public private(set) var root: YAMLNode!

    public init(text: String, file: String) throws(YAMLDiagnostics) {
        self.file = file
        self.text = text
        let node: Node
        do {
            node = try Yams.compose(yaml: text) ?? Node.mapping(.init([]))
        } catch let error as YamlError {
            throw YAMLDiagnostics([Self.diagnostic(for: error, file: file)])
        } catch {
            throw YAMLDiagnostics([YAMLDiagnostic(file: file, line: 1, column: 1, keyPath: "", message: "\(error)")])
        }
        root = YAMLNode(node: node, path: "", reader: self)
    }

    /// Reads `url` as UTF-8 and parses it.
    public convenience init(contentsOf path: String) throws(YAMLDiagnostics) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw YAMLDiagnostics([YAMLDiagnostic(file: path, line: 0, column: 0, keyPath: "", message: "cannot read file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw YAMLDiagnostics([YAMLDiagnostic(file: path, line: 0, column: 0, keyPath: "", message: "file is not UTF-8")])
        }
        try self.init(text: text, file: path)
    }

    /// Records a problem at `node`.
    public func report(_ message: String, at node: YAMLNode) {
        let mark = node.node.mark
        diagnostics.append(YAMLDiagnostic(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, keyPath: node.path, message: message))
    }

    /// Records a problem found after reading, at a position remembered earlier.
    public func diagnosticsAppend(_ diagnostic: YAMLDiagnostic) {
        diagnostics.append(diagnostic)
    }

    /// Throws every collected problem, in file order, if there is any.
    public func finish() throws(YAMLDiagnostics) {
        guard !diagnostics.isEmpty else { return }
        throw YAMLDiagnostics(diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
    }

    private static func diagnostic(for error: YamlError, file: String) -> YAMLDiagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return YAMLDiagnostic(file: file, line: mark.line, column: mark.column, keyPath: "", message: "YAML syntax: \(what)")
        case let .composer(context, problem, mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return YAMLDiagnostic(file: file, line: mark.line, column: mark.column, keyPath: "", message: "YAML: \(what)")
        default:
            return YAMLDiagnostic(file: file, line: 1, column: 1, keyPath: "", message: "YAML: \(error)")
        }
    }
}
