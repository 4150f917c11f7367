import JSON
import X12

/// The formats a mapping can declare as `output:` (default `json`).
public enum MappingOutputFormat: String, Sendable, CaseIterable {
    /// The mapped document is the output.
    case json
    /// The mapped document is one X12 transaction set in the loop model (the shape
    /// `X12TransactionSet.loopJSON` gives), with `transactionSet` ("945") and `version`
    /// ("004010" or "005010") naming its definition. `renderX12(_:controlNumber:delimiters:)`
    /// encodes it (ST/SE and the control number are written there) and checks it against the
    /// definition before anything is sent.
    case x12
}

extension MappingFile {
    /// Maps `input` with this `output: x12` mapping and encodes the result as a transaction
    /// set, with `controlNumber` in ST02/SE02 and the partner's `delimiters`.
    ///
    /// - Returns: the set, or nil when `drop_if` dropped the input.
    /// - Throws: `MappingError` naming the mapping: a JSONata failure as for `apply`, or kind
    ///   `.x12Output` when the result is not a valid set of its definition: a shape error (an
    ///   unknown key, a segment over its maximum use), or a definition error (a missing
    ///   mandatory element, a code not in its list, a value too long), each named by the JSON
    ///   path in the mapping's result that it came from.
    public func renderX12(
        _ input: JSONValue, controlNumber: String, delimiters: X12Delimiters = .common,
        limits: JSONataExpression.Limits = .standard
    ) throws(MappingError) -> X12TransactionSet? {
        try renderX12Set(input, controlNumber: controlNumber, delimiters: delimiters, limits: limits)?.set
    }

    /// As `renderX12`, with the definition the set was checked against: its `version` is the
    /// group's GS08 and its `functionalIdentifier` GS01 (what an envelope around it needs).
    public func renderX12Set(
        _ input: JSONValue, controlNumber: String, delimiters: X12Delimiters = .common,
        limits: JSONataExpression.Limits = .standard
    ) throws(MappingError) -> (set: X12TransactionSet, definition: X12TransactionSetDefinition)? {
        guard output == .x12 else {
            throw MappingError(mapping: name, version: version, part: "output", location: nil,
                               kind: .x12Output([X12LoopJSONError(path: "$", rule: "the mapping declares 'output: \(output.rawValue)', not x12")]))
        }
        guard case .output(let document) = try apply(input, limits: limits) else { return nil }
        return try encodeX12(document, controlNumber: controlNumber, delimiters: delimiters)
    }

    /// Encodes a mapped document (see `MappingOutputFormat.x12`) and validates it against its
    /// definition.
    func encodeX12(_ document: JSONValue, controlNumber: String, delimiters: X12Delimiters) throws(MappingError)
        -> (set: X12TransactionSet, definition: X12TransactionSetDefinition) {
        func failure(_ errors: [X12LoopJSONError]) -> MappingError {
            MappingError(mapping: name, version: version, part: "output", location: nil, kind: .x12Output(errors))
        }
        guard let identifier = document["transactionSet"]?.stringValue else {
            throw failure([X12LoopJSONError(path: "$.transactionSet", rule: "an x12 output names its transaction set (\"945\")")])
        }
        guard let setVersion = document["version"]?.stringValue else {
            throw failure([X12LoopJSONError(path: "$.version", rule: "an x12 output names its version (\"004010\" or \"005010\")")])
        }
        guard let definition = X12Definitions.definition(identifier, version: setVersion) else {
            throw failure([X12LoopJSONError(
                path: "$.transactionSet",
                rule: "no definition of \(identifier) \(setVersion); defined: \(X12Definitions.versions.joined(separator: ", ")) of 846, 850, 855, 856, 940, 943, 944, 945, 997, 999")])
        }
        let encoded: (set: X12TransactionSet, paths: [String])
        do {
            encoded = try X12TransactionSetEncoder(definition: definition, delimiters: delimiters)
                .encodeWithPaths(document, controlNumber: controlNumber)
        } catch {
            throw failure([error])
        }
        let errors = X12DefinitionValidator.validate(encoded.set, definition: definition)
        guard errors.isEmpty else {
            throw failure(errors.map { error in
                let index = (error.position.segmentInSet ?? 1) - 1
                var path = index >= 0 && index < encoded.paths.count ? encoded.paths[index] : "$"
                if let element = error.position.element, let id = error.position.segmentID {
                    path += ".\(id)\(element < 10 ? "0" : "")\(element)"
                }
                return X12LoopJSONError(path: path, rule: "\(error.rule) [\(error.code)]")
            })
        }
        return (encoded.set, definition)
    }
}
