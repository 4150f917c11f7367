/// Reads acknowledgments a partner sent us (997, 999, TA1) and matches them to what we sent.
public enum X12AcknowledgmentReader {
    /// The group verdict a received 997 or 999 carries, nil when `set` is neither. Reads AK1,
    /// each AK2 with its AK3/IK3 and AK4/IK4 notes and its AK5/IK5, and AK9; a missing AK5/IK5
    /// reads as the AK9's code, a missing AK9 as rejected (the partner's 997 is then itself in
    /// error, which its definition validation reports).
    public static func groupVerdict(_ set: X12TransactionSet) -> X12GroupVerdict? {
        guard set.identifier == "997" || set.identifier == "999" else { return nil }
        var verdict = X12GroupVerdict(functionalIdentifier: "", controlNumber: "", version: nil, sets: [], code: .rejected,
                                      includedSets: 0, receivedSets: 0, acceptedSets: 0, errorCodes: [])
        var current: X12SetVerdict?
        var sawAK9 = false
        func close() {
            if let c = current { verdict.sets.append(c) }
            current = nil
        }
        for segment in set.segments {
            switch segment.id.description {
            case "AK1":
                verdict.functionalIdentifier = segment[1]
                verdict.controlNumber = segment[2]
                verdict.version = segment[3].isEmpty ? nil : segment[3]
            case "AK2":
                close()
                current = X12SetVerdict(identifier: segment[1], controlNumber: segment[2], code: .accepted, errorCodes: [], segments: [])
            case "AK3", "IK3":
                current?.segments.append(X12SegmentNote(segmentID: segment[1], position: Int(segment[2]) ?? 0, code: segment[4], elements: []))
            case "AK4", "IK4":
                let position = segment.components(1).map { String(decoding: $0, as: UTF8.self) }
                let note = X12ElementNote(
                    element: Int(position.first ?? "") ?? 0,
                    component: position.count > 1 ? Int(position[1]) : nil,
                    repetition: position.count > 2 ? Int(position[2]) : nil,
                    reference: segment[2].isEmpty ? nil : segment[2], code: segment[3])
                if var c = current, !c.segments.isEmpty {
                    c.segments[c.segments.count - 1].elements.append(note)
                    current = c
                }
            case "AK5", "IK5":
                current?.code = X12AcknowledgmentCode(rawValue: segment[1]) ?? .rejected
                current?.errorCodes = (2...6).map { segment[$0] }.filter { !$0.isEmpty }
                close()
            case "AK9":
                close()
                sawAK9 = true
                verdict.code = X12AcknowledgmentCode(rawValue: segment[1]) ?? .rejected
                verdict.includedSets = Int(segment[2]) ?? 0
                verdict.receivedSets = Int(segment[3]) ?? 0
                verdict.acceptedSets = Int(segment[4]) ?? 0
                verdict.errorCodes = (5...9).map { segment[$0] }.filter { !$0.isEmpty }
            default:
                break
            }
        }
        close()
        if !sawAK9 { verdict.code = .rejected }
        return verdict
    }

    /// The interchange verdict of a received TA1 segment, nil when `segment` is not a TA1.
    public static func interchangeVerdict(_ segment: X12Segment) -> X12InterchangeVerdict? {
        guard segment.id.description == "TA1" else { return nil }
        return X12InterchangeVerdict(controlNumber: segment[1], date: segment[2], time: segment[3],
                                     code: X12AcknowledgmentCode(rawValue: segment[4]) ?? .rejected,
                                     note: TA1NoteCode(rawValue: segment[5]))
    }

    /// Every TA1, 997 and 999 in a received document.
    public static func verdicts(in document: X12Document) -> (interchanges: [X12InterchangeVerdict], groups: [X12GroupVerdict]) {
        var ta1s: [X12InterchangeVerdict] = []
        var groups: [X12GroupVerdict] = []
        for interchange in document.interchanges {
            ta1s += interchange.serviceSegments.compactMap(interchangeVerdict)
            for group in interchange.groups { groups += group.transactionSets.compactMap(groupVerdict) }
        }
        return (ta1s, groups)
    }
}

/// A functional group we sent and await an acknowledgment for.
public struct X12SentGroup: Sendable, Hashable {
    public var functionalIdentifier: String
    /// GS06 as sent.
    public var controlNumber: String
    /// ST01 and ST02 of each set sent in the group.
    public var sets: [(identifier: String, controlNumber: String)]

    public init(functionalIdentifier: String, controlNumber: String, sets: [(identifier: String, controlNumber: String)]) {
        self.functionalIdentifier = functionalIdentifier
        self.controlNumber = controlNumber
        self.sets = sets
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.functionalIdentifier == b.functionalIdentifier && a.controlNumber == b.controlNumber
            && a.sets.map(\.identifier) == b.sets.map(\.identifier) && a.sets.map(\.controlNumber) == b.sets.map(\.controlNumber)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(functionalIdentifier)
        hasher.combine(controlNumber)
    }
}

/// What a partner's 997/999 says about one set we sent.
public enum X12DeliveryOutcome: Sendable, Hashable {
    case accepted
    case acceptedWithErrors([String])
    case rejected([String])
    /// The acknowledgment names the group but not this set (and the group code does not speak
    /// for all its sets): still awaiting; past its deadline, overdue.
    case notAcknowledged
}

extension X12SentGroup {
    /// Whether `verdict` answers this group (AK101/AK102 = our GS01/GS06).
    public func isAnswered(by verdict: X12GroupVerdict) -> Bool {
        verdict.functionalIdentifier == functionalIdentifier && Int(verdict.controlNumber) == Int(controlNumber)
    }

    /// The outcome of each set we sent, in our order. A 997 may leave out the AK2 loops of
    /// accepted sets (X12.6 allows it when the AK9 accepts them all): an AK9 of A or E then
    /// speaks for every set without its own AK2; an AK9 of R rejects them.
    public func outcomes(_ verdict: X12GroupVerdict) -> [X12DeliveryOutcome] {
        sets.map { sent in
            if let set = verdict.sets.first(where: { $0.identifier == sent.identifier && Int($0.controlNumber) == Int(sent.controlNumber) }) {
                switch set.code {
                case .accepted: return .accepted
                case .acceptedWithErrors: return .acceptedWithErrors(set.errorCodes)
                default: return .rejected(set.errorCodes)
                }
            }
            switch verdict.code {
            case .accepted: return .accepted
            case .acceptedWithErrors: return .acceptedWithErrors(verdict.errorCodes)
            case .partiallyAccepted: return .notAcknowledged
            default: return .rejected(verdict.errorCodes)
            }
        }
    }
}
