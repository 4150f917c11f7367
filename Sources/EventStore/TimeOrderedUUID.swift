import Foundation

extension UUID {
    /// A version-7 UUID (RFC 9562 §5.7): 48 bits of Unix time in milliseconds, then 74 random
    /// bits. New event ids use it because the store indexes ids: random (version-4) ids land on a
    /// random leaf page of that index, so every append dirtied one more page and wrote it to the
    /// WAL; time-ordered ids go to the index's right edge, which the whole commit shares.
    /// The random bits come from the system generator, so ids stay unguessable.
    public static func timeOrdered(unixMilliseconds: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000)) -> UUID {
        var random = SystemRandomNumberGenerator()
        let high = random.next() as UInt64
        let low = random.next() as UInt64
        let ms = unixMilliseconds & 0xFFFF_FFFF_FFFF
        return UUID(uuid: (
            UInt8(truncatingIfNeeded: ms >> 40), UInt8(truncatingIfNeeded: ms >> 32),
            UInt8(truncatingIfNeeded: ms >> 24), UInt8(truncatingIfNeeded: ms >> 16),
            UInt8(truncatingIfNeeded: ms >> 8), UInt8(truncatingIfNeeded: ms),
            0x70 | UInt8(truncatingIfNeeded: high >> 60) & 0x0F, UInt8(truncatingIfNeeded: high >> 52),  // version 7, rand_a
            0x80 | UInt8(truncatingIfNeeded: low >> 58) & 0x3F, UInt8(truncatingIfNeeded: low >> 50),    // variant 10, rand_b
            UInt8(truncatingIfNeeded: low >> 42), UInt8(truncatingIfNeeded: low >> 34),
            UInt8(truncatingIfNeeded: low >> 26), UInt8(truncatingIfNeeded: low >> 18),
            UInt8(truncatingIfNeeded: low >> 10), UInt8(truncatingIfNeeded: low >> 2)))
    }
}
