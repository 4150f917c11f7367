import Codecs
import Foundation
import JSON
import StrictYAML

/// A declarative mapping loaded from a YAML file in `Mappings/`: JSONata expressions that turn one
/// inbound document into one outbound document, compiled once when the file is loaded and
/// evaluated for every message.
///
/// ```yaml
/// name: order-to-canonical
/// version: 3
/// input: json
/// lookup:
///   serviceLevels: { "Standard Shipping": GROUND, "Express": EXPRESS }
/// let:
///   shipping: shipping_lines[0]
/// drop_if: test = true
/// fields:
///   orderId: $string(id)
///   shipTo.city: shipping_address.city
///   serviceLevel: $lookup($serviceLevels, $shipping.title)
/// tests:
///   - name: minimal order
///     input: fixtures/minimal.json
///     expected: fixtures/minimal.expected.json
/// ```
///
/// ```swift
/// let mapping = try MappingFile.load(path: "Mappings/examples/order-to-canonical.yaml")
/// switch try mapping.apply(order) {
/// case .output(let canonical): ...
/// case .dropped: ...
/// }
/// ```
public struct MappingFile: Sendable {
    /// The mapping's `name:`, used in every error message.
    public let name: String
    /// The mapping's `version:` as written (`3`, `"2.1"`).
    public let version: String
    /// The document format the mapping reads.
    public let input: MappingInputFormat
    /// What the mapped document is (`output:`, default json): `x12` for a transaction set in
    /// the loop model, written by `renderX12`.
    public let output: MappingOutputFormat
    /// The file the mapping was loaded from.
    public let path: String
    /// The `tests:` entries, fixture paths resolved against the mapping file's folder.
    public let tests: [MappingTestCase]
    /// The source of the single `expression:` (nil for a `fields:` mapping).
    public var expressionSource: String? {
        if case .expression(let e) = body { return e.site.source }
        return nil
    }

    let lookups: [String: JSONValue]
    let bindings: [CompiledBinding]
    let dropIf: CompiledExpression?
    let body: MappingBody

    /// Reads, checks and compiles the mapping file at `path`. Every problem in the file (YAML
    /// syntax, unknown or missing keys, JSONata syntax errors) is collected and thrown together,
    /// each naming `file:line:column` of the offending text inside the YAML.
    public static func load(path: String) throws(YAMLDiagnostics) -> MappingFile {
        let reader = try YAMLReader(contentsOf: path)
        return try MappingFileLoader(reader: reader, path: path).load()
    }

    /// Reads a mapping from YAML text; `file` names it in messages, and relative test fixture
    /// paths are resolved against its folder.
    public static func load(text: String, file: String) throws(YAMLDiagnostics) -> MappingFile {
        let reader = try YAMLReader(text: text, file: file)
        return try MappingFileLoader(reader: reader, path: file).load()
    }

    init(
        name: String, version: String, input: MappingInputFormat, output: MappingOutputFormat, path: String, tests: [MappingTestCase],
        lookups: [String: JSONValue], bindings: [CompiledBinding], dropIf: CompiledExpression?, body: MappingBody
    ) {
        self.name = name
        self.version = version
        self.input = input
        self.output = output
        self.path = path
        self.tests = tests
        self.lookups = lookups
        self.bindings = bindings
        self.dropIf = dropIf
        self.body = body
    }

    /// Maps one input document. `let:` bindings are evaluated first (in file order, each seeing
    /// the lookup tables and the bindings before it), then `drop_if:`, then the fields or the
    /// expression.
    ///
    /// - Parameter limits: evaluation depth and time limits for the whole message (a runaway
    ///   expression fails with U1001 instead of holding the pipeline).
    /// - Returns: `.output` with the mapped document, or `.dropped` when `drop_if` is true.
    /// - Throws: `MappingError` naming the mapping, the part that failed (field target path,
    ///   binding, `drop_if`, `expression`) and the JSONata error code and message.
    public func apply(_ input: JSONValue, limits: JSONataExpression.Limits = .standard) throws(MappingError) -> MappingResult {
        // A csv mapping maps one row, given as the JSON object of its fields (see `rows(csv:)`);
        // an x12 mapping one transaction set in the loop model (see `transactionSets(x12:)`).
        guard self.input != .xml else {
            throw MappingError(
                mapping: name, version: version, part: "input", location: nil,
                kind: .unsupportedInput(self.input))
        }
        let scope = MessageScope(input: input, lookups: lookups, limits: limits)
        for binding in bindings {
            scope.bind(binding.name, try scope.evaluate(binding.expression, mapping: self, part: "let.\(binding.name)"))
        }
        if let dropIf {
            switch try scope.evaluate(dropIf, mapping: self, part: "drop_if") {
            case .bool(true)?: return .dropped
            case .bool(false)?, .none: break
            case let other?:
                throw MappingError(
                    mapping: name, version: version, part: "drop_if", location: dropIf.site.location(ofOffset: 0),
                    kind: .notABoolean(other.json ?? .null))
            }
        }
        switch body {
        case .expression(let expression):
            guard let output = try scope.evaluate(expression, mapping: self, part: "expression")?.json else {
                throw MappingError(
                    mapping: name, version: version, part: "expression", location: expression.site.location(ofOffset: 0),
                    kind: .undefinedResult)
            }
            return .output(output)
        case .fields(let tree):
            return .output(try tree.build(scope, mapping: self))
        }
    }

    /// Parses `bytes` as JSON and maps the document (for a csv mapping: one row's object).
    public func apply(json bytes: some Collection<UInt8>, limits: JSONataExpression.Limits = .standard) throws(MappingError) -> MappingResult {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            throw MappingError(mapping: name, version: version, part: "input", location: nil, kind: .invalidInput("\(error)"))
        }
        return try apply(document, limits: limits)
    }
}

/// The formats a mapping can declare as `input:`.
public enum MappingInputFormat: String, Sendable, CaseIterable {
    case json
    /// CSV with a header row (`CSVReader`), mapped one row at a time: the input document of each
    /// row is a JSON object of the header's names, in column order, to the row's values, all
    /// strings (an empty field is `""`), e.g. `{"sku": "A-1", "qty": "3", "note": ""}`. Numbers
    /// are made with `$number(qty)`. `rows(csv:)` and `applyRows(csv:)` read a whole file;
    /// `apply(_:)` maps one row's object.
    case csv
    /// X12, mapped one transaction set at a time: the input document of each set is the set in
    /// the loop model plus its `interchange` and `group` envelopes (see `transactionSets(x12:)`).
    case x12
    /// Loads, but is refused at run time until the XML module provides the document model.
    case xml
}

/// What a mapping made of one message.
public enum MappingResult: Sendable, Equatable {
    /// The mapped document (an empty object when every field was undefined).
    case output(JSONValue)
    /// `drop_if` was true: the message is deliberately not passed on.
    case dropped
}

/// One `tests:` entry of a mapping file.
public struct MappingTestCase: Sendable {
    public enum Expectation: Sendable, Equatable {
        /// The expected output document is in this file.
        case output(path: String)
        /// The mapping must drop the input.
        case dropped
    }

    public let name: String
    /// The input fixture, resolved against the mapping file's folder.
    public let inputPath: String
    public let expectation: Expectation
    /// Where the entry is in the mapping file, `file:line:column`.
    public let location: String
}

enum MappingBody: Sendable {
    case fields(FieldTree)
    case expression(CompiledExpression)
}

struct CompiledBinding: Sendable {
    let name: String
    let expression: CompiledExpression
}
