/// A JSON text checked as `JSONValue(parsing:)` checks it, kept as its bytes and a flat index of
/// its values ("tape", as simdjson calls it) instead of a tree: no string is made, no dictionary
/// hashed, until someone asks for that value. The mapping engine reads its input this way when
/// it is given bytes, so that the members a mapping never touches cost only the scan.
///
/// Every value has one entry; a container's entry is followed by its members' entries (an
/// object's as key, value, key, value…) and records where the entry after the container is.
/// A repeated key is not resolved here: `hasRepeatedKeys(at:)` says so, and readers then build
/// the object with `value(at:)`, which keeps JSON.parse's first position and last value.
public final class JSONTape: @unchecked Sendable {
    // Immutable after init; @unchecked because the arrays are read through unsafe pointers.

    /// What one entry holds.
    public enum Kind: UInt8, Sendable {
        case null, `false`, `true`, number, string, array, object
    }

    @usableFromInline struct Entry {
        @usableFromInline var kind: Kind
        /// Strings: no escape and no byte above 0x7F. Objects: no key is repeated.
        @usableFromInline var plain: Bool
        /// Strings: byte length of the content. Containers: number of members.
        @usableFromInline var count: UInt32
        /// Strings: offset of the first content byte. Containers: index of the entry after the
        /// container's last member.
        @usableFromInline var next: UInt32
        /// Containers: byte offset of the opening bracket. Keys: the index of their object's
        /// entry (values: `UInt32.max`), so that a reader can tell a key of an object from a
        /// string that happens to sit at the same place.
        @usableFromInline var start: UInt32
        /// Numbers: the value. Containers: byte offset just past the closing bracket.
        @usableFromInline var payload: UInt64
    }

    /// The JSON text.
    public let bytes: [UInt8]
    /// The builder's own buffer, kept as it was filled (copying it into an array was a tenth
    /// of building a tape); freed in `deinit`.
    @usableFromInline let entries: UnsafeBufferPointer<Entry>
    /// The first byte of `bytes`, whose storage the tape keeps alive and never changes: reading
    /// members through it saves entering `withUnsafeBytes` (and retaining the array) on every
    /// key compared and string made.
    @usableFromInline let base: UnsafeRawPointer

    /// Checks and indexes `bytes` (a complete JSON text, RFC 8259). Throws `JSONSyntaxError`
    /// naming the byte offset, as `JSONValue(parsing:)` does. Texts over 4 GiB are refused.
    public init(parsing bytes: [UInt8]) throws(JSONSyntaxError) {
        guard bytes.count < Int(UInt32.max) else {
            throw JSONSyntaxError(offset: 0, reason: "a JSON text over 4 GiB")
        }
        self.bytes = bytes
        let built: Result<(UnsafeBufferPointer<Entry>, UnsafeRawPointer), JSONSyntaxError> = self.bytes.withUnsafeBytes { buffer in
            var builder = TapeBuilder(JSONReader(buffer))
            do throws(JSONSyntaxError) {
                try builder.value()
                try builder.reader.expectEnd()
                // A value was read, so the text is not empty and has an address.
                return .success((builder.finish(), buffer.baseAddress!))
            } catch {
                return .failure(error)
            }
        }
        (self.entries, self.base) = try built.get()
    }

    deinit { entries.baseAddress?.deallocate() }

    /// The root value's index.
    public var root: Int { 0 }

    @inlinable public func kind(at index: Int) -> Kind { entries[index].kind }

    /// Members of the array or object at `index`.
    @inlinable public func count(at index: Int) -> Int { Int(entries[index].count) }

    /// The index after the value at `index` and everything in it.
    @inlinable public func after(_ index: Int) -> Int {
        let e = entries[index]
        return e.kind == .array || e.kind == .object ? Int(e.next) : index + 1
    }

    @inlinable public func number(at index: Int) -> Double { Double(bitPattern: entries[index].payload) }

    /// Whether the entry at `entry` is a key of the object at `object`.
    @inlinable public func isKey(at entry: Int, of object: Int) -> Bool {
        entry < entries.count && entries[entry].kind == .string && entries[entry].start == UInt32(truncatingIfNeeded: object)
    }

    /// Whether the object at `index` has a key more than once.
    @inlinable public func hasRepeatedKeys(at index: Int) -> Bool { !entries[index].plain }

    /// The string (or key) at `index`, escapes decoded.
    public func string(at index: Int) -> String {
        let e = entries[index]
        let start = Int(e.next)
        let content = UnsafeRawBufferPointer(start: base + start, count: Int(e.count))
        if e.plain || !content.contains(UInt8(ascii: "\\")) {
            return String(decoding: content, as: UTF8.self)
        }
        var reader = JSONReader(UnsafeRawBufferPointer(start: base, count: bytes.count))
        reader.offset = start - 1
        // Checked when the tape was built.
        return (try? reader.readStringBody()) ?? ""
    }

    /// Whether the string (or key) at `index` is `key`. Plain ASCII on both sides compares
    /// bytes; anything else compares as `String` does (canonical equivalence), as a dictionary
    /// lookup would.
    @inlinable public func stringEquals(at index: Int, _ key: String, keyIsASCII: Bool) -> Bool {
        guard entries[index].plain, keyIsASCII else { return string(at: index) == key }
        var key = key
        return key.withUTF8 { plainStringEquals(at: index, UnsafeRawBufferPointer($0)) ?? false }
    }

    /// Whether the string (or key) at `index`, when it is plain ASCII, is exactly the bytes
    /// `key`; nil when it is not plain (compare with `stringEquals` then).
    @inlinable @inline(__always) public func plainStringEquals(at index: Int, _ key: UnsafeRawBufferPointer) -> Bool? {
        let e = entries[index]
        guard e.plain else { return nil }
        return Int(e.count) == key.count && (key.isEmpty || memcmpEqual(base + Int(e.next), key.baseAddress!, key.count))
    }

    @inlinable @inline(__always) func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        var i = 0
        while i + 8 <= count {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < count {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    /// The value at `index` as a `JSONValue` tree (the container's bytes parsed again).
    public func value(at index: Int) -> JSONValue {
        let e = entries[index]
        switch e.kind {
        case .null: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .number: return .number(number(at: index))
        case .string: return .string(string(at: index))
        case .array, .object:
            // Checked when the tape was built, so this parse cannot fail.
            return (try? JSONValue(parsing: bytes[Int(e.start)..<Int(e.payload)])) ?? .null
        }
    }
}

/// Builds a tape's entries with `JSONReader`'s checks.
private struct TapeBuilder: ~Copyable {
    var reader: JSONReader
    var entries: TapeBuffer<JSONTape.Entry>
    /// Fingerprints of the keys of the objects being built, to find a repeated key.
    var keyFingerprints = TapeBuffer<UInt64>(capacity: 64)
    /// Scratch slots for `keysAreDistinct`, all zero between objects.
    private var probe = TapeBuffer<UInt64>(zeros: 64)

    init(_ reader: JSONReader) {
        self.reader = reader
        entries = TapeBuffer(capacity: max(16, reader.bytes.count / 8))
    }

    /// The entries, handed over to the tape.
    consuming func finish() -> UnsafeBufferPointer<JSONTape.Entry> { entries.take() }

    mutating func value() throws(JSONSyntaxError) {
        reader.skipWhitespace()
        guard let byte = reader.peek() else { throw reader.failure("expected a value, found the end") }
        switch byte {
        case UInt8(ascii: "{"): try object()
        case UInt8(ascii: "["):
            let at = try open(.array)
            var count: UInt32 = 0
            if !reader.consume(UInt8(ascii: "]")) {
                repeat {
                    try value()
                    count += 1
                } while reader.consume(UInt8(ascii: ","))
                try reader.expect(UInt8(ascii: "]"), "',' or ']' in an array")
            }
            close(at, count: count)
        case UInt8(ascii: "\""): try string(of: nil)
        case UInt8(ascii: "t"):
            try reader.literal("true")
            entries.append(JSONTape.Entry(kind: .true, plain: true, count: 0, next: 0, start: 0, payload: 0))
        case UInt8(ascii: "f"):
            try reader.literal("false")
            entries.append(JSONTape.Entry(kind: .false, plain: true, count: 0, next: 0, start: 0, payload: 0))
        case UInt8(ascii: "n"):
            try reader.literal("null")
            entries.append(JSONTape.Entry(kind: .null, plain: true, count: 0, next: 0, start: 0, payload: 0))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let d = try reader.number(building: true)
            entries.append(JSONTape.Entry(kind: .number, plain: true, count: 0, next: 0, start: 0, payload: d.bitPattern))
        default:
            throw reader.unexpectedByte(byte)
        }
    }

    /// A string (its opening quote next); for a key of the object at `object`, returns its
    /// fingerprint (0 when it is not plain).
    @discardableResult
    mutating func string(of object: Int?) throws(JSONSyntaxError) -> UInt64 {
        reader.offset += 1
        let start = reader.offset
        var ascii = true
        var escaped = false
        while try !reader.scanUnescaped(ascii: &ascii) {
            escaped = true
            _ = try reader.escapedScalar()
        }
        let count = reader.offset - 1 - start
        let plain = ascii && !escaped
        let owner = object.map { UInt32(truncatingIfNeeded: $0) } ?? UInt32.max
        entries.append(JSONTape.Entry(kind: .string, plain: plain, count: UInt32(count), next: UInt32(start), start: owner, payload: 0))
        return object != nil && plain ? JSONObjectKeys.fingerprint(reader.bytes, offset: start, count: count) : 0
    }

    mutating func object() throws(JSONSyntaxError) {
        let at = try open(.object)
        let keyStart = keyFingerprints.count
        var count: UInt32 = 0
        if !reader.consume(UInt8(ascii: "}")) {
            repeat {
                reader.skipWhitespace()
                guard reader.peek() == UInt8(ascii: "\"") else {
                    throw reader.failure(reader.isAtEnd ? "expected an object key, found the end" : "expected an object key")
                }
                keyFingerprints.append(try string(of: at))
                try reader.expect(UInt8(ascii: ":"), "':' after an object key")
                try value()
                count += 1
            } while reader.consume(UInt8(ascii: ","))
            try reader.expect(UInt8(ascii: "}"), "',' or '}' in an object")
        }
        close(at, count: count)
        entries[at].plain = keysAreDistinct(from: keyStart)
        keyFingerprints.truncate(to: keyStart)
    }

    /// Appends the entry of a container (its opening bracket next, completed by `close`) and
    /// enters it; returns the entry's index.
    @inline(__always)
    private mutating func open(_ kind: JSONTape.Kind) throws(JSONSyntaxError) -> Int {
        let at = entries.count
        entries.append(JSONTape.Entry(kind: kind, plain: true, count: 0, next: 0, start: UInt32(reader.offset), payload: 0))
        try reader.enter()
        return at
    }

    /// Completes the entry of the container opened at `at`, its closing bracket just read.
    @inline(__always)
    private mutating func close(_ at: Int, count: UInt32) {
        reader.leave()
        entries[at].count = count
        entries[at].next = UInt32(entries.count)
        entries[at].payload = UInt64(reader.offset)
    }

    /// Distinct fingerprints mean distinct keys; a key that is not plain (fingerprint 0) or two
    /// alike send readers to the full parse, which decides as JSON.parse does.
    private mutating func keysAreDistinct(from start: Int) -> Bool {
        let end = keyFingerprints.count
        let n = end - start
        if n <= 4 {
            for i in start..<end {
                let f = keyFingerprints[i]
                if f == 0 { return false }
                for j in start..<i where keyFingerprints[j] == f { return false }
            }
            return true
        }
        if n <= 32 {
            // An open-addressing set of 64 slots, emptied again afterwards.
            var distinct = true
            var placed = 0
            for i in start..<end {
                let f = keyFingerprints[i]
                if f == 0 { distinct = false; break }
                var slot = Int(truncatingIfNeeded: f >> 58)
                while probe[slot] != 0 && probe[slot] != f { slot = (slot + 1) & 63 }
                if probe[slot] == f { distinct = false; break }
                probe[slot] = f
                placed += 1
            }
            if placed > 0 {
                for i in start..<(start + placed) {
                    var slot = Int(truncatingIfNeeded: keyFingerprints[i] >> 58)
                    while probe[slot] != 0 {
                        probe[slot] = 0
                        slot = (slot + 1) & 63
                    }
                }
            }
            return distinct
        }
        var sorted = keyFingerprints.copy(start..<end)
        if sorted.contains(0) { return false }
        sorted.sort()
        for i in 1..<sorted.count where sorted[i] == sorted[i - 1] { return false }
        return true
    }
}

/// The entries (and key fingerprints) being built: appended without the uniqueness check an
/// array makes on every append (a tenth of the tape's time in a profile), patched in place when
/// a container closes. Elements are plain values (nothing to deinitialize).
private struct TapeBuffer<Element>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    /// `count` zero elements.
    init(zeros count: Int) where Element == UInt64 {
        self.init(capacity: count)
        base.initialize(repeating: 0, count: count)
        self.count = count
    }

    deinit { base.deallocate() }

    @inline(__always) mutating func append(_ element: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    private mutating func grow() {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity *= 2
    }

    subscript(index: Int) -> Element {
        @inline(__always) get { base[index] }
        @inline(__always) set { base[index] = newValue }
    }

    /// Forgets the elements from `newCount` on.
    @inline(__always) mutating func truncate(to newCount: Int) { count = newCount }

    /// The elements `range`, as an array.
    func copy(_ range: Range<Int>) -> [Element] { Array(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)) }

    /// The elements, which the caller now owns (and deallocates).
    consuming func take() -> UnsafeBufferPointer<Element> {
        let taken = UnsafeBufferPointer(start: base, count: count)
        discard self
        return taken
    }
}
