/// Collects response header fields from the header lines libcurl hands over one by one
/// (`CURLOPT_HEADERFUNCTION`: one complete line per call, CRLF included; HTTP/2 fields are
/// presented in the same HTTP/1-like form).
///
/// A status line (`HTTP/…`) starts a new header block, so that after interim 1xx responses and
/// followed redirects only the final response's fields remain.
struct ResponseHeaderCollector {
    private var fields: [(name: [UInt8], value: [UInt8])] = []

    mutating func consume(line: UnsafeRawBufferPointer) {
        var end = line.count
        while end > 0, line[end - 1] == UInt8(ascii: "\r") || line[end - 1] == UInt8(ascii: "\n") {
            end -= 1
        }
        guard end > 0 else { return }  // the blank line that ends a block
        if Self.startsWithStatusLine(line, end: end) {
            fields.removeAll(keepingCapacity: true)
            return
        }
        if line[0] == UInt8(ascii: " ") || line[0] == UInt8(ascii: "\t") {
            // obs-fold: a continuation line is joined to the previous value with one space
            // (RFC 9112 §5.2).
            guard !fields.isEmpty else { return }
            let folded = Self.trimmed(line, from: 0, to: end)
            if !folded.isEmpty {
                fields[fields.count - 1].value += [UInt8(ascii: " ")] + folded
            }
            return
        }
        guard let colon = (0..<end).first(where: { line[$0] == UInt8(ascii: ":") }), colon > 0 else {
            return  // not a field line; libcurl only passes such lines on for broken peers
        }
        let name = Array(line[0..<colon])
        let value = Self.trimmed(line, from: colon + 1, to: end)
        fields.append((name, value))
    }

    /// The fields of the last header block seen.
    var result: HTTPHeaders {
        HTTPHeaders(fields.map { (String(decoding: $0.name, as: UTF8.self), String(decoding: $0.value, as: UTF8.self)) })
    }

    private static func startsWithStatusLine(_ line: UnsafeRawBufferPointer, end: Int) -> Bool {
        let prefix: [UInt8] = Array("HTTP/".utf8)
        guard end >= prefix.count else { return false }
        for index in 0..<prefix.count where line[index] != prefix[index] {
            return false
        }
        return true
    }

    /// The bytes in `from..<to` without leading and trailing optional whitespace (SP / HTAB,
    /// RFC 9110 §5.6.3).
    private static func trimmed(_ line: UnsafeRawBufferPointer, from: Int, to: Int) -> [UInt8] {
        var start = from
        var end = to
        while start < end, line[start] == UInt8(ascii: " ") || line[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, line[end - 1] == UInt8(ascii: " ") || line[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        return Array(line[start..<end])
    }
}
