/// Where `JSONWriter` and `NumberFormatting` write text: a byte array, or a `JSONByteBuffer`
/// on the paths that write a whole document at a time.
public protocol JSONOutput: ~Copyable {
    mutating func append(_ byte: UInt8)
    mutating func append(_ bytes: UnsafeRawBufferPointer)
}

extension Array: JSONOutput where Element == UInt8 {
    @inlinable public mutating func append(_ bytes: UnsafeRawBufferPointer) { append(contentsOf: bytes) }
}

/// A growing byte buffer for writing one JSON document: an append is a capacity check and a
/// store. Writing into an array checked the array's uniqueness and capacity on every byte and
/// went through the generic `append(contentsOf:)`, which made writing a mapping's 3 KB result a
/// seventh of the bytes-to-bytes path (issue 27).
public struct JSONByteBuffer: ~Copyable, JSONOutput {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var count: Int
    @usableFromInline var capacity: Int

    public init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        self.base = .allocate(capacity: self.capacity)
        self.count = 0
    }

    deinit { base.deallocate() }

    @inlinable @inline(__always)
    public mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toHold: 1) }
        base[count] = byte
        count += 1
    }

    @inlinable @inline(__always)
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        if capacity - count < n { grow(toHold: n) }
        let target = UnsafeMutableRawPointer(base + count)
        if n >= 8 && n <= 16 {
            // Most runs written are keys and short values: two overlapping word moves, no call.
            let source = bytes.baseAddress!
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), toByteOffset: n - 8, as: UInt64.self)
        } else if n > 0 {
            target.copyMemory(from: bytes.baseAddress!, byteCount: n)
        }
        count += n
    }

    @usableFromInline mutating func grow(toHold extra: Int) {
        let larger = max(capacity * 2, count + extra)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.moveInitialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    /// The bytes written, as an array.
    public consuming func bytes() -> [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }
}
