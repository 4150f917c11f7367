import JSON
import OrderedCollections
import X12

/// What an x12 mapping made of one transaction set of a received file: where the set is, and
/// its output, its drop, or why it was refused. Made by `MappingFile.transactionSets(x12:)`.
public struct MappedX12Set: MappedEntry, CustomStringConvertible {
    /// 1-based interchange, group (within the interchange) and set (within the group) numbers.
    public let interchange: Int
    public let group: Int
    public let set: Int
    /// ST01 and ST02.
    public let identifier: String
    public let controlNumber: String
    /// ISA13 and GS06 of the envelope the set came in: a 997/999 answers per group.
    public let interchangeControlNumber: String
    public let groupControlNumber: String
    /// The ST segment's position in the input.
    public let position: X12Position
    /// The mapped document, a drop, or the refusal: an envelope or definition error of the set
    /// (kind `.x12`, every error with its position) or a failure of the mapping itself.
    public let result: Result<MappingResult, MappingError>

    /// `940 0001 (interchange 1, group 1, set 2): {...}` or the error.
    public var description: String {
        let at = "\(identifier) \(controlNumber) (interchange \(interchange), group \(group), set \(set))"
        switch result {
        case .success(.output(let value)): return "\(at): \(value.jsonString)"
        case .success(.dropped): return "\(at): dropped"
        case .failure(let error): return "\(at): \(error)"
        }
    }
}

extension MappingFile {
    /// Parses `bytes` as X12 and maps every transaction set with this x12 mapping, in input order.
    ///
    /// Each set's input document is the set in the loop model (`X12TransactionSet.loopJSON`,
    /// under the definitions GS08 selects) plus two envelope objects:
    ///
    ///     "interchange": {"senderQualifier": "ZZ", "sender": "ACME", "receiverQualifier": "ZZ",
    ///                     "receiver": "PAKLOG", "date": "240105", "time": "1200",
    ///                     "controlNumber": "000000101", "version": "00401", "usage": "P"},
    ///     "group": {"functionalId": "OW", "sender": "ACME", "receiver": "PAKLOG",
    ///               "date": "20240105", "time": "1200", "controlNumber": "101", "version": "004010"}
    ///
    /// ISA06/ISA08 are given without their padding. The gateway faces partners, so it is strict:
    /// a set is mapped only when its interchange and group envelopes are sound and the set has
    /// no envelope or definition error; otherwise its result is a `.x12` error listing every
    /// problem with its position (the 997/999 tells the partner the same).
    ///
    /// - Throws: `MappingError` (part `input`) when this is not an x12 mapping, or when the
    ///   bytes hold no interchange at all (the syntax errors are in the error).
    public func transactionSets(x12 bytes: [UInt8], limits: JSONataExpression.Limits = .standard) throws(MappingError) -> [MappedX12Set] {
        guard input == .x12 else { throw inputError(.inputFormatMismatch(declared: input, given: .x12)) }
        let document = X12Document(parsing: bytes)
        guard !document.interchanges.isEmpty else {
            throw inputError(.x12(document.errors.isEmpty
                ? [X12Error(.interchange(.invalidInterchangeContent), at: X12Position(byteOffset: 0, interchange: 0, segmentInInterchange: 0),
                            "no ISA interchange header in the input")]
                : document.errors))
        }
        var results: [MappedX12Set] = []
        for (i, interchange) in document.interchanges.enumerated() {
            let n = i + 1
            let envelopeErrors = document.errors(inInterchange: n)
            let interchangeErrors = envelopeErrors.filter(\.isInterchangeLevel)
            let context = interchange.header.contextJSON
            for (g, group) in interchange.groups.enumerated() {
                let groupErrors = envelopeErrors.filter { !$0.isInterchangeLevel && $0.position.group == g + 1 && $0.position.transactionSet == nil }
                let groupContext = group.contextJSON
                for (s, set) in group.transactionSets.enumerated() {
                    let setEnvelopeErrors = envelopeErrors.filter { !$0.isInterchangeLevel && $0.position.group == g + 1 && $0.position.transactionSet == s + 1 }
                    let (validation, loopJSON) = X12DefinitionValidator.validateWithLoopJSON(set, gs08: group.header[8])
                    let problems = interchangeErrors + groupErrors + setEnvelopeErrors
                        + X12DefinitionValidator.strictErrors(validation, of: set)
                    let result: Result<MappingResult, MappingError>
                    if !problems.isEmpty {
                        result = .failure(inputError(.x12(problems)))
                    } else {
                        guard case .object(var members) = loopJSON else {
                            preconditionFailure("loop JSON of a set is an object")
                        }
                        members["interchange"] = context
                        members["group"] = groupContext
                        do {
                            result = .success(try apply(.object(members), limits: limits))
                        } catch {
                            result = .failure(error)
                        }
                    }
                    results.append(MappedX12Set(
                        interchange: n, group: g + 1, set: s + 1, identifier: set.identifier, controlNumber: set.controlNumber,
                        interchangeControlNumber: interchange.header.string(13), groupControlNumber: group.controlNumber,
                        position: set.position, result: result))
                }
            }
        }
        return results
    }
}

extension X12InterchangeHeader {
    /// The interchange envelope as an x12 mapping's input sees it (`interchange`).
    var contextJSON: JSONValue {
        func trimmed(_ n: Int) -> JSONValue {
            var s = Substring(string(n))
            while s.last == " " { s.removeLast() }
            return .string(String(s))
        }
        return .object([
            "senderQualifier": .string(string(5)), "sender": trimmed(6),
            "receiverQualifier": .string(string(7)), "receiver": trimmed(8),
            "date": .string(string(9)), "time": .string(string(10)),
            "controlNumber": .string(string(13)), "version": .string(string(12)), "usage": .string(string(15)),
        ])
    }
}

extension X12FunctionalGroup {
    /// The group envelope as an x12 mapping's input sees it (`group`).
    var contextJSON: JSONValue {
        .object([
            "functionalId": .string(header[1]), "sender": .string(header[2]), "receiver": .string(header[3]),
            "date": .string(header[4]), "time": .string(header[5]),
            "controlNumber": .string(header[6]), "version": .string(header[8]),
        ])
    }
}
