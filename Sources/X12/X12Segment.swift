/// One segment of the document model: its bytes (without terminator) as received, the offsets
/// of its element separators, and the delimiters it was written with. Elements, repetitions and
/// components are cut out on access, so building the model copies each segment once and makes
/// no per-element allocation.
public struct X12Segment: Sendable, Hashable {
    public let id: X12SegmentID
    /// The segment's bytes without its terminator, in `delimiters`.
    public let bytes: [UInt8]
    let separators: [Int32]
    public let delimiters: X12Delimiters

    init(id: X12SegmentID, bytes: [UInt8], separators: [Int32], delimiters: X12Delimiters) {
        self.id = id
        self.bytes = bytes
        self.separators = separators
        self.delimiters = delimiters
    }

    /// Builds a segment from values, written in `delimiters`. Trailing empty elements are
    /// dropped, as X12 requires.
    ///
    /// - Throws: an element error (AK4 code 6, invalid character) naming the element, repetition
    ///   and component whose text contains one of the delimiters.
    public init(id: X12SegmentID, elements: [X12ElementValue], delimiters: X12Delimiters) throws(X12Error) {
        var values = elements
        while let last = values.last, last.isEmpty { values.removeLast() }
        var out = id.bytes
        var seps: [Int32] = []
        for (index, value) in values.enumerated() {
            seps.append(Int32(out.count))
            out.append(delimiters.element)
            try X12SegmentEncoder.append(value, of: id, element: index + 1, delimiters: delimiters, into: &out)
        }
        self.init(id: id, bytes: out, separators: seps, delimiters: delimiters)
    }

    /// The number of elements written.
    public var elementCount: Int { separators.count }

    /// Whether composites and repetitions are split: not in ISA, whose ISA11 and ISA16 hold the
    /// delimiters themselves.
    var splitsElements: Bool { id != .ISA }

    /// Element `n` (1-based) as raw bytes, repetitions and components unsplit; empty if absent.
    public func rawElement(_ n: Int) -> ArraySlice<UInt8> {
        guard n >= 1, n <= separators.count else { return [] }
        let start = Int(separators[n - 1]) + 1
        let end = n < separators.count ? Int(separators[n]) : bytes.count
        return bytes[start..<end]
    }

    /// Element `n` as text, unsplit ("" if absent).
    public subscript(_ n: Int) -> String { String(decoding: rawElement(n), as: UTF8.self) }

    /// The repetitions of element `n` (one when it does not repeat or the version has no
    /// repetition separator), each with its components unsplit.
    public func repetitions(_ n: Int) -> [ArraySlice<UInt8>] {
        let raw = rawElement(n)
        guard splitsElements, let r = delimiters.repetition else { return [raw] }
        return raw.split(separator: r, omittingEmptySubsequences: false)
    }

    /// The components of one repetition of element `n` (one when it is not a composite).
    public func components(_ n: Int, repetition: Int = 1) -> [ArraySlice<UInt8>] {
        let reps = repetitions(n)
        guard repetition >= 1, repetition <= reps.count else { return [] }
        guard splitsElements else { return [reps[repetition - 1]] }
        return reps[repetition - 1].split(separator: delimiters.component, omittingEmptySubsequences: false)
    }

    /// Element `n` in structured form.
    public func value(_ n: Int) -> X12ElementValue {
        let reps = repetitions(n)
        func text(_ s: ArraySlice<UInt8>) -> String { String(decoding: s, as: UTF8.self) }
        if reps.count > 1 {
            return .repeated(reps.map { rep in
                rep.split(separator: delimiters.component, omittingEmptySubsequences: false).map(text)
            })
        }
        guard splitsElements else { return .simple(text(reps[0])) }
        let comps = reps[0].split(separator: delimiters.component, omittingEmptySubsequences: false)
        return comps.count > 1 ? .composite(comps.map(text)) : .simple(text(reps[0]))
    }

    /// All elements in structured form.
    public var values: [X12ElementValue] { (0..<elementCount).map { value($0 + 1) } }
}
