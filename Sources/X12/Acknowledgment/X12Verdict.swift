/// The acknowledgment code of a transaction set or group: AK501/IK501 (data element 717) and
/// AK901 (715), as X12.5 and the 005010X231A1 guide define them.
public enum X12AcknowledgmentCode: String, Sendable, Hashable, CaseIterable {
    case accepted = "A"
    /// Accepted, but errors were noted.
    case acceptedWithErrors = "E"
    /// Rejected: message authentication code failed (716/717 "M").
    case rejectedAuthentication = "M"
    /// Group only (AK901): some of its sets were accepted.
    case partiallyAccepted = "P"
    case rejected = "R"
    /// Rejected: assurance failed validity tests.
    case rejectedAssurance = "W"
    /// Rejected: content after decryption could not be analysed.
    case rejectedAfterDecryption = "X"

    /// Whether the partner (or we) will process what was acknowledged.
    public var isAccepted: Bool { self == .accepted || self == .acceptedWithErrors || self == .partiallyAccepted }
}

/// What is wrong with one element of a segment (an AK4/IK4 line).
public struct X12ElementNote: Sendable, Hashable {
    /// AK401 (C030): element position, component position and (005010) repetition.
    public var element: Int
    public var component: Int?
    public var repetition: Int?
    /// AK402: the data element reference number ("396"), when known.
    public var reference: String?
    /// AK403/IK403: the code (1–13, or a 999 "I" code read from a partner's 999).
    public var code: String
}

/// What is wrong with one segment of a transaction set (an AK3/IK3 line and its AK4/IK4s).
public struct X12SegmentNote: Sendable, Hashable {
    /// AK301: the segment id as received ("W05").
    public var segmentID: String
    /// AK302: its position in the set, ST = 1.
    public var position: Int
    /// AK304/IK304: the segment code; 8 when only its elements are in error.
    public var code: String
    public var elements: [X12ElementNote]
}

/// The verdict on one transaction set: an AK2 … AK5 (IK5) loop.
public struct X12SetVerdict: Sendable, Hashable {
    /// AK201/AK202: ST01 and ST02 of the set acknowledged.
    public var identifier: String
    public var controlNumber: String
    public var code: X12AcknowledgmentCode
    /// AK502–AK506 (IK502–IK506): the set's error codes, at most five.
    public var errorCodes: [String]
    public var segments: [X12SegmentNote]
}

/// The verdict on one functional group: what a 997 or 999 says.
public struct X12GroupVerdict: Sendable, Hashable {
    /// AK101/AK102: GS01 and GS06 of the group acknowledged.
    public var functionalIdentifier: String
    public var controlNumber: String
    /// AK103 (005010): GS08 of the group acknowledged.
    public var version: String?
    public var sets: [X12SetVerdict]
    public var code: X12AcknowledgmentCode
    /// AK902, AK903, AK904: sets the GE said were included, sets received, sets accepted.
    public var includedSets: Int
    public var receivedSets: Int
    public var acceptedSets: Int
    /// AK905–AK909: the group's error codes, at most five.
    public var errorCodes: [String]
}

/// The verdict on one interchange envelope: what a TA1 says.
public struct X12InterchangeVerdict: Sendable, Hashable {
    /// TA101–TA103: ISA13, ISA09 and ISA10 of the interchange acknowledged.
    public var controlNumber: String
    public var date: String
    public var time: String
    /// TA104: A, E or R.
    public var code: X12AcknowledgmentCode
    /// TA105: the note code ("000" for no error).
    public var note: TA1NoteCode?
}
