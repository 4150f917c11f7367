/// Data Element Syntax Error Code (AK403 / IK403, data element 723): what is wrong with one
/// element of a segment. The raw value is the code a 997/999 carries.
public enum AK4ElementErrorCode: String, Sendable, Hashable, CaseIterable {
    case mandatoryElementMissing = "1"
    case conditionalElementMissing = "2"
    case tooManyElements = "3"
    case tooShort = "4"
    case tooLong = "5"
    case invalidCharacter = "6"
    case invalidCodeValue = "7"
    case invalidDate = "8"
    case invalidTime = "9"
    case exclusionViolated = "10"
    case tooManyRepetitions = "12"
    case tooManyComponents = "13"
}
