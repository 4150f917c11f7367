/// The acknowledgment code an ``X12Error`` maps to, at the level where a TA1 or a 997/999
/// reports it. Later acknowledgment builders switch over this; nothing here is free text.
public enum X12ErrorCode: Sendable, Hashable, CustomStringConvertible {
    /// An interchange envelope error: answered with a TA1 carrying this note code.
    case interchange(TA1NoteCode)
    /// A functional group error: a 997/999 AK9 code.
    case group(AK9GroupErrorCode)
    /// A transaction set error: a 997 AK5 / 999 IK5 code.
    case transactionSet(AK5SetErrorCode)
    /// A segment error inside a transaction set: a 997 AK3 / 999 IK3 code.
    case segment(AK3SegmentErrorCode)
    /// An element error inside a segment: a 997 AK4 / 999 IK4 code.
    case element(AK4ElementErrorCode)
    /// Input that is not X12 in a form we accept (e.g. EBCDIC): refused without an
    /// acknowledgment, because none could be written in a form the sender reads.
    case unsupportedEncoding

    public var description: String {
        switch self {
        case .interchange(let c): "TA1 I18 \(c.rawValue) (\(c))"
        case .group(let c): "AK9 716 \(c.rawValue) (\(c))"
        case .transactionSet(let c): "AK5 718 \(c.rawValue) (\(c))"
        case .segment(let c): "AK3 720 \(c.rawValue) (\(c))"
        case .element(let c): "AK4 723 \(c.rawValue) (\(c))"
        case .unsupportedEncoding: "unsupported encoding"
        }
    }
}
