#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Where the element separator and the segment terminator occur in a window of up to 64 bytes,
/// as one bit per byte (bit k = byte k of the window).
///
/// The parser's hot loop walks these masks instead of comparing byte by byte: one pass over the
/// input finds both delimiters, and the bits are visited lowest first (`trailingZeroBitCount`),
/// so the work per segment is proportional to its delimiters, not to its bytes.
struct X12DelimiterMasks: Equatable {
    /// Bit k set: byte k is the element separator.
    var element: UInt64
    /// Bit k set: byte k is the segment terminator.
    var terminator: UInt64

    /// The window size: a mask covers this many bytes.
    static let window = 64

    /// The masks of `p[0..<min(count, 64)]`; bits at and beyond `count` are zero.
    ///
    /// Full windows use SSE2 on x86_64 (four 16-byte compares per delimiter). A window cut
    /// short by the end of the buffer is scanned byte by byte, because reading past the buffer
    /// could cross into an unmapped page.
    @inline(__always)
    static func scan(_ p: UnsafeRawPointer, count: Int, element: UInt8, terminator: UInt8) -> X12DelimiterMasks {
        #if arch(x86_64)
        if count >= window { return sse2(p, element: element, terminator: terminator) }
        #endif
        return scalar(p, count: count, element: element, terminator: terminator)
    }

    #if arch(x86_64)
    /// Four unaligned 16-byte loads, each compared with both delimiters; `movemask` turns the
    /// compare results into 16 bits per load. SSE2 is part of x86_64, so no CPU check is needed.
    @inline(__always)
    static func sse2(_ p: UnsafeRawPointer, element: UInt8, terminator: UInt8) -> X12DelimiterMasks {
        let e = _mm_set1_epi8(CChar(bitPattern: element))
        let t = _mm_set1_epi8(CChar(bitPattern: terminator))
        let v0 = _mm_loadu_si128(p.assumingMemoryBound(to: __m128i.self))
        let v1 = _mm_loadu_si128((p + 16).assumingMemoryBound(to: __m128i.self))
        let v2 = _mm_loadu_si128((p + 32).assumingMemoryBound(to: __m128i.self))
        let v3 = _mm_loadu_si128((p + 48).assumingMemoryBound(to: __m128i.self))
        @inline(__always) func bits(_ v: __m128i, _ d: __m128i) -> UInt64 {
            UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(_mm_cmpeq_epi8(v, d))))
        }
        let em = bits(v0, e) | bits(v1, e) << 16 | bits(v2, e) << 32 | bits(v3, e) << 48
        let tm = bits(v0, t) | bits(v1, t) << 16 | bits(v2, t) << 32 | bits(v3, t) << 48
        return X12DelimiterMasks(element: em, terminator: tm)
    }
    #endif

    /// The portable version, also used for the short last window and as the reference the
    /// tests compare the SSE2 version with.
    @inline(__always)
    static func scalar(_ p: UnsafeRawPointer, count: Int, element: UInt8, terminator: UInt8) -> X12DelimiterMasks {
        var em: UInt64 = 0
        var tm: UInt64 = 0
        let n = min(count, window)
        var k = 0
        while k < n {
            let b = p.load(fromByteOffset: k, as: UInt8.self)
            // Both tests, not `else if`: the two delimiters are distinct in a valid ISA, but
            // the masks should say what the bytes are whatever the caller passes.
            if b == element { em |= 1 << UInt64(k) }
            if b == terminator { tm |= 1 << UInt64(k) }
            k += 1
        }
        return X12DelimiterMasks(element: em, terminator: tm)
    }
}
