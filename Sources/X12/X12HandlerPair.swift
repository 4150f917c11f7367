/// Drives two handlers with one parse (e.g. the validator and the document builder).
public struct X12HandlerPair<First: X12SegmentHandler, Second: X12SegmentHandler>: X12SegmentHandler {
    public var first: First
    public var second: Second

    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    public mutating func interchangeBegan(_ header: X12InterchangeHeader, at position: X12Position) {
        first.interchangeBegan(header, at: position)
        second.interchangeBegan(header, at: position)
    }

    public mutating func segment(_ segment: X12SegmentView) {
        first.segment(segment)
        second.segment(segment)
    }

    public mutating func syntaxError(_ error: X12Error) {
        first.syntaxError(error)
        second.syntaxError(error)
    }
}
