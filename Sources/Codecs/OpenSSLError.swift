import COpenSSL

/// The text of OpenSSL's error queue, for messages about failures inside libcrypto.
public enum OpenSSLError {
    /// The oldest queued error (removed from the queue), or a note that none is queued.
    public static func last() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "no OpenSSL error queued" }
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension OpenSSLError {
    /// Every queued error's text, oldest first, joined with "; " (the queue is emptied).
    public static func drain() -> String {
        var texts: [String] = []
        while ERR_peek_error() != 0 { texts.append(last()) }
        return texts.isEmpty ? "no OpenSSL error queued" : texts.joined(separator: "; ")
    }
}
