/// Decides what we answer to a received X12 file and writes it: a TA1 when ISA14 asks for one
/// or the interchange envelope is broken, and for every functional group of a sound
/// interchange a 997 (groups of 004010 and earlier) or a 999 (005010), with AK1, an AK2 … AK5
/// (IK5) loop per set naming every segment and element error (AK3/AK4, IK3/IK4), and AK9.
///
/// The gateway is strict: a set with any error is rejected (R), a group with a group-level
/// error or no accepted set is rejected, one with some accepted sets is partially accepted
/// (P). A set without a definition here is rejected with AK5 code 1 ("not supported"), the
/// same refusal `MappingFile.transactionSets(x12:)` gives. A broken interchange envelope is
/// answered with a TA1 R alone: its groups were not read, so no 997 speaks for them. EBCDIC
/// and other unsupported encodings get no answer (the partner could not read it).
///
/// ```swift
/// let document = X12Document(parsing: bytes)
/// let replies = X12Acknowledger.acknowledge(document, numbers: counter.reserve(...), clock: now)
/// for reply in replies { send(reply.bytes) }
/// ```
public enum X12Acknowledger {
    /// The control numbers and stamp of one reply interchange (from the durable per-partner
    /// counter: a number is never reused once a reply that carried it may have left).
    public struct Envelope: Sendable, Hashable {
        /// ISA13 of the reply (1…999,999,999).
        public var interchangeControlNumber: Int
        /// GS06 of the reply's first group; each further group takes the next number.
        public var groupControlNumber: Int
        /// ISA09/ISA10 (YYMMDD, HHMM) and GS04/GS05 (CCYYMMDD, HHMM) of the reply.
        public var date: String
        public var time: String

        public init(interchangeControlNumber: Int, groupControlNumber: Int, date: String, time: String) {
            self.interchangeControlNumber = interchangeControlNumber
            self.groupControlNumber = groupControlNumber
            self.date = date
            self.time = time
        }
    }

    /// The answer to one received interchange.
    public struct Reply: Sendable, Hashable {
        /// 1-based number of the received interchange answered.
        public var interchange: Int
        /// The TA1, when one is sent.
        public var ta1: X12InterchangeVerdict?
        /// One verdict per received group (empty when the TA1 rejects the interchange).
        public var groups: [X12GroupVerdict]
        /// The reply interchange, ISA to IEA, in the partner's delimiters, sender and receiver
        /// swapped; nil when nothing is to be sent (an accepted interchange that asked for no
        /// TA1 and had no groups).
        public var bytes: [UInt8]?
    }

    /// The replies to every interchange of `document`, in input order. `envelope(n)` gives the
    /// control numbers for the reply to interchange `n`; `lineEnding` follows each segment.
    public static func acknowledge(
        _ document: X12Document, lineEnding: X12Serializer.LineEnding = .none, envelope: (Int) -> Envelope
    ) -> [Reply] {
        if document.errors.contains(where: { $0.code == .unsupportedEncoding }) { return [] }
        var replies: [Reply] = []
        for (i, interchange) in document.interchanges.enumerated() {
            let n = i + 1
            let errors = document.errors(inInterchange: n)
            let verdicts = verdict(interchange, errors: errors)
            var reply = Reply(interchange: n, ta1: verdicts.ta1, groups: verdicts.groups, bytes: nil)
            if reply.ta1 != nil || !reply.groups.isEmpty {
                reply.bytes = X12AcknowledgmentWriter(received: interchange, envelope: envelope(n), lineEnding: lineEnding)
                    .write(ta1: reply.ta1, groups: reply.groups)
            }
            replies.append(reply)
        }
        return replies
    }

    /// The verdicts on one interchange, given its errors (syntax, envelope) from the document.
    static func verdict(_ interchange: X12Interchange, errors: [X12Error]) -> (ta1: X12InterchangeVerdict?, groups: [X12GroupVerdict]) {
        let header = interchange.header
        let envelopeErrors = errors.filter(\.isInterchangeLevel)
        func ta1(_ code: X12AcknowledgmentCode, _ note: TA1NoteCode) -> X12InterchangeVerdict {
            X12InterchangeVerdict(controlNumber: header.string(13), date: header.string(9), time: header.string(10), code: code, note: note)
        }
        if let first = envelopeErrors.first {
            let note: TA1NoteCode
            if case .interchange(let code) = first.code { note = code } else { note = .invalidControlStructure }
            return (ta1(.rejected, note), [])
        }
        let asked = header.string(14) == "1" ? ta1(.accepted, .noError) : nil
        let groups = interchange.groups.enumerated().map { g, group in
            verdict(group, errors: errors.filter { $0.position.group == g + 1 })
        }
        return (asked, groups)
    }

    static func verdict(_ group: X12FunctionalGroup, errors: [X12Error]) -> X12GroupVerdict {
        let gs08 = group.header[8]
        let is999 = gs08.hasPrefix("005")
        var sets: [X12SetVerdict] = []
        for (s, set) in group.transactionSets.enumerated() {
            let validation = X12DefinitionValidator.validate(set, gs08: gs08)
            let problems = errors.filter { $0.position.transactionSet == s + 1 }
                + X12DefinitionValidator.strictErrors(validation, of: set)
            sets.append(setVerdict(set, problems: problems, version: validation.lookup.definition?.version ?? (is999 ? "005010" : "004010")))
        }
        let groupErrors = errors.filter { $0.position.transactionSet == nil }
        var groupCodes: [String] = []
        for error in groupErrors {
            if case .group(let code) = error.code, !groupCodes.contains(code.rawValue) { groupCodes.append(code.rawValue) }
        }
        let accepted = sets.filter { $0.code.isAccepted }.count
        let code: X12AcknowledgmentCode
        if !groupErrors.isEmpty || accepted == 0 && !sets.isEmpty {
            code = .rejected
        } else if accepted < sets.count {
            code = .partiallyAccepted
        } else {
            code = .accepted
        }
        let included = Int(group.trailer?[1] ?? "") ?? sets.count
        return X12GroupVerdict(
            functionalIdentifier: group.functionalIdentifier, controlNumber: group.controlNumber,
            version: is999 ? gs08 : nil, sets: sets, code: code,
            includedSets: included, receivedSets: sets.count, acceptedSets: code == .rejected ? 0 : accepted,
            errorCodes: Array(groupCodes.prefix(5)))
    }

    static func setVerdict(_ set: X12TransactionSet, problems: [X12Error], version: String) -> X12SetVerdict {
        var codes: [String] = []
        var notes: [X12SegmentNote] = []
        func add(_ code: String) { if !codes.contains(code) { codes.append(code) } }
        for error in problems {
            switch error.code {
            case .transactionSet(let c):
                add(c.rawValue)
            case .segment(let c):
                add(AK5SetErrorCode.segmentsInError.rawValue)
                notes.append(X12SegmentNote(segmentID: segmentID(error, in: set), position: error.position.segmentInSet ?? 0,
                                            code: c.rawValue, elements: []))
            case .element(let c):
                add(AK5SetErrorCode.segmentsInError.rawValue)
                let position = error.position.segmentInSet ?? 0
                let id = segmentID(error, in: set)
                let element = X12ElementNote(
                    element: error.position.element ?? 0, component: error.position.component, repetition: error.position.repetition,
                    reference: error.position.segmentID.flatMap { reference($0, element: error.position.element, version: version) },
                    code: c.rawValue)
                if let k = notes.lastIndex(where: { $0.position == position }) {
                    notes[k].elements.append(element)
                } else {
                    notes.append(X12SegmentNote(segmentID: id, position: position, code: AK3SegmentErrorCode.elementErrors.rawValue, elements: [element]))
                }
            case .interchange, .group, .unsupportedEncoding:
                add(AK5SetErrorCode.segmentsInError.rawValue)
            }
        }
        notes.sort { $0.position < $1.position }
        return X12SetVerdict(identifier: set.identifier, controlNumber: set.controlNumber,
                             code: codes.isEmpty ? .accepted : .rejected, errorCodes: Array(codes.prefix(5)), segments: notes)
    }

    private static func segmentID(_ error: X12Error, in set: X12TransactionSet) -> String {
        if let id = error.position.segmentID { return id.description }
        if let p = error.position.segmentInSet, p >= 1, p <= set.segments.count { return set.segments[p - 1].id.description }
        return "ST"
    }

    private static func reference(_ id: X12SegmentID, element: Int?, version: String) -> String? {
        guard let element, let definition = X12Definitions.segment(id, version: version), element >= 1,
              element <= definition.elements.count else { return nil }
        let number = definition.elements[element - 1].number
        return number.allSatisfy(\.isNumber) ? number : nil
    }
}
