/// Transaction Set Syntax Error Code (AK502–AK506 / IK502–IK506, data element 718): what is
/// wrong with an ST/SE transaction set. The raw value is the code a 997/999 carries.
public enum AK5SetErrorCode: String, Sendable, Hashable, CaseIterable {
    case setNotSupported = "1"
    case trailerMissing = "2"
    case controlNumberMismatch = "3"
    case segmentCountMismatch = "4"
    case segmentsInError = "5"
    case invalidSetIdentifier = "6"
    case invalidControlNumber = "7"
    case controlNumberNotUnique = "23"
}
