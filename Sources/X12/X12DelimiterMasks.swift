#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Where a delimiter byte occurs in a window of up to 64 bytes, as one bit per byte (bit k =
/// byte k of the window).
///
/// The parser's hot loop walks the segment terminator's masks instead of comparing byte by
/// byte, and ``X12SegmentView`` walks the element separator's when a handler asks for
/// elements: bits are visited lowest first (`trailingZeroBitCount`), so the work is
/// proportional to the delimiters found, not to the bytes.
enum X12DelimiterMasks {
    /// The window size: a mask covers this many bytes.
    static let window = 64

    /// The mask of `delimiter` in `p[0..<min(count, 64)]`; bits at and beyond `count` are zero.
    ///
    /// Full windows use SSE2 on x86_64 (four 16-byte compares). A window cut short by the end
    /// of the buffer is scanned byte by byte, because reading past the buffer could cross into
    /// an unmapped page.
    @inline(__always)
    static func mask(_ p: UnsafeRawPointer, count: Int, of delimiter: UInt8) -> UInt64 {
        #if arch(x86_64)
        if count >= window { return sse2(p, of: delimiter) }
        #endif
        return scalar(p, count: count, of: delimiter)
    }

    #if arch(x86_64)
    /// Four unaligned 16-byte loads compared with the delimiter; `movemask` turns each compare
    /// result into 16 bits. SSE2 is part of x86_64, so no CPU check is needed.
    @inline(__always)
    static func sse2(_ p: UnsafeRawPointer, of delimiter: UInt8) -> UInt64 {
        let d = _mm_set1_epi8(CChar(bitPattern: delimiter))
        @inline(__always) func bits(_ offset: Int) -> UInt64 {
            let v = _mm_loadu_si128((p + offset).assumingMemoryBound(to: __m128i.self))
            return UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(_mm_cmpeq_epi8(v, d))))
        }
        return bits(0) | bits(16) << 16 | bits(32) << 32 | bits(48) << 48
    }
    #endif

    /// The mask of `delimiter` in `p[0..<min(count, 64)]`, where `readable` bytes from `p` may
    /// be read (at least `count`): a segment shorter than a window still gets the SSE2 compare
    /// when the buffer around it is long enough, the bits past `count` being cleared.
    @inline(__always)
    static func mask(_ p: UnsafeRawPointer, count: Int, readable: Int, of delimiter: UInt8) -> UInt64 {
        #if arch(x86_64)
        if readable >= window {
            let m = sse2(p, of: delimiter)
            return count >= window ? m : m & ((1 << UInt64(count)) &- 1)
        }
        #endif
        return scalar(p, count: count, of: delimiter)
    }

    /// The portable version, also used for the short last window of a buffer.
    @inline(__always)
    static func scalar(_ p: UnsafeRawPointer, count: Int, of delimiter: UInt8) -> UInt64 {
        var m: UInt64 = 0
        let n = min(count, window)
        var k = 0
        while k < n {
            if p.load(fromByteOffset: k, as: UInt8.self) == delimiter { m |= 1 << UInt64(k) }
            k += 1
        }
        return m
    }

    /// The offsets of every `delimiter` byte in `bytes`, in order. `readable` (default
    /// `bytes.count`) is how many bytes from `bytes.baseAddress` may be read; see
    /// ``mask(_:count:readable:of:)``.
    static func offsets(of delimiter: UInt8, in bytes: UnsafeRawBufferPointer, readable: Int? = nil) -> [Int32] {
        let readable = readable ?? bytes.count
        guard let base = bytes.baseAddress else { return [] }
        // Counted first, so that the array is allocated once at its exact size (the document
        // model keeps one per segment).
        let total = count(of: delimiter, in: bytes, readable: readable)
        if total == 0 { return [] }
        // Written to scratch space and copied once: `Array(UnsafeBufferPointer)` is specialized
        // in this module, whereas the array initializers that hand out uninitialized storage
        // looked their metadata up in the runtime on every call (seen in a profile).
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: total) { out in
            var i = 0
            var w = 0
            while w < bytes.count, i < total {
                var m = mask(base + w, count: bytes.count - w, readable: readable - w, of: delimiter)
                while m != 0, i < total {
                    out[i] = Int32(truncatingIfNeeded: w + m.trailingZeroBitCount)
                    i += 1
                    m &= m &- 1
                }
                w += window
            }
            return Array(UnsafeBufferPointer(rebasing: out[0..<i]))
        }
    }

    /// The offset of the `n`th (0-based) `delimiter` byte in `bytes`, or nil when there are
    /// fewer.
    static func offset(_ n: Int, of delimiter: UInt8, in bytes: UnsafeRawBufferPointer, readable: Int? = nil) -> Int? {
        let readable = readable ?? bytes.count
        guard let base = bytes.baseAddress, n >= 0 else { return nil }
        var left = n
        var w = 0
        while w < bytes.count {
            var m = mask(base + w, count: bytes.count - w, readable: readable - w, of: delimiter)
            let found = m.nonzeroBitCount
            if found > left {
                for _ in 0..<left { m &= m &- 1 }
                return w + m.trailingZeroBitCount
            }
            left -= found
            w += window
        }
        return nil
    }

    /// The byte range of field `n` (1-based) when `bytes` is cut at every `delimiter`: from
    /// after delimiter n-1 (0-based) to delimiter n or the end; nil when there are fewer than
    /// n delimiters. One pass finds both ends.
    static func field(_ n: Int, of delimiter: UInt8, in bytes: UnsafeRawBufferPointer, readable: Int) -> Range<Int>? {
        guard let base = bytes.baseAddress, n >= 1 else { return nil }
        var skip = n - 1  // delimiters before the one that opens the field
        var start = -1
        var w = 0
        while w < bytes.count {
            var m = mask(base + w, count: bytes.count - w, readable: readable - w, of: delimiter)
            if start < 0 {
                let found = m.nonzeroBitCount
                if found <= skip {
                    skip -= found
                    w += window
                    continue
                }
                for _ in 0..<skip { m &= m &- 1 }
                start = w + m.trailingZeroBitCount + 1
                m &= m &- 1
            }
            if m != 0 { return start..<(w + m.trailingZeroBitCount) }
            w += window
        }
        return start < 0 ? nil : start..<bytes.count
    }

    /// How many `delimiter` bytes `bytes` holds.
    static func count(of delimiter: UInt8, in bytes: UnsafeRawBufferPointer, readable: Int? = nil) -> Int {
        let readable = readable ?? bytes.count
        guard let base = bytes.baseAddress else { return 0 }
        var total = 0
        var w = 0
        while w < bytes.count {
            total += mask(base + w, count: bytes.count - w, readable: readable - w, of: delimiter).nonzeroBitCount
            w += window
        }
        return total
    }
}
