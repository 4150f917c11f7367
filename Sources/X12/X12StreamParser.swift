#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The X12 lexer and parser: a push-driven state machine over bytes that finds interchanges,
/// reads each one's delimiters from its ISA, cuts segments at their terminators (64 bytes per
/// step, see ``X12DelimiterMasks``), and tracks where each segment sits (interchange, group,
/// set, position). It hands segments to an ``X12SegmentHandler`` as views into its buffer,
/// which cut elements only when asked, so memory stays bounded by the longest
/// segment (``maximumSegmentLength``) whatever the input size; what a handler keeps is its own
/// business (the document builder keeps one transaction set at a time when streaming).
///
/// Feed chunks of any size with ``feed(_:into:)`` and call ``finish(into:)`` at the end of the
/// input, or use ``parse(_:into:)`` for a whole buffer.
///
/// Decisions about what is accepted *between* interchanges (where no delimiter applies yet):
/// - a UTF-8 byte-order mark (EF BB BF) at the very start of the input is skipped: editors add
///   it and it cannot be mistaken for X12 data;
/// - spaces, tabs, CR, LF, form feeds, NUL padding and Ctrl-Z (0x1A, the DOS end-of-file marker
///   that concatenated DOS files carry after each interchange) are skipped;
/// - anything else is a syntax error (TA1 022), and the parser skips to the next ISA;
/// - EBCDIC ("ISA" as C9 E2 C1) is refused as an unsupported encoding and ends the input.
///
/// Inside an interchange only CR and LF right after a segment terminator are ignored (line
/// breaks partners add for readability); any other byte there is part of the next segment,
/// and a segment id that is not 2–3 upper-case letters/digits abandons the interchange.
public struct X12StreamParser: ~Copyable {
    private enum State { case start, between, interchange, skipping, stopped }

    /// A segment longer than this without a terminator is refused: it bounds memory for input
    /// that has no terminators at all.
    public let maximumSegmentLength: Int

    private var state = State.start
    private var carry: [UInt8] = []
    /// Stream offset of the first byte not yet consumed.
    private var streamOffset = 0
    private var delimiters = X12Delimiters.common
    private var interchangeIndex = 0
    private var groupIndex = 0
    private var setIndex = 0
    private var inGroup = false
    private var segmentInInterchange = 0
    private var segmentInSet = 0  // 0 = outside a set
    /// The byte before the unconsumed input, for recognizing an ISA at a segment boundary while
    /// skipping after an error.
    private var previousByte: UInt8 = 0x0A

    public init(maximumSegmentLength: Int = 1 << 20) {
        self.maximumSegmentLength = maximumSegmentLength
    }

    /// Parses a whole buffer (convenience over ``feed(_:into:)`` + ``finish(into:)``).
    public static func parse<H: X12SegmentHandler>(_ bytes: UnsafeRawBufferPointer, into handler: inout H) {
        var parser = X12StreamParser()
        parser.feed(bytes, into: &handler)
        parser.finish(into: &handler)
    }

    /// Parses a whole byte array.
    public static func parse<H: X12SegmentHandler>(_ bytes: [UInt8], into handler: inout H) {
        bytes.withUnsafeBytes { parse($0, into: &handler) }
    }

    /// Feeds the next chunk of input; complete segments are handed on, an incomplete tail is
    /// kept until the next chunk.
    public mutating func feed<H: X12SegmentHandler>(_ chunk: UnsafeRawBufferPointer, into handler: inout H) {
        var rest = chunk
        // A tail from the previous chunk: complete it with just enough of this chunk (up to the
        // next terminator), so that the bulk of the chunk is parsed in place without copying.
        while !carry.isEmpty, !rest.isEmpty {
            var take = min(rest.count, 512)
            if state == .interchange, let base = rest.baseAddress,
               let t = memchr(base, Int32(delimiters.segment), rest.count) {
                take = base.distance(to: UnsafeRawPointer(t)) + 1
            } else if state == .interchange {
                take = rest.count
            }
            carry.append(contentsOf: rest.prefix(take))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            let used = carry.withUnsafeBytes { process($0, isFinal: false, &handler) }
            consume(used, ofCarry: true)
        }
        if carry.isEmpty, !rest.isEmpty {
            let used = process(rest, isFinal: false, &handler)
            if used > 0 { previousByte = rest[used - 1] }
            streamOffset += used
            carry.append(contentsOf: rest[used...])
        }
    }

    /// Feeds a byte array chunk.
    public mutating func feed<H: X12SegmentHandler>(_ chunk: [UInt8], into handler: inout H) {
        chunk.withUnsafeBytes { feed($0, into: &handler) }
    }

    /// Ends the input: an interchange still open (no IEA) is reported as premature end of file.
    public mutating func finish<H: X12SegmentHandler>(into handler: inout H) {
        let used = carry.withUnsafeBytes { process($0, isFinal: true, &handler) }
        consume(used, ofCarry: true)
        carry.removeAll()
        if state == .interchange {
            handler.syntaxError(X12Error(.interchange(.prematureEndOfFile), at: position(segmentID: nil),
                                         "the input ends inside interchange \(interchangeIndex): no IEA"))
            state = .stopped
        }
    }

    private mutating func consume(_ used: Int, ofCarry: Bool) {
        guard used > 0 else { return }
        previousByte = carry[used - 1]
        carry.removeFirst(used)
        streamOffset += used
    }

    private func position(segmentID: X12SegmentID?, byteOffset: Int? = nil) -> X12Position {
        X12Position(byteOffset: byteOffset ?? streamOffset, interchange: interchangeIndex,
                    group: inGroup ? groupIndex : nil, transactionSet: segmentInSet > 0 ? setIndex : nil,
                    segmentInInterchange: segmentInInterchange, segmentInSet: segmentInSet > 0 ? segmentInSet : nil,
                    segmentID: segmentID)
    }

    /// The counters a segment view turns into its ``X12Position`` when asked (most handlers
    /// never ask for the position of a segment inside a set).
    @inline(__always)
    private func place(byteOffset: Int) -> X12SegmentView.Place {
        X12SegmentView.Place(byteOffset: byteOffset, interchange: interchangeIndex, group: groupIndex, inGroup: inGroup,
                             transactionSet: setIndex, segmentInInterchange: segmentInInterchange, segmentInSet: segmentInSet)
    }

    @inline(__always) private static func isFiller(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 || b == 0x0C || b == 0x00 || b == 0x1A
    }

    /// Consumes what it can of `buf` (which starts at `streamOffset`); returns the bytes used.
    private mutating func process<H: X12SegmentHandler>(_ buf: UnsafeRawBufferPointer, isFinal: Bool, _ handler: inout H) -> Int {
        let n = buf.count
        var p = 0
        while p < n || (isFinal && state == .start) {
            switch state {
            case .stopped:
                return n
            case .start:
                if n - p < 3 && !isFinal { return p }
                if n - p >= 3, buf[p] == 0xEF, buf[p + 1] == 0xBB, buf[p + 2] == 0xBF { p += 3 }
                state = .between
            case .between:
                while p < n, Self.isFiller(buf[p]) { p += 1 }
                if p == n { return n }
                // 8, not 4: the error below quotes up to 8 bytes, and must not depend on where
                // a chunk happened to end (the fuzzer found "ST*846" vs "ST*846*0").
                if n - p < 8 && !isFinal { return p }
                let offset = streamOffset + p
                if n - p >= 3, buf[p] == 0x49, buf[p + 1] == 0x53, buf[p + 2] == 0x41 {  // "ISA"
                    switch X12InterchangeHeader.scan(UnsafeRawBufferPointer(rebasing: buf[p...])) {
                    case .needMoreBytes:
                        if !isFinal { return p }
                        interchangeIndex += 1
                        resetInterchangeCounters()
                        segmentInInterchange = 1
                        handler.syntaxError(X12Error(.interchange(.prematureEndOfFile), at: position(segmentID: .ISA, byteOffset: offset),
                                                     "the input ends inside the ISA header of interchange \(interchangeIndex)"))
                        state = .stopped
                        return n
                    case .failure(let code, let at, let rule):
                        interchangeIndex += 1
                        resetInterchangeCounters()
                        segmentInInterchange = 1
                        handler.syntaxError(X12Error(.interchange(code), at: position(segmentID: .ISA, byteOffset: offset + at), rule))
                        p += 3
                        state = .skipping
                    case .header(let header, let length):
                        interchangeIndex += 1
                        resetInterchangeCounters()
                        segmentInInterchange = 1
                        delimiters = header.delimiters
                        handler.interchangeBegan(header, at: position(segmentID: .ISA, byteOffset: offset))
                        p += length
                        state = .interchange
                    }
                } else if n - p >= 3, buf[p] == 0xC9, buf[p + 1] == 0xE2, buf[p + 2] == 0xC1 {
                    handler.syntaxError(X12Error(.unsupportedEncoding, at: position(segmentID: nil, byteOffset: offset),
                                                 "the input is EBCDIC (\"ISA\" as C9 E2 C1); only ASCII-based X12 is accepted"))
                    state = .stopped
                    return n
                } else {
                    handler.syntaxError(X12Error(.interchange(.invalidControlStructure), at: position(segmentID: nil, byteOffset: offset),
                                                 "expected an ISA segment between interchanges; found \(printable(buf, p, min(n, p + 8)))"))
                    state = .skipping
                    p += 1
                }
            case .skipping:
                // Resume at the next "ISA" that starts a line or follows a terminator or filler.
                guard let found = findISA(buf, from: p) else {
                    if isFinal { return n }
                    return max(p, n - 3)
                }
                p = found
                state = .between
            case .interchange:
                p = parseSegments(buf, from: p, isFinal: isFinal, &handler)
                if state == .interchange { return p }
            }
        }
        return p
    }

    private func findISA(_ buf: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var i = start
        let n = buf.count
        while i + 2 < n {
            if buf[i] == 0x49, buf[i + 1] == 0x53, buf[i + 2] == 0x41 {
                let before = i > 0 ? buf[i - 1] : previousByte
                if Self.isFiller(before) || before == delimiters.segment { return i }
            }
            i += 1
        }
        return nil
    }

    private mutating func resetInterchangeCounters() {
        groupIndex = 0
        setIndex = 0
        inGroup = false
        segmentInInterchange = 0
        segmentInSet = 0
    }

    private enum Outcome { case next, ended, abandoned, restartAtISA }

    /// The hot loop: finds segment terminators 64 bytes at a time (``X12DelimiterMasks``),
    /// walking the bits of each window, and hands each segment on. Elements are not cut here:
    /// ``X12SegmentView`` finds them when a handler asks.
    private mutating func parseSegments<H: X12SegmentHandler>(_ buf: UnsafeRawBufferPointer, from start: Int,
                                                             isFinal: Bool, _ handler: inout H) -> Int {
        guard let base = buf.baseAddress else { return start }
        let n = buf.count
        let terminator = delimiters.segment
        // CR/LF after a terminator are line breaks unless the interchange uses them as a delimiter.
        let skipCR = delimiters.element != 0x0D && delimiters.component != 0x0D && delimiters.repetition != 0x0D
        let skipLF = delimiters.element != 0x0A && delimiters.component != 0x0A && delimiters.repetition != 0x0A
        @inline(__always) func isLineBreak(_ b: UInt8) -> Bool { (b == 0x0D && skipCR) || (b == 0x0A && skipLF) }
        var p = start
        while p < n, isLineBreak(base.load(fromByteOffset: p, as: UInt8.self)) { p &+= 1 }
        // The current window: the terminators in base[w..<w+64], with the bits before `p`
        // cleared. Kept across segments, since a typical segment is shorter than a window.
        var w = p
        var terminators = p < n ? X12DelimiterMasks.mask(base + w, count: n &- w, of: terminator) : 0
        while p < n {
            var end = -1
            while true {
                if terminators != 0 {
                    end = w &+ terminators.trailingZeroBitCount
                    terminators &= terminators &- 1
                    break
                }
                w &+= X12DelimiterMasks.window
                if w >= n { break }
                terminators = X12DelimiterMasks.mask(base + w, count: n &- w, of: terminator)
            }
            guard end >= 0 else {
                if n - p > maximumSegmentLength {
                    tooLong(at: p, &handler)
                    return p + 1
                }
                if isFinal {
                    handler.syntaxError(X12Error(.interchange(.prematureEndOfFile), at: position(segmentID: nil, byteOffset: streamOffset + p),
                                                 "the input ends inside a segment of interchange \(interchangeIndex) (no terminator \(hex(terminator)), no IEA)"))
                    state = .stopped
                    return n
                }
                return p
            }
            if end - p > maximumSegmentLength {
                tooLong(at: p, &handler)
                return p + 1
            }
            switch segment(buf, start: p, end: end, &handler) {
            case .next:
                p = end &+ 1
                // CR/LF after a terminator: line breaks, skipped. When one of them is the
                // terminator itself its bit is cleared below, as the byte is no terminator then.
                while p < n, isLineBreak(base.load(fromByteOffset: p, as: UInt8.self)) { p &+= 1 }
                let shift = p &- w
                if shift < X12DelimiterMasks.window {
                    terminators &= ~0 << UInt64(shift)
                } else if p < n {
                    w = p
                    terminators = X12DelimiterMasks.mask(base + w, count: n &- w, of: terminator)
                } else {
                    w = p
                    terminators = 0
                }
            case .ended: state = .between; return end + 1
            case .abandoned: state = .skipping; return end + 1
            case .restartAtISA: state = .between; return p
            }
        }
        return p
    }

    @inline(never)
    private mutating func invalidID<H: X12SegmentHandler>(_ bytes: UnsafeRawBufferPointer, at offset: Int, _ handler: inout H) {
        segmentInInterchange += 1
        if segmentInSet > 0 { segmentInSet += 1 }
        let code: X12ErrorCode = segmentInSet > 0 ? .segment(.unrecognizedSegmentID) : .interchange(.invalidInterchangeContent)
        let idLength = bytes.firstIndex(of: delimiters.element) ?? bytes.count
        handler.syntaxError(X12Error(code, at: position(segmentID: nil, byteOffset: offset),
                                     "a segment id is 2–3 upper-case letters or digits starting with a letter; found \(printable(bytes, 0, min(idLength, 12)))"))
    }

    @inline(never)
    private mutating func nestedISA<H: X12SegmentHandler>(at offset: Int, _ handler: inout H) {
        handler.syntaxError(X12Error(.interchange(.invalidControlStructure), at: position(segmentID: .ISA, byteOffset: offset),
                                     "an ISA begins before interchange \(interchangeIndex) has its IEA"))
    }

    private mutating func tooLong<H: X12SegmentHandler>(at p: Int, _ handler: inout H) {
        handler.syntaxError(X12Error(.interchange(.invalidControlStructure), at: position(segmentID: nil, byteOffset: streamOffset + p),
                                     "no segment terminator \(hex(delimiters.segment)) within \(maximumSegmentLength) bytes"))
        state = .skipping
    }

    @inline(__always)
    private mutating func segment<H: X12SegmentHandler>(_ buf: UnsafeRawBufferPointer, start: Int, end: Int,
                                                       _ handler: inout H) -> Outcome {
        let length = end - start
        let bytes = UnsafeRawBufferPointer(rebasing: buf[start..<end])
        // The id runs to the first element separator (or the end). A valid id is 2–3 letters
        // or digits and the separator is never one, so bytes 2 and 3 decide its length; a
        // separator earlier than that makes the id invalid, which X12SegmentID finds.
        let separator = delimiters.element
        let idLength = length >= 4 ? (bytes[2] == separator ? 2 : bytes[3] == separator ? 3 : 4)
            : length == 3 ? (bytes[2] == separator ? 2 : 3) : length
        let offset = streamOffset &+ start
        guard let id = X12SegmentID(bytes: UnsafeRawBufferPointer(rebasing: bytes[0..<idLength])) else {
            invalidID(bytes, at: offset, &handler)
            return .abandoned
        }
        if id == .ISA {
            nestedISA(at: offset, &handler)
            return .restartAtISA
        }
        segmentInInterchange += 1
        switch id {
        case .GS:
            groupIndex += 1
            inGroup = true
            setIndex = 0
            segmentInSet = 0
        case .ST:
            setIndex += 1
            segmentInSet = 1
        default:
            if segmentInSet > 0 { segmentInSet += 1 }
        }
        handler.segment(X12SegmentView(id: id, place: place(byteOffset: offset), delimiters: delimiters,
                                       bytes: bytes, readable: buf.count &- start))
        switch id {
        case .SE: segmentInSet = 0
        case .GE: inGroup = false; segmentInSet = 0
        case .IEA: return .ended
        default: break
        }
        return .next
    }
}

/// Bytes quoted for an error message: printable ASCII as is, others as \xNN.
func printable(_ buf: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> String {
    var s = "\""
    for b in buf[from..<to] {
        switch b {
        case 0x0A: s += "\\n"
        case 0x0D: s += "\\r"
        case 0x09: s += "\\t"
        case 0x20...0x7E where b != 0x22 && b != 0x5C: s.append(Character(Unicode.Scalar(b)))
        default:
            let d = Array("0123456789ABCDEF")
            s += "\\x\(d[Int(b >> 4)])\(d[Int(b & 0xF)])"
        }
    }
    return s + "\""
}
