import OrderedCollections

/// The keys of the objects being built in one parse, beside a fingerprint of each (a hash of
/// its bytes, or 0 when it has an escape or a non-ASCII byte). The fingerprints let an object
/// whose keys are all distinct be built in one go, each key hashed once, instead of inserted
/// key by key (a lookup each, and linear string comparisons below 16 keys).
struct JSONObjectKeys: ~Copyable {
    var strings = JSONScratchStack<String>()
    var fingerprints = JSONScratchStack<UInt64>()
    /// Long keys already made in this parse, by fingerprint: records of the same kind repeat
    /// their keys, and a key of more than 15 bytes is a heap allocation each time it is made.
    private var recent: [RecentKey] = []

    private struct RecentKey {
        var fingerprint: UInt64 = 0
        var offset = 0
        var count = 0
        var string = ""
    }

    private static let recentSlots = 64
    /// Up to 15 bytes of UTF-8, a String is stored inline: nothing to save by reusing one.
    private static let inlineLength = 15

    var count: Int { strings.count }

    /// The key of the plain ASCII bytes `offset..<offset + count` of `text` (no escape, no byte
    /// above 0x7F), remembered with its fingerprint.
    @inline(__always)
    mutating func pushPlainASCII(_ text: UnsafeRawBufferPointer, offset: Int, count: Int) {
        let fingerprint = Self.fingerprint(text, offset: offset, count: count)
        fingerprints.push(fingerprint)
        guard count > Self.inlineLength else {
            strings.push(String(decoding: UnsafeRawBufferPointer(rebasing: text[offset..<(offset + count)]), as: UTF8.self))
            return
        }
        if recent.isEmpty { recent = Array(repeating: RecentKey(), count: Self.recentSlots) }
        let slot = Int(truncatingIfNeeded: fingerprint >> 32) & (Self.recentSlots - 1)
        let seen = recent[slot]
        if seen.fingerprint == fingerprint, seen.count == count,
           Self.bytesEqual(text, seen.offset, offset, count: count) {
            strings.push(seen.string)
            return
        }
        let string = String(decoding: UnsafeRawBufferPointer(rebasing: text[offset..<(offset + count)]), as: UTF8.self)
        recent[slot] = RecentKey(fingerprint: fingerprint, offset: offset, count: count, string: string)
        strings.push(string)
    }

    /// A key with an escape or non-ASCII bytes: its object is built key by key, which compares
    /// keys as `String` does (canonical equivalence: "\u00e9" is "e\u0301").
    mutating func pushOther(_ key: String) {
        fingerprints.push(0)
        strings.push(key)
    }

    /// Builds the object of the keys from `keyStart` up and the values from `valueStart` up,
    /// popping both. A repeated key keeps its first position and its last value.
    mutating func popObject(
        keyStart: Int, values: inout JSONScratchStack<JSONValue>, valueStart: Int
    ) -> OrderedDictionary<String, JSONValue> {
        let distinct = fingerprintsAreDistinct(from: keyStart)
        fingerprints.truncate(to: keyStart)
        let keys = strings.popContiguousArray(from: keyStart)
        let objectValues = values.popContiguousArray(from: valueStart)
        if distinct { return OrderedDictionary(uncheckedUniqueKeys: keys, values: objectValues) }
        var object = OrderedDictionary<String, JSONValue>()
        for (key, value) in zip(keys, objectValues) { object[key] = value }
        return object
    }

    /// Whether every key from `start` up has a fingerprint and no two are the same. Distinct
    /// fingerprints mean distinct bytes, which for ASCII means distinct strings; the same
    /// fingerprint (a repeated key, or rarely two keys that hash alike) means the slow path.
    private func fingerprintsAreDistinct(from start: Int) -> Bool {
        let end = fingerprints.count
        if end - start <= 32 {
            for i in start..<end {
                let fingerprint = fingerprints[i]
                if fingerprint == 0 { return false }
                for j in start..<i where fingerprints[j] == fingerprint { return false }
            }
            return true
        }
        var sorted: [UInt64] = []
        sorted.reserveCapacity(end - start)
        for i in start..<end {
            if fingerprints[i] == 0 { return false }
            sorted.append(fingerprints[i])
        }
        sorted.sort()
        for i in 1..<sorted.count where sorted[i] == sorted[i - 1] { return false }
        return true
    }

    /// Whether `text[first..<first + count]` and `text[second..<second + count]` are the same.
    private static func bytesEqual(_ text: UnsafeRawBufferPointer, _ first: Int, _ second: Int, count: Int) -> Bool {
        var i = 0
        while i + 8 <= count {
            if text.loadUnaligned(fromByteOffset: first + i, as: UInt64.self) != text.loadUnaligned(fromByteOffset: second + i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < count {
            if text[first + i] != text[second + i] { return false }
            i += 1
        }
        return true
    }

    /// A 64-bit hash of the bytes, never 0, read eight at a time.
    @inline(__always)
    static func fingerprint(_ text: UnsafeRawBufferPointer, offset: Int, count: Int) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash = UInt64(truncatingIfNeeded: count) &* multiplier
        var position = offset
        let end = offset + count
        while position + 8 <= end {
            hash = (hash ^ UInt64(littleEndian: text.loadUnaligned(fromByteOffset: position, as: UInt64.self))) &* multiplier
            hash ^= hash >> 29
            position += 8
        }
        if position < end {
            var tail: UInt64
            if position + 8 <= text.count {
                // One load and a mask (a key's closing quote follows it, so the eight bytes are
                // nearly always there); the same value the byte loop below assembles.
                let mask: UInt64 = (1 << UInt64((end - position) * 8)) &- 1
                tail = UInt64(littleEndian: text.loadUnaligned(fromByteOffset: position, as: UInt64.self)) & mask
            } else {
                tail = 0
                var shift: UInt64 = 0
                while position < end {
                    tail |= UInt64(text[position]) << shift
                    shift += 8
                    position += 1
                }
            }
            hash = (hash ^ tail) &* multiplier
            hash ^= hash >> 29
        }
        return hash == 0 ? 1 : hash
    }
}
