import COpenSSL

/// The text of OpenSSL's error queue, for messages about failures inside libcrypto.
enum OpenSSLError {
    /// The oldest queued error (removed from the queue), or a note that none is queued.
    static func last() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "no OpenSSL error queued" }
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
