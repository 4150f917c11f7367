import Foundation
import StrictYAML
import Yams
import Collections
import JSON

/// Reads a mapping file with `YAMLReader`, compiles every expression and collects every problem,
/// so that one `load` reports all of them with their positions.
struct MappingFileLoader {
    static let topLevelKeys = ["name", "version", "description", "input", "output", "lookup", "let", "drop_if", "fields", "expression", "tests"]

    let reader: YAMLReader
    let path: String
    private let lines: [[Unicode.Scalar]]

    init(reader: YAMLReader, path: String) {
        self.reader = reader
        self.path = path
        // Split on LF only; a CR before it is not part of the line (YAML 1.2 §5.4).
        var lines: [[Unicode.Scalar]] = [[]]
        for scalar in reader.text.unicodeScalars {
            if scalar == "\n" {
                if lines[lines.count - 1].last == "\r" { lines[lines.count - 1].removeLast() }
                lines.append([])
            } else {
                lines[lines.count - 1].append(scalar)
            }
        }
        self.lines = lines
    }

    func load() throws(YAMLDiagnostics) -> MappingFile {
        let root = reader.root.mapping(keys: Self.topLevelKeys)
        let name = root?.required("name")?.string()
        let version = root?.required("version")?.scalarText()
        _ = root?.optional("description")?.string()
        let input = root?.required("input")?.oneOf(MappingInputFormat.allCases.map(\.rawValue)).flatMap(MappingInputFormat.init(rawValue:))
        let outputNode = root?.optional("output")
        let output = outputNode.map { $0.oneOf(MappingOutputFormat.allCases.map(\.rawValue)).flatMap(MappingOutputFormat.init(rawValue:)) } ?? .json

        var lookups: [String: JSONValue] = [:]
        if let tables = root?.optional("lookup")?.mapping() {
            for (tableName, tableNode) in tables.entries {
                guard checkVariableName(tableName, at: tableNode, section: "lookup") else { continue }
                guard tableNode.mapping() != nil else { continue }
                lookups[tableName] = jsonValue(tableNode)
            }
        }

        var bindings: [CompiledBinding] = []
        if let lets = root?.optional("let")?.mapping() {
            for (bindingName, node) in lets.entries {
                guard checkVariableName(bindingName, at: node, section: "let") else { continue }
                if lookups[bindingName] != nil {
                    node.report("'\(bindingName)' is already the name of a lookup table")
                    continue
                }
                if let expression = compile(node) {
                    bindings.append(CompiledBinding(name: bindingName, expression: expression))
                }
            }
        }

        let dropIf = root?.optional("drop_if").flatMap(compile)

        var body: MappingBody?
        let fieldsNode = root?.optional("fields")
        let expressionNode = root?.optional("expression")
        switch (fieldsNode, expressionNode) {
        case (let fieldsNode?, nil):
            if let fields = fieldsNode.mapping() {
                let builder = FieldTreeBuilder()
                for (target, node) in fields.entries {
                    guard let expression = compile(node) else { continue }
                    if let problem = builder.add(target: target, expression) { node.report(problem) }
                }
                body = .fields(builder.build())
            }
        case (nil, let expressionNode?):
            body = compile(expressionNode).map(MappingBody.expression)
        case (_?, _?):
            expressionNode?.report("a mapping has either 'fields:' or one 'expression:', not both")
        case (nil, nil):
            root?.node.report("missing 'fields:' (target path → expression) or 'expression:'")
        }

        let tests = root?.optional("tests")?.sequence()?.compactMap(testCase) ?? []

        try reader.finish()
        guard let name, let version, let input, let output, let body else {
            // Unreachable: each nil above was reported, so finish() threw.
            throw YAMLDiagnostics([YAMLDiagnostic(file: path, line: 1, column: 1, keyPath: "", message: "incomplete mapping")])
        }
        return MappingFile(
            name: name, version: version, input: input, output: output, path: path, tests: tests,
            lookups: lookups, bindings: bindings, dropIf: dropIf, body: body)
    }

    /// Compiles the expression at `node`; a JSONata syntax error is reported at its position
    /// inside the YAML text.
    private func compile(_ node: YAMLNode) -> CompiledExpression? {
        guard case .scalar(let scalar) = node.node else {
            node.report("expected a JSONata expression (text), found \(node.node.mapping != nil ? "a mapping" : "a list")")
            return nil
        }
        if scalar.style == .plain, scalar.string.isEmpty {
            node.report("missing JSONata expression")
            return nil
        }
        let lineIndex = max(node.line - 1, 0)
        let site = ExpressionSite(
            file: reader.file, keyPath: node.path, line: node.line, column: node.column, style: ScalarStyle(scalar.style),
            source: scalar.string, fileLines: lineIndex < lines.count ? lines[lineIndex...] : [])
        do {
            return CompiledExpression(expression: try JSONataExpression(scalar.string), site: site)
        } catch let error as JSONataError {
            let at = site.position(ofOffset: error.position ?? 0)
            reader.diagnosticsAppend(YAMLDiagnostic(
                file: reader.file, line: at.line, column: at.column, keyPath: node.path,
                message: "JSONata \(error.code): \(error.message)" + (error.token.map { " (token '\($0)')" } ?? "")))
        } catch {
            node.report("JSONata: \(error)")
        }
        return nil
    }

    private func checkVariableName(_ name: String, at node: YAMLNode, section: String) -> Bool {
        let bytes = Array(name.utf8)
        let valid = !bytes.isEmpty && bytes.enumerated().allSatisfy { i, b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || (i > 0 && b >= 0x30 && b <= 0x39)
        }
        if !valid {
            node.report("'\(name)' cannot be a \(section) name: use letters, digits and _ (it becomes $\(name))")
        }
        return valid
    }

    private func testCase(_ node: YAMLNode) -> MappingTestCase? {
        guard let entry = node.mapping(keys: ["name", "input", "expected", "dropped"]) else { return nil }
        let name = entry.required("name")?.string()
        let input = entry.required("input")?.string()
        let expected = entry.optional("expected")?.string()
        let dropped = entry.optional("dropped")?.bool()
        let expectation: MappingTestCase.Expectation?
        switch (expected, dropped) {
        case (let path?, nil), (let path?, false?): expectation = .output(path: resolve(path))
        case (nil, true?): expectation = .dropped
        case (_?, true?):
            entry.node.report("a test expects either an output ('expected:') or 'dropped: true', not both")
            expectation = nil
        case (nil, _):
            // A present `expected:` that is not text was reported by string() already.
            if entry.optional("expected") == nil {
                entry.node.report("missing 'expected:' (path of the expected output) or 'dropped: true'")
            }
            expectation = nil
        }
        guard let name, let input, let expectation else { return nil }
        return MappingTestCase(name: name, inputPath: resolve(input), expectation: expectation, location: node.location)
    }

    private func resolve(_ fixture: String) -> String {
        if fixture.hasPrefix("/") { return fixture }
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? fixture : (folder as NSString).appendingPathComponent(fixture)
    }

    /// A lookup table's YAML as JSON: quoted scalars are strings; a plain scalar is a number,
    /// boolean or null when JSON would spell it so (`42`, `1.5`, `true`, `null`, or empty/`~`),
    /// and a string otherwise.
    private func jsonValue(_ node: YAMLNode) -> JSONValue {
        switch node.node {
        case .mapping:
            var members: [(String, JSONValue)] = []
            for (key, child) in node.mapping()?.entries ?? [] { members.append((key, jsonValue(child))) }
            return .object(.init(uniqueKeysWithValues: members))
        case .sequence:
            return .array(node.sequence()?.map(jsonValue) ?? [])
        case .scalar(let s):
            guard s.style == .plain else { return .string(s.string) }
            if ["", "~"].contains(s.string) { return .null }
            // JSON's own spelling decides (`true`, `null`, `-1.5e3`), not YAML 1.1's `yes`/`0o17`.
            switch try? JSONValue(parsing: s.string) {
            case let scalar? where scalar.arrayValue == nil && scalar.objectValue == nil && scalar.stringValue == nil:
                return scalar
            default:
                return .string(s.string)
            }
        case .alias:
            node.report("aliases are not allowed in lookup tables")
            return .null
        }
    }
}
