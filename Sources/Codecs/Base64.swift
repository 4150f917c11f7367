/// Base64 (RFC 4648) on bytes, with the standard alphabet of §4 (`A–Z a–z 0–9 + /`) or the URL
/// and file name safe alphabet of §5 (`- _` in place of `+ /`), `=` padding.
///
/// Strict decoding (`decode`), for signatures, secrets and keys arriving in HTTP headers and
/// configuration files:
/// - Only the chosen alphabet is accepted: a standard-alphabet decoder refuses `-`/`_` rather than
///   silently mixing the two alphabets in, and the other way round.
/// - Whitespace anywhere in the input is refused: callers trim header values (RFC 9110 §5.5
///   optional whitespace) before decoding, and an inner space in a Standard Webhooks header is
///   the separator between signatures, never part of one.
/// - Padding is optional, but when present it must be exactly what RFC 4648 prescribes for the
///   length (`xx==`, `xxx=`) and only at the end.
/// - Non-zero unused bits in the last character are tolerated (RFC 4648 §3.5 lets decoders
///   choose); they cannot matter where decoded digests are compared as bytes.
///
/// Errors give byte offsets, never the offending characters, so that a secret that fails to
/// decode is not echoed into a log.
///
/// `decodeLenient` is the other choice of §3.3, made by MIME (RFC 2045 §6.8) and by Node's
/// `Buffer.from(text, 'base64')`: characters outside both alphabets are skipped.
///
/// ```swift
/// let text = Base64.encode(digest)                          // "q1MKE+RZ…="
/// let key = try Base64.decode(secret.utf8)                  // throws Base64DecodingError
/// let jwtPart = Base64.encode(header, alphabet: .url, padding: false)
/// ```
public enum Base64 {
    /// Which 64 characters stand for the sextets.
    public enum Alphabet: Sendable {
        /// RFC 4648 §4: `+` and `/` for 62 and 63.
        case standard
        /// RFC 4648 §5: `-` and `_` for 62 and 63 (URLs, file names, JWTs).
        case url

        fileprivate var characters: [UInt8] {
            switch self {
            case .standard: Base64.standardCharacters
            case .url: Base64.urlCharacters
            }
        }

        fileprivate var decodingTable: [UInt8] {
            switch self {
            case .standard: Base64.standardTable
            case .url: Base64.urlTable
            }
        }
    }

    private static let standardCharacters: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlCharacters: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Sextet values by byte; 0xFF marks bytes outside the alphabet.
    private static func table(_ characters: [UInt8]...) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for alphabet in characters {
            for (value, character) in alphabet.enumerated() { table[Int(character)] = UInt8(value) }
        }
        return table
    }

    private static let standardTable = table(standardCharacters)
    private static let urlTable = table(urlCharacters)
    /// Both alphabets at once, for lenient decoding.
    private static let eitherTable = table(standardCharacters, urlCharacters)

    /// Encodes `bytes`, with padding unless `padding` is false (RFC 4648 §3.2 lets a
    /// specification drop it; JWTs do).
    public static func encode<Bytes: Collection>(_ bytes: Bytes, alphabet: Alphabet = .standard, padding: Bool = true) -> String
    where Bytes.Element == UInt8 {
        String(decoding: encodeToBytes(bytes, alphabet: alphabet, padding: padding), as: UTF8.self)
    }

    /// `encode` as ASCII bytes.
    public static func encodeToBytes<Bytes: Collection>(_ bytes: Bytes, alphabet: Alphabet = .standard, padding: Bool = true) -> [UInt8]
    where Bytes.Element == UInt8 {
        let characters = alphabet.characters
        let encode = { (input: UnsafeBufferPointer<UInt8>) -> [UInt8] in
            var output = [UInt8]()
            output.reserveCapacity((input.count + 2) / 3 * 4)
            var index = 0
            while index + 3 <= input.count {
                let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                output.append(characters[Int(group >> 18 & 0x3F)])
                output.append(characters[Int(group >> 12 & 0x3F)])
                output.append(characters[Int(group >> 6 & 0x3F)])
                output.append(characters[Int(group & 0x3F)])
                index += 3
            }
            switch input.count - index {
            case 1:
                let group = UInt32(input[index]) << 16
                output.append(characters[Int(group >> 18 & 0x3F)])
                output.append(characters[Int(group >> 12 & 0x3F)])
                if padding { output.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "=")]) }
            case 2:
                let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
                output.append(characters[Int(group >> 18 & 0x3F)])
                output.append(characters[Int(group >> 12 & 0x3F)])
                output.append(characters[Int(group >> 6 & 0x3F)])
                if padding { output.append(UInt8(ascii: "=")) }
            default:
                break
            }
            return output
        }
        if let output = bytes.withContiguousStorageIfAvailable(encode) { return output }
        return Array(bytes).withUnsafeBufferPointer(encode)
    }

    /// Decodes `text` strictly (see the type's rules).
    public static func decode<Text: Collection>(_ text: Text, alphabet: Alphabet = .standard) throws(Base64DecodingError) -> [UInt8]
    where Text.Element == UInt8 {
        let input = Array(text)
        let table = alphabet.decodingTable
        // Strip the padding first, checking it is only at the end and of a legal length.
        var end = input.count
        while end > 0, input[end - 1] == UInt8(ascii: "=") { end -= 1 }
        let padding = input.count - end
        if padding > 0 {
            guard padding <= 2, input.count % 4 == 0, (end % 4) + padding == 4 else {
                throw .invalidPadding(offset: end)
            }
        }
        var output = [UInt8]()
        output.reserveCapacity(end / 4 * 3 + 2)
        var sextets = SextetAccumulator()
        for offset in 0..<end {
            let value = table[Int(input[offset])]
            guard value != 0xFF else {
                if input[offset] == UInt8(ascii: "=") { throw .invalidPadding(offset: offset) }
                throw .invalidCharacter(offset: offset, alphabet: alphabet)
            }
            sextets.append(value, to: &output)
        }
        // Checked after the scan so that a stray character is reported where it is, rather than
        // as a length problem it causes.
        if end % 4 == 1 {
            throw .invalidLength(characters: end)
        }
        return output
    }

    /// Decodes the UTF-8 bytes of `text` strictly.
    public static func decode(_ text: String, alphabet: Alphabet = .standard) throws(Base64DecodingError) -> [UInt8] {
        try decode(text.utf8, alphabet: alphabet)
    }

    /// Decodes as MIME and Node's `Buffer` do: characters of either alphabet count, everything
    /// else (line breaks, spaces, stray bytes) is skipped, decoding stops at the first `=`, and a
    /// final lone character is dropped. Never fails; for input that is known to be loose, not for
    /// credentials.
    public static func decodeLenient<Text: Collection>(_ text: Text) -> [UInt8] where Text.Element == UInt8 {
        // Over contiguous bytes (the usual case) the loop runs on a buffer pointer: called from
        // another module the generic iteration is not specialized and costs several times more.
        let decode = { (bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] in
            var output = [UInt8]()
            output.reserveCapacity(bytes.count / 4 * 3 + 2)
            var sextets = SextetAccumulator()
            for byte in bytes {
                if byte == UInt8(ascii: "=") { break }
                let value = eitherTable[Int(byte)]
                if value == 0xFF { continue }
                sextets.append(value, to: &output)
            }
            return output
        }
        if let output = text.withContiguousStorageIfAvailable(decode) { return output }
        return Array(text).withUnsafeBufferPointer(decode)
    }
}

/// Why base64 text did not decode. Offsets count bytes from the start of the decoded text.
public enum Base64DecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A byte outside the alphabet (including whitespace, and the other alphabet's `+/` or `-_`).
    case invalidCharacter(offset: Int, alphabet: Base64.Alphabet)
    /// `=` somewhere other than the last one or two positions of a 4-character group.
    case invalidPadding(offset: Int)
    /// A number of data characters that no byte string encodes to (4n+1).
    case invalidLength(characters: Int)

    /// A standard-alphabet character error at `offset`.
    public static func invalidCharacter(offset: Int) -> Base64DecodingError { .invalidCharacter(offset: offset, alphabet: .standard) }

    public var description: String {
        switch self {
        case .invalidCharacter(let offset, .standard):
            "invalid base64 character at byte offset \(offset) (standard alphabet A-Z a-z 0-9 + / only)"
        case .invalidCharacter(let offset, .url):
            "invalid base64url character at byte offset \(offset) (URL-safe alphabet A-Z a-z 0-9 - _ only)"
        case .invalidPadding(let offset):
            "invalid base64 padding at byte offset \(offset)"
        case .invalidLength(let characters):
            "invalid base64 length: \(characters) data characters cannot encode whole bytes"
        }
    }
}

/// Turns 6-bit values into bytes as they come.
private struct SextetAccumulator {
    private var accumulator: UInt32 = 0
    private var bits = 0

    mutating func append(_ sextet: UInt8, to output: inout [UInt8]) {
        accumulator = accumulator << 6 | UInt32(sextet)
        bits += 6
        if bits >= 8 {
            bits -= 8
            output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            accumulator &= (1 << UInt32(bits)) - 1
        }
    }
}
