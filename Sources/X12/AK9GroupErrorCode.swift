/// Functional Group Syntax Error Code (AK905–AK909, data element 716): what is wrong with a
/// GS/GE group. The raw value is the code a 997/999 carries.
public enum AK9GroupErrorCode: String, Sendable, Hashable, CaseIterable {
    case groupNotSupported = "1"
    case groupVersionNotSupported = "2"
    case groupTrailerMissing = "3"
    case controlNumberMismatch = "4"
    case transactionSetCountMismatch = "5"
    case controlNumberViolatesSyntax = "6"
    case controlNumberNotUnique = "19"
}
