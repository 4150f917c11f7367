/// A transaction set control number (ST02/SE02) in one integer, so that the validator stores,
/// compares and deduplicates it without an array or a string per set.
///
/// ST02 is 4–9 upper-case letters or digits: 36 values, so each byte takes 6 bits (code 1–36,
/// never 0) and nine fit in 54 bits. Because no code is 0, the packing is one-to-one including
/// the length: equal packed values mean equal bytes.
struct X12PackedControlNumber: Hashable {
    let rawValue: UInt64

    /// Packs `bytes`; nil unless they are 4–9 upper-case letters or digits (ST02's syntax).
    @inline(__always)
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 4, bytes.count <= 9 else { return nil }
        var value: UInt64 = 0
        for b in bytes {
            let code: UInt8
            if b &- 0x30 < 10 { code = b &- 0x30 &+ 1 }  // 0–9 → 1–10
            else if b &- 0x41 < 26 { code = b &- 0x41 &+ 11 }  // A–Z → 11–36
            else { return nil }
            value = value << 6 | UInt64(code)
        }
        rawValue = value
    }

    /// The bytes it was packed from (for error messages).
    var bytes: [UInt8] {
        var out: [UInt8] = []
        var v = rawValue
        while v != 0 {
            let code = UInt8(truncatingIfNeeded: v & 0x3F)
            out.append(code <= 10 ? 0x30 + code - 1 : 0x41 + code - 11)
            v >>= 6
        }
        return out.reversed()
    }
}

/// The ST02 values seen in the current functional group, to detect duplicates.
///
/// One instance lives in the validator for its whole life and is emptied (keeping its
/// capacity) at each GS, so that after the first large group no set allocates.
struct X12SetControlNumbers {
    private var seen: Set<UInt64> = []

    /// Forgets the previous group's numbers, keeping the storage.
    mutating func beginGroup() {
        if !seen.isEmpty { seen.removeAll(keepingCapacity: true) }
    }

    /// Records `number`; false when the group already had it.
    @inline(__always)
    mutating func insert(_ number: X12PackedControlNumber) -> Bool {
        seen.insert(number.rawValue).inserted
    }
}
