/// A file name that came from (or goes to) an SFTP server, checked to be one plain path
/// component.
///
/// The server is a partner's machine: whatever it lists may end up joined to a local or remote
/// directory, logged, or shown to an operator. A name such as `../../etc/cron.d/x`, one with an
/// embedded NUL (which C truncates), or one with a newline (which forges log lines) must never get
/// that far, so listings turn raw names into this type or into an ``SFTPRejectedName``.
public struct SFTPRemoteName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Longest accepted name in bytes: `NAME_MAX` on Linux and most servers' file systems.
    public static let maximumLength = 255

    /// Why a name was refused.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case empty
        case dotOrDotDot
        case containsSlash
        case containsNUL
        case containsControlCharacter
        case tooLong(bytes: Int)
        case notUTF8

        public var description: String {
            switch self {
            case .empty: "empty name"
            case .dotOrDotDot: "'.' or '..'"
            case .containsSlash: "contains '/'"
            case .containsNUL: "contains NUL"
            case .containsControlCharacter: "contains a control character"
            case .tooLong(let bytes): "\(bytes) bytes, over \(SFTPRemoteName.maximumLength)"
            case .notUTF8: "not valid UTF-8"
            }
        }
    }

    /// The checked name.
    public let value: String

    /// Checks raw bytes as a server sends them.
    public init(bytes: [UInt8]) throws(Problem) {
        if let problem = Self.problem(in: bytes) { throw problem }
        // Checked above that there are no control bytes; decoding may still fail on bad UTF-8,
        // which we refuse rather than repair: a repaired name would not name the server's file.
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .notUTF8 }
        value = text
    }

    /// Checks a name given by our own code or configuration.
    public init(_ text: String) throws(Problem) {
        try self.init(bytes: Array(text.utf8))
    }

    /// The first problem with `bytes` as a single path component, or `nil` when it is safe.
    public static func problem(in bytes: [UInt8]) -> Problem? {
        if bytes.isEmpty { return .empty }
        if bytes == [0x2E] || bytes == [0x2E, 0x2E] { return .dotOrDotDot }
        if bytes.count > maximumLength { return .tooLong(bytes: bytes.count) }
        for byte in bytes {
            if byte == 0 { return .containsNUL }
            if byte == UInt8(ascii: "/") { return .containsSlash }
            if byte < 0x20 || byte == 0x7F { return .containsControlCharacter }
        }
        return nil
    }

    public var description: String { value }

    /// The longest prefix of `text` of at most `bytes` UTF-8 bytes that ends on a scalar
    /// boundary: for names built from a partner's name plus our suffix.
    static func prefix(of text: String, bytes: Int) -> String {
        var result = ""
        var used = 0
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            guard used + width <= bytes else { break }
            result.unicodeScalars.append(scalar)
            used += width
        }
        return result
    }

    public static func < (lhs: SFTPRemoteName, rhs: SFTPRemoteName) -> Bool { lhs.value < rhs.value }
}

/// A listing entry whose name was refused, kept so that it can be reported (a partner putting a
/// file named `a\nb` wants to hear why it is never picked up).
public struct SFTPRejectedName: Sendable, Hashable, CustomStringConvertible {
    /// The name's bytes as the server sent them.
    public let bytes: [UInt8]
    public let problem: SFTPRemoteName.Problem

    public init(bytes: [UInt8], problem: SFTPRemoteName.Problem) {
        self.bytes = bytes
        self.problem = problem
    }

    /// The name with every byte outside printable ASCII escaped, so that it is safe in a log line.
    public var escaped: String {
        var text = ""
        for byte in bytes.prefix(SFTPRemoteName.maximumLength + 1) {
            if byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += "\\x" + String(byte, radix: 16, uppercase: false).leftPadded(to: 2)
            }
        }
        if bytes.count > SFTPRemoteName.maximumLength + 1 { text += "…" }
        return text
    }

    public var description: String { "\"\(escaped)\" (\(problem))" }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
