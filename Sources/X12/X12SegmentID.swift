/// A segment identifier (`ISA`, `GS`, `W05`, …) packed into one integer, so that the parser can
/// name and compare segments without making a `String` per segment.
///
/// X12 segment ids are two or three characters, upper-case letters and digits, starting with a
/// letter. The bytes are packed little-endian: byte 0 in the low 8 bits.
public struct X12SegmentID: Sendable, Hashable, CustomStringConvertible {
    /// The packed bytes; 0 means "no id" (an empty segment).
    public let rawValue: UInt32

    /// Packs up to three bytes; returns nil unless they form a valid X12 segment id.
    @inline(__always)
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 2 || bytes.count == 3 else { return nil }
        let b0 = bytes[0], b1 = bytes[1]
        guard Self.isUpperLetter(b0), Self.isUpperAlphanumeric(b1) else { return nil }
        var raw = UInt32(b0) | UInt32(b1) << 8
        if bytes.count == 3 {
            guard Self.isUpperAlphanumeric(bytes[2]) else { return nil }
            raw |= UInt32(bytes[2]) << 16
        }
        rawValue = raw
    }

    /// An id from a literal such as `"W05"`; traps on an invalid id (a programmer error).
    public init(_ text: StaticString) {
        let id = text.withUTF8Buffer { X12SegmentID(bytes: UnsafeRawBufferPointer($0)) }
        precondition(id != nil, "invalid X12 segment id \(text)")
        self = id!
    }

    /// An id from text; nil unless valid.
    public init?(string: String) {
        var text = string
        guard let id = text.withUTF8({ X12SegmentID(bytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = id
    }

    @usableFromInline init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The id's bytes (two or three).
    public var bytes: [UInt8] {
        var out: [UInt8] = [UInt8(rawValue & 0xFF), UInt8(rawValue >> 8 & 0xFF)]
        if rawValue >> 16 != 0 { out.append(UInt8(rawValue >> 16 & 0xFF)) }
        return rawValue == 0 ? [] : out
    }

    public var description: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always) static func isUpperLetter(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
    @inline(__always) static func isUpperAlphanumeric(_ b: UInt8) -> Bool { b &- 0x41 < 26 || b &- 0x30 < 10 }

    @inlinable public static var ISA: X12SegmentID { X12SegmentID(rawValue: 0x415349) }  // "ISA", packed; a computed constant, not a lazily initialized global
    @inlinable public static var IEA: X12SegmentID { X12SegmentID(rawValue: 0x414549) }
    @inlinable public static var GS: X12SegmentID { X12SegmentID(rawValue: 0x5347) }
    @inlinable public static var GE: X12SegmentID { X12SegmentID(rawValue: 0x4547) }
    @inlinable public static var ST: X12SegmentID { X12SegmentID(rawValue: 0x5453) }
    @inlinable public static var SE: X12SegmentID { X12SegmentID(rawValue: 0x4553) }
    /// Grade of Service Request (X12.5): an optional interchange-level segment between ISA and GS.
    @inlinable public static var ISB: X12SegmentID { X12SegmentID(rawValue: 0x425349) }
    /// Deferred Delivery Request (X12.5): an optional interchange-level segment between ISA and GS.
    @inlinable public static var ISE: X12SegmentID { X12SegmentID(rawValue: 0x455349) }
    /// Interchange Acknowledgment: travels between ISA and the first GS.
    @inlinable public static var TA1: X12SegmentID { X12SegmentID(rawValue: 0x314154) }
}
