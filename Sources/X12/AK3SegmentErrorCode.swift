/// Segment Syntax Error Code (AK304 / IK304, data element 720): what is wrong with one segment
/// of a transaction set. The raw value is the code a 997/999 carries.
public enum AK3SegmentErrorCode: String, Sendable, Hashable, CaseIterable {
    case unrecognizedSegmentID = "1"
    case unexpectedSegment = "2"
    case mandatorySegmentMissing = "3"
    case loopOverMaximum = "4"
    case segmentOverMaximumUse = "5"
    case segmentNotInSet = "6"
    case segmentOutOfSequence = "7"
    case elementErrors = "8"
}
