/// Base64 with the standard alphabet of RFC 4648 §4 (`A–Z a–z 0–9 + /`, `=` padding), on bytes.
///
/// Decoding rules, chosen for signatures and secrets arriving in HTTP headers and config files:
/// - Only the standard alphabet is accepted; the URL-safe alphabet (`-`, `_`) of §5 is refused
///   rather than silently mixed in, because no scheme we verify uses it.
/// - Whitespace anywhere in the input is refused: callers trim header values (RFC 9110 §5.5
///   optional whitespace) before decoding, and an inner space in a Standard Webhooks header is
///   the separator between signatures, never part of one.
/// - Padding is optional, but when present it must be exactly what RFC 4648 prescribes for the
///   length (`xx==`, `xxx=`) and only at the end.
/// - Non-zero unused bits in the last character are tolerated (RFC 4648 §3.5 lets decoders
///   choose); they cannot matter here because decoded digests are compared as bytes.
///
/// Errors give byte offsets, never the offending characters, so that a secret that fails to
/// decode is not echoed into a log.
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0xFF marks bytes outside the alphabet.
    private static let decodingTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }()

    /// Encodes with padding.
    public static func encode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        String(decoding: encodeToBytes(bytes), as: UTF8.self)
    }

    /// Encodes with padding, as ASCII bytes.
    public static func encodeToBytes<Bytes: Collection>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        let input = Array(bytes)
        var output = [UInt8]()
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= input.count {
            let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            output.append(alphabet[Int(group >> 6 & 0x3F)])
            output.append(alphabet[Int(group & 0x3F)])
            index += 3
        }
        switch input.count - index {
        case 1:
            let group = UInt32(input[index]) << 16
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            output.append(UInt8(ascii: "="))
            output.append(UInt8(ascii: "="))
        case 2:
            let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            output.append(alphabet[Int(group >> 6 & 0x3F)])
            output.append(UInt8(ascii: "="))
        default:
            break
        }
        return output
    }

    /// Decodes `text` (see the type's rules).
    public static func decode<Text: Collection>(_ text: Text) throws(Base64DecodingError) -> [UInt8]
    where Text.Element == UInt8 {
        let input = Array(text)
        // Strip the padding first, checking it is only at the end and of a legal length.
        var end = input.count
        while end > 0, input[end - 1] == UInt8(ascii: "=") { end -= 1 }
        let padding = input.count - end
        if padding > 0 {
            guard padding <= 2, input.count % 4 == 0, (end + padding) % 4 == 0, (end % 4) + padding == 4 else {
                throw .invalidPadding(offset: end)
            }
        }
        var output = [UInt8]()
        output.reserveCapacity(end / 4 * 3 + 2)
        var accumulator: UInt32 = 0
        var bits = 0
        for offset in 0..<end {
            let value = decodingTable[Int(input[offset])]
            guard value != 0xFF else {
                if input[offset] == UInt8(ascii: "=") { throw .invalidPadding(offset: offset) }
                throw .invalidCharacter(offset: offset)
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // Checked after the scan so that a stray character is reported where it is, rather than
        // as a length problem it causes.
        if end % 4 == 1 {
            throw .invalidLength(characters: end)
        }
        return output
    }

    /// Decodes the UTF-8 bytes of `text`.
    public static func decode(_ text: String) throws(Base64DecodingError) -> [UInt8] {
        try decode(text.utf8)
    }
}

/// Why base64 text did not decode. Offsets count bytes from the start of the decoded text.
public enum Base64DecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A byte outside the standard alphabet (including whitespace and the URL-safe `-`/`_`).
    case invalidCharacter(offset: Int)
    /// `=` somewhere other than the last one or two positions of a 4-character group.
    case invalidPadding(offset: Int)
    /// A number of data characters that no byte string encodes to (4n+1).
    case invalidLength(characters: Int)

    public var description: String {
        switch self {
        case .invalidCharacter(let offset):
            "invalid base64 character at byte offset \(offset) (standard alphabet A-Z a-z 0-9 + / only)"
        case .invalidPadding(let offset):
            "invalid base64 padding at byte offset \(offset)"
        case .invalidLength(let characters):
            "invalid base64 length: \(characters) data characters cannot encode whole bytes"
        }
    }
}
