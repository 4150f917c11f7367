import Foundation
import Codecs

/// One MIME entity (RFC 2045): header fields and body, with the exact bytes it came from, since
/// AS2 signatures and MICs are computed over those bytes (RFC 4130 §7.3.1).
public struct MIMEEntity: Sendable, Equatable {
    /// Header fields in order, unfolded; names as written.
    public var headers: [(name: String, value: String)]
    /// The body as it stands in the entity (still in its Content-Transfer-Encoding).
    public var body: [UInt8]
    /// The entity's bytes, headers and body, exactly as received or written.
    public var raw: [UInt8]

    public static func == (a: MIMEEntity, b: MIMEEntity) -> Bool { a.raw == b.raw }

    public struct Malformed: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// An entity with these fields and body (written with CRLF line ends).
    public init(headers: [(String, String)], body: [UInt8]) {
        self.headers = headers.map { (name: $0.0, value: $0.1) }
        self.body = body
        var raw: [UInt8] = []
        for (name, value) in headers { raw += Array("\(name): \(value)\r\n".utf8) }
        raw += [13, 10]
        raw += body
        self.raw = raw
    }

    /// An entity whose fields came outside it (an HTTP request: the fields are the request's).
    public init(fields: [(String, String)], body: [UInt8]) {
        self.headers = fields.map { (name: $0.0, value: $0.1) }
        self.body = body
        self.raw = body
    }

    /// Parses `bytes` as header fields, an empty line, and the body. A bare LF ends lines too.
    public init(parsing bytes: [UInt8]) throws(Malformed) {
        var fields: [(name: String, value: String)] = []
        var i = 0
        var bodyStart: Int?
        while i < bytes.count {
            var end = i
            while end < bytes.count, bytes[end] != 10 { end += 1 }
            guard end < bytes.count else { break }
            var lineEnd = end
            if lineEnd > i, bytes[lineEnd - 1] == 13 { lineEnd -= 1 }
            if lineEnd == i { bodyStart = end + 1; break }
            let line = String(decoding: bytes[i..<lineEnd], as: UTF8.self)
            if bytes[i] == 32 || bytes[i] == 9 {
                guard !fields.isEmpty else { throw Malformed(description: "MIME header block starts with a continuation line") }
                fields[fields.count - 1].value += " " + line.trimmingOptionalWhitespace()
            } else {
                guard let colon = line.firstIndex(of: ":") else {
                    throw Malformed(description: "MIME header line \(fields.count + 1) has no ':' (\(line.prefix(60)))")
                }
                fields.append((name: String(line[..<colon]).trimmingOptionalWhitespace(),
                               value: String(line[line.index(after: colon)...]).trimmingOptionalWhitespace()))
            }
            i = end + 1
        }
        guard let bodyStart else { throw Malformed(description: "MIME entity has no empty line after its header fields") }
        headers = fields
        body = Array(bytes[bodyStart...])
        raw = bytes
    }

    /// The first field named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var contentType: MIMEContentType? { header("Content-Type").map(MIMEContentType.init) }

    /// The body decoded from its Content-Transfer-Encoding (7bit, 8bit, binary, base64).
    public func decodedBody() throws(Malformed) -> [UInt8] {
        switch header("Content-Transfer-Encoding")?.lowercased() {
        case nil, "7bit", "8bit", "binary": return body
        case "base64": return Base64.decodeLenient(body)
        case let other?: throw Malformed(description: "Content-Transfer-Encoding '\(other)' is not supported")
        }
    }

    /// The body parts of a multipart entity (RFC 2046 §5.1.1): each part's bytes lie between the
    /// line after a delimiter and the CRLF before the next one.
    public func parts() throws(Malformed) -> [MIMEEntity] {
        guard let boundary = contentType?.parameters["boundary"], !boundary.isEmpty else {
            throw Malformed(description: "multipart entity has no boundary parameter")
        }
        let delimiter = Array("--\(boundary)".utf8)
        var starts: [(lineStart: Int, afterDelimiter: Int)] = []
        var i = 0
        let b = body
        while let at = b.firstIndex(of: delimiter, from: i) {
            if at == 0 || b[at - 1] == 10 { starts.append((at, at + delimiter.count)) }
            i = at + delimiter.count
        }
        guard starts.count >= 2 else { throw Malformed(description: "multipart body has no closing delimiter for boundary '\(boundary)'") }
        var parts: [MIMEEntity] = []
        for (index, start) in starts.dropLast().enumerated() {
            if b[start.afterDelimiter...].starts(with: [45, 45]) { break }  // close delimiter
            var contentStart = start.afterDelimiter
            while contentStart < b.count, b[contentStart] == 32 || b[contentStart] == 9 { contentStart += 1 }
            if contentStart < b.count, b[contentStart] == 13 { contentStart += 1 }
            if contentStart < b.count, b[contentStart] == 10 { contentStart += 1 }
            var contentEnd = starts[index + 1].lineStart
            if contentEnd > contentStart, b[contentEnd - 1] == 10 { contentEnd -= 1 }
            if contentEnd > contentStart, b[contentEnd - 1] == 13 { contentEnd -= 1 }
            parts.append(try MIMEEntity(parsing: Array(b[contentStart..<max(contentStart, contentEnd)])))
        }
        return parts
    }
}

/// A Content-Type value: `type/subtype` (lowercased) and its parameters (names lowercased,
/// values unquoted).
public struct MIMEContentType: Sendable, Equatable {
    public var mediaType: String
    public var parameters: [String: String]

    public init(_ text: String) {
        let pieces = Self.split(text)
        mediaType = (pieces.first ?? "").trimmingOptionalWhitespace().lowercased()
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let eq = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<eq].trimmingOptionalWhitespace().lowercased()
            var value = piece[piece.index(after: eq)...].trimmingOptionalWhitespace()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
                if value.contains("\\") { value = value.replacingOccurrences(of: "\\\"", with: "\"") }
            }
            parameters[name] = value
        }
        self.parameters = parameters
    }

    /// `;`-separated pieces, not splitting inside quotes.
    static func split(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        for c in text {
            if c == "\"" { quoted.toggle() }
            if c == ";" && !quoted { pieces.append(current); current = "" } else { current.append(c) }
        }
        pieces.append(current)
        return pieces
    }

    /// The S/MIME type of an `application/pkcs7-mime` entity, lowercased.
    public var smimeType: String? { parameters["smime-type"]?.lowercased() }

    /// `application/pkcs7-mime` or its old `x-` spelling.
    public var isPKCS7MIME: Bool { mediaType == "application/pkcs7-mime" || mediaType == "application/x-pkcs7-mime" }
    public var isPKCS7Signature: Bool { mediaType == "application/pkcs7-signature" || mediaType == "application/x-pkcs7-signature" }
}

extension Base64 {
    /// Base64 in lines of 76 characters ending CRLF (RFC 2045 §6.8), for MIME bodies.
    static func mimeLines(_ bytes: [UInt8]) -> [UInt8] {
        let text = Base64.encodeToBytes(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(text.count + text.count / 38 + 2)
        var i = 0
        while i < text.count {
            let end = min(i + 76, text.count)
            out += text[i..<end]
            out += [13, 10]
            i = end
        }
        return out
    }
}
