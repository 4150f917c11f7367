/// Where in the input something is: the interchange, group and transaction set (1-based counts
/// within their parent), the segment's position and id, and optionally the element, repetition
/// and component. Numbers are those a 997/999 reports: the segment position inside a
/// transaction set counts ST as 1 (AK302); outside a set, ISA is segment 1 of its interchange.
public struct X12Position: Sendable, Hashable, CustomStringConvertible {
    /// Byte offset of the segment's first byte in the whole input (after a BOM, if any: the
    /// offset is into the bytes as given).
    public var byteOffset: Int
    /// 1-based interchange number in the input; 0 before the first ISA.
    public var interchange: Int
    /// 1-based functional group number inside the interchange, when inside one.
    public var group: Int?
    /// 1-based transaction set number inside the group, when inside one.
    public var transactionSet: Int?
    /// 1-based segment position in the interchange (ISA = 1).
    public var segmentInInterchange: Int
    /// 1-based segment position in the transaction set (ST = 1), when inside one.
    public var segmentInSet: Int?
    /// The segment id, when the segment has a valid one.
    public var segmentID: X12SegmentID?
    /// 1-based element position (reference designator `xx01` = 1).
    public var element: Int?
    /// 1-based repetition of the element, when the element repeats.
    public var repetition: Int?
    /// 1-based component position inside a composite element.
    public var component: Int?

    public init(byteOffset: Int, interchange: Int, group: Int? = nil, transactionSet: Int? = nil,
                segmentInInterchange: Int, segmentInSet: Int? = nil, segmentID: X12SegmentID? = nil,
                element: Int? = nil, repetition: Int? = nil, component: Int? = nil) {
        self.byteOffset = byteOffset
        self.interchange = interchange
        self.group = group
        self.transactionSet = transactionSet
        self.segmentInInterchange = segmentInInterchange
        self.segmentInSet = segmentInSet
        self.segmentID = segmentID
        self.element = element
        self.repetition = repetition
        self.component = component
    }

    /// The same position narrowed to one element (and optionally component).
    public func at(element: Int, repetition: Int? = nil, component: Int? = nil) -> X12Position {
        var p = self
        p.element = element
        p.repetition = repetition
        p.component = component
        return p
    }

    public var description: String {
        var parts = ["interchange \(interchange)"]
        if let group { parts.append("group \(group)") }
        if let transactionSet { parts.append("set \(transactionSet)") }
        let id = segmentID.map { " \($0)" } ?? ""
        if let segmentInSet {
            parts.append("segment \(segmentInSet)\(id) of the set (\(segmentInInterchange) of the interchange)")
        } else {
            parts.append("segment \(segmentInInterchange)\(id)")
        }
        if let element {
            let designator = segmentID.map { "\($0)\(element < 10 ? "0" : "")\(element)" } ?? "element \(element)"
            parts.append(designator)
        }
        if let repetition { parts.append("repetition \(repetition)") }
        if let component { parts.append("component \(component)") }
        parts.append("byte \(byteOffset)")
        return parts.joined(separator: ", ")
    }
}
