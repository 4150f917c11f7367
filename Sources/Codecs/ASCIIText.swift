// ASCII text helpers for header values (HTTP, MIME, AS2), configuration values and error
// messages. They work on the UTF-8 bytes of a String, never on its Characters: these fields are
// ASCII, and Foundation's Unicode-aware trimming costs more than parsing a whole MIME header.

extension StringProtocol {
    public func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        let left = utf8, right = other.utf8
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { $0.asciiLowercased == $1.asciiLowercased }
    }

    /// A-Z mapped to a-z, every other byte kept: for header names, which are ASCII tokens
    /// (RFC 9110 §5.1), without Unicode case mapping.
    public func asciiLowercased() -> String {
        guard utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else { return String(self) }
        return String(decoding: utf8.map(\.asciiLowercased), as: UTF8.self)
    }

    public func hasPrefixIgnoringASCIICase(_ prefix: some StringProtocol) -> Bool {
        let bytes = utf8, head = prefix.utf8
        guard bytes.count >= head.count else { return false }
        return zip(bytes, head).allSatisfy { $0.asciiLowercased == $1.asciiLowercased }
    }

    /// Strips SP and HTAB only, the "OWS" of RFC 9110 §5.6.3.
    public func trimmingOptionalWhitespace() -> String {
        trimming { $0 == 0x20 || $0 == 0x09 }
    }

    /// Strips spaces, tabs, CR and LF (configuration values often end with a newline when read
    /// from a file).
    public func trimmingASCIIWhitespace() -> String {
        trimming { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// At most `limit` bytes of request-supplied text with every byte outside printable ASCII
    /// replaced by `?`, so that it can go into an error message without log injection.
    public func sanitizedForMessage(limit: Int = 16) -> String {
        let bytes = utf8.prefix(limit).map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }
        return String(decoding: bytes, as: UTF8.self) + (utf8.count > limit ? "…" : "")
    }

    private func trimming(_ isSpace: (UInt8) -> Bool) -> String {
        let bytes = Array(utf8)
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
            let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}

extension UInt8 {
    public var asciiLowercased: UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self) ? self + 0x20 : self
    }
}
