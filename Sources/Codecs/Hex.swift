/// Hexadecimal (RFC 4648 §8, "base16") on bytes; decoding accepts both letter cases.
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lower-case hex, the form GitHub and Shopify send.
    public static func encode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var output = [UInt8]()
        output.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes pairs of hex digits. Whitespace and `0x` prefixes are not accepted.
    public static func decode<Text: Collection>(_ text: Text) throws(HexDecodingError) -> [UInt8]
    where Text.Element == UInt8 {
        let input = Array(text)
        guard input.count % 2 == 0 else { throw .oddLength(characters: input.count) }
        var output = [UInt8]()
        output.reserveCapacity(input.count / 2)
        var offset = 0
        while offset < input.count {
            guard let high = digitValue(input[offset]) else { throw .invalidCharacter(offset: offset) }
            guard let low = digitValue(input[offset + 1]) else { throw .invalidCharacter(offset: offset + 1) }
            output.append(high << 4 | low)
            offset += 2
        }
        return output
    }

    /// Decodes the UTF-8 bytes of `text`.
    public static func decode(_ text: String) throws(HexDecodingError) -> [UInt8] {
        try decode(text.utf8)
    }

    /// The value of one hex digit (either case), nil for any other byte.
    public static func digitValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Why hex text did not decode. Offsets count bytes from the start of the text.
public enum HexDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidCharacter(offset: Int)
    case oddLength(characters: Int)

    public var description: String {
        switch self {
        case .invalidCharacter(let offset):
            "invalid hex digit at byte offset \(offset)"
        case .oddLength(let characters):
            "odd number of hex digits (\(characters))"
        }
    }
}
