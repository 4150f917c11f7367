import Codecs
import JSON
import X12

/// A failure while applying a mapping to one message. Its description names the mapping and
/// version, the part that failed (`fields.order.id`, `let.total`, `drop_if`, `expression`,
/// `input`), where that expression is in the mapping file, and what went wrong:
///
/// `order-to-canonical@3 fields.lines: Mappings/examples/order-to-canonical.yaml:41:12: T2002: The right side of the "+" operator must evaluate to a number`
public struct MappingError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The JSONata expression failed (its code and message, position within the expression).
        case evaluation(JSONataError)
        /// The mapping declares an input format that cannot be executed yet.
        case unsupportedInput(MappingInputFormat)
        /// The input bytes are not a valid document of the declared format.
        case invalidInput(String)
        /// A CSV file or row that breaks a CSV rule (its line, column and field are in the error).
        case csv(CSVError)
        /// The mapping was given input of another format than its `input:` declares.
        case inputFormatMismatch(declared: MappingInputFormat, given: MappingInputFormat)
        /// The X12 input breaks a syntax, envelope or transaction-set definition rule; every
        /// problem with its position and acknowledgment code.
        case x12([X12Error])
        /// The output of an `output: x12` mapping is not a valid transaction set: each problem
        /// names the output's JSON path (`$.N1_loop[0].N1.N102`) and the rule.
        case x12Output([X12LoopJSONError])
        /// `drop_if` gave something other than true, false or undefined.
        case notABoolean(JSONValue)
        /// The `expression:` of the mapping gave undefined (use `drop_if` to drop messages).
        case undefinedResult
    }

    public let mapping: String
    public let version: String
    /// The part of the mapping that failed: `fields.<target path>`, `let.<name>`, `drop_if`,
    /// `expression` or `input` (a CSV row's problem is in its `input`).
    public let part: String
    /// Where the failing expression is in the mapping file (nil for input problems).
    public let location: MappingSourceLocation?
    public let kind: Kind

    /// The JSONata error code (`T2002`, `D3030`, ...), when the failure is a JSONata error.
    public var code: String? {
        if case .evaluation(let e) = kind { return e.code }
        return nil
    }

    public var description: String {
        let at = location.map { "\($0): " } ?? ""
        let what: String
        switch kind {
        case .evaluation(let e): what = "\(e.code): \(e.message)"
        case .unsupportedInput(let format):
            what = "input format '\(format.rawValue)' is not supported until the \(format.rawValue.uppercased()) module lands; only 'json', 'csv' and 'x12' mappings can run"
        case .invalidInput(let reason): what = "input is not valid JSON: \(reason)"
        case .csv(let error): what = "CSV \(error)"
        case .inputFormatMismatch(let declared, let given):
            what = "the mapping reads '\(declared.rawValue)' input ('input: \(declared.rawValue)'), not \(given.rawValue)"
        case .x12(let errors):
            what = "X12 input refused: " + Self.list(errors.map(\.description))
        case .x12Output(let errors):
            what = "the output is not a valid X12 transaction set: " + Self.list(errors.map(\.description))
        case .notABoolean(let value): what = "drop_if must give true or false, got \(JSONDifference.excerpt(value))"
        case .undefinedResult: what = "the expression gave no result (undefined); use drop_if to drop a message on purpose"
        }
        return "\(mapping)@\(version) \(part): \(at)\(what)"
    }

    /// At most ten problems in one message; the count of the rest.
    private static func list(_ items: [String]) -> String {
        let shown = items.prefix(10).joined(separator: "; ")
        return items.count > 10 ? shown + "; and \(items.count - 10) more" : shown
    }
}
