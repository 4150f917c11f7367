import Codecs
import Foundation

/// Message-IDs, boundaries, AS2 names and dates as AS2 writes them.
public enum AS2Identifiers {
    /// A new Message-ID `<random>@<domain>` without brackets (RFC 4130 §5.3.3: unique, ≤ 255
    /// characters after RFC 5322's msg-id).
    public static func messageID(domain: String) -> String {
        "\(Hex.encode(SecureRandom.bytes(16)))@\(domain)"
    }

    /// A multipart boundary that cannot occur in base64 or in our headers.
    static func boundary() -> String { "----=_PakLog_" + Hex.encode(SecureRandom.bytes(12)) }

    /// An AS2 name as a header value: quoted when it has a space, quote or backslash (RFC 4130 §6.2).
    public static func quoted(_ name: String) -> String {
        guard name.contains(where: { $0 == " " || $0 == "\"" || $0 == "\\" }) else { return name }
        return "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// An AS2-From/AS2-To header value as the name it carries. A name quoted twice is unquoted
    /// twice: pyas2lib 1.4 quotes the AS2-From of its MDNs again when the message it answers had
    /// a quoted AS2-To (`"\"pyas2 partner\""`), and such a name is no one's real name.
    public static func unquoted(_ value: String) -> String {
        var v = value.trimmingOptionalWhitespace()
        for _ in 0..<2 {
            guard v.count >= 2, v.hasPrefix("\""), v.hasSuffix("\"") else { return v }
            var out = ""
            var escaped = false
            for c in v.dropFirst().dropLast() {
                if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
            }
            v = out
        }
        return v
    }

    /// `<id>` → `id`.
    public static func unbracketed(_ value: String) -> String {
        var v = value.trimmingOptionalWhitespace()
        if v.hasPrefix("<") { v.removeFirst() }
        if v.hasSuffix(">") { v.removeLast() }
        return v
    }

    /// An HTTP date (RFC 9110 IMF-fixdate).
    static func date(_ date: Date) -> String {
        UTCTimestamp(millisecondsSince1970: Int64(date.timeIntervalSince1970 * 1000)).imfFixdate
    }
}
