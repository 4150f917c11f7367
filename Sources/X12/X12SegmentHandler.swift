/// What ``X12StreamParser`` drives: the envelope validator, the document builder, or any other
/// consumer of the segment stream. Methods are called in input order.
public protocol X12SegmentHandler {
    /// An ISA header was read; its delimiters apply until the IEA.
    mutating func interchangeBegan(_ header: X12InterchangeHeader, at position: X12Position)
    /// Every segment after the ISA, up to and including the IEA. The view is valid only during
    /// the call.
    mutating func segment(_ segment: X12SegmentView)
    /// Malformed syntax: the current interchange (if any) is abandoned here, and the parser
    /// resumes at the next ISA it can find. No further segment of that interchange follows.
    mutating func syntaxError(_ error: X12Error)
}
