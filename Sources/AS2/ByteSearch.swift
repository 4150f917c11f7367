#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Array where Element == UInt8 {
    /// The index where `needle` next occurs at or after `start`: libc's `memchr` for its first
    /// byte, `memcmp` for the rest. Many times faster than the generic `firstRange(of:)` on the
    /// 100 KB bodies AS2 carries (the benchmark's profile showed it as the largest cost).
    func firstIndex(of needle: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, start >= 0, start <= count - needle.count else { return nil }
        return withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { n in
                guard let base = haystack.baseAddress, let first = n.first else { return nil }
                let last = haystack.count - n.count
                var i = start
                while i <= last {
                    guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return nil }
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, n.baseAddress!, n.count) == 0 { return at }
                    i = at + 1
                }
                return nil
            }
        }
    }
}
