/// Eight bytes at a time: the "does a word have a zero byte" bit tricks with which the reader and
/// the writer step over the plain bytes of a string.
@usableFromInline enum ByteWord {
    @inlinable static var ones: UInt64 { 0x0101_0101_0101_0101 }
    @inlinable static var highBits: UInt64 { 0x8080_8080_8080_8080 }

    /// The top bit of each byte of `word` (little-endian) that is a quote, a backslash or a
    /// control character. Exact for the lowest such byte, perhaps also set for bytes above it: a
    /// byte below 0x80 is below `n` exactly when subtracting `n` borrows into its top bit, and a
    /// borrow only travels upwards, from a flagged byte. Bytes above 0x7F are never flagged.
    @inlinable @inline(__always)
    static func quoteBackslashOrControl(_ word: UInt64) -> UInt64 {
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroInQuote = (quote &- ones) & ~quote
        let zeroInBackslash = (backslash &- ones) & ~backslash
        let control = (word &- ones &* 0x20) & ~word
        return (zeroInQuote | zeroInBackslash | control) & highBits
    }
}
