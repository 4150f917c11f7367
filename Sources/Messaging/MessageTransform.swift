import Foundation
import JSON
import Mapping

/// A compiled mapping a route applies to a message body. The mapping-file loader plugs in here
/// (`MappingFileTransform` wraps a `MappingFile`); tests and code can provide their own.
public protocol MessageTransform: Sendable {
    /// Recorded with every message it produced (and in dead letters).
    var mappingName: String { get }
    var mappingVersion: String { get }
    /// The mapped body, or nil when the mapping deliberately drops the message.
    func apply(_ input: JSONValue) throws -> JSONValue?
    /// For a transform that reads the message's bytes rather than its JSON body (an X12
    /// mapping: one output per transaction set), its outputs with the headers each adds; nil
    /// for a JSON transform.
    func applyRaw(_ bytes: [UInt8]) throws -> [(body: JSONValue, headers: [String: String])]?
    /// Whether this transform writes X12 for a partner (`applyX12`) instead of JSON (`apply`).
    var writesX12: Bool { get }
    /// The interchange `input` maps to, numbered when it commits; nil when the mapping drops it.
    func applyX12(_ input: JSONValue, at time: Date) throws -> PendingX12Interchange?
}

extension MessageTransform {
    public func applyRaw(_ bytes: [UInt8]) throws -> [(body: JSONValue, headers: [String: String])]? { nil }
    public var writesX12: Bool { false }
    public func applyX12(_ input: JSONValue, at time: Date) throws -> PendingX12Interchange? { nil }
}

/// Why an X12 file did not map: every refused transaction set with its errors (a file is mapped
/// whole or not at all, so a partner's resend of the corrected file is the whole file again).
public struct X12TransformError: Error, CustomStringConvertible {
    public let problems: [String]
    public var description: String { "X12 refused: " + problems.joined(separator: "; ") }
}

/// A `MappingFile` (YAML mapping with JSONata) as a route transform.
public struct MappingFileTransform: MessageTransform {
    public let file: MappingFile
    /// For an `output: x12` mapping: the partner and envelope its interchanges go to.
    public let x12: X12RouteOutput?

    public init(_ file: MappingFile, x12: X12RouteOutput? = nil) {
        self.file = file
        self.x12 = x12
    }

    public var writesX12: Bool { file.output == .x12 }

    /// One set in one group in one interchange to `x12`'s partner, in its delimiters.
    public func applyX12(_ input: JSONValue, at time: Date) throws -> PendingX12Interchange? {
        guard let x12 else { throw X12TransformError(problems: ["mapping \(file.name) writes X12 but names no partner to send it to"]) }
        guard let (set, definition) = try file.renderX12Set(input, controlNumber: "0001", delimiters: x12.envelope.delimiters, limits: Self.limits) else { return nil }
        return PendingX12Interchange(output: x12, set: set, functionalIdentifier: definition.functionalIdentifier, version: definition.version, time: time)
    }

    public var mappingName: String { file.name }
    public var mappingVersion: String { file.version }

    /// A runaway mapping (an unbounded recursion a partner's data triggers) must not hold up its
    /// route: past this it fails with U1001 and the message goes to the route's dead letters.
    public static let limits = JSONataExpression.Limits(timeLimitMilliseconds: 5_000)

    public func apply(_ input: JSONValue) throws -> JSONValue? {
        switch try file.apply(input, limits: Self.limits) {
        case .output(let value): value
        case .dropped: nil
        }
    }

    /// An `input: x12` mapping: each transaction set mapped on its own (headers `x12.set`,
    /// `x12.controlNumber`, `x12.interchangeControlNumber`, `x12.groupControlNumber`); dropped
    /// sets give no output.
    public func applyRaw(_ bytes: [UInt8]) throws -> [(body: JSONValue, headers: [String: String])]? {
        guard file.input == .x12 else { return nil }
        let sets = try file.transactionSets(x12: bytes, limits: Self.limits)
        let refused = sets.compactMap { set in set.error.map { "\(set): \($0)" } }
        guard refused.isEmpty else { throw X12TransformError(problems: refused) }
        return sets.compactMap { set in
            set.output.map { ($0, ["x12.set": set.identifier, "x12.controlNumber": set.controlNumber,
                                   "x12.interchangeControlNumber": set.interchangeControlNumber, "x12.groupControlNumber": set.groupControlNumber]) }
        }
    }
}

/// A JSONata expression evaluated over a message document `{headers, body, split}` — a route's
/// `when`, a `split` expression, an aggregation's correlation or completion predicate.
public struct RouteExpression: Sendable, Equatable, CustomStringConvertible {
    public let source: String
    private let compiled: JSONataExpression

    /// - Throws: `JSONataError` with the position of the syntax error in `source`.
    public init(_ source: String) throws {
        self.source = source
        self.compiled = try JSONataExpression(source)
    }

    public func evaluate(_ document: JSONValue) throws -> JSONValue? {
        try compiled.evaluate(document)
    }

    /// JSONata's boolean cast (`$boolean`): undefined, null, false, 0, "", [] and {} are false.
    public func isTrue(for document: JSONValue) throws -> Bool {
        JSONataExpression.boolean(try evaluate(document))
    }

    public var description: String { source }

    /// Expressions of the same source text are the same expression.
    public static func == (a: RouteExpression, b: RouteExpression) -> Bool { a.source == b.source }
}
