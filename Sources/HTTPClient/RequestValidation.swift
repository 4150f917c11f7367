/// Checks a request before it reaches libcurl, which would send a header value containing CR or
/// LF as it is: that would let a value smuggle extra header lines (header injection).
enum RequestValidation {
    /// What is wrong with the request and where, or `nil` when it can be sent.
    static func problem(in request: HTTPRequest) -> String? {
        if request.url.isEmpty {
            return "empty URL"
        }
        if let offset = request.url.utf8.firstIndex(where: { $0 <= 0x20 || $0 == 0x7F }) {
            let position = request.url.utf8.distance(from: request.url.utf8.startIndex, to: offset)
            return "URL contains a control character or space at byte \(position)"
        }
        if request.method.rawValue.isEmpty || !request.method.rawValue.utf8.allSatisfy(isTokenByte) {
            return "method '\(request.method.rawValue)' is not an HTTP token (RFC 9110 §9.1)"
        }
        for (index, field) in request.headers.fields.enumerated() {
            if field.name.isEmpty || !field.name.utf8.allSatisfy(isTokenByte) {
                return "header field \(index) has a name that is not an HTTP token (RFC 9110 §5.1)"
            }
            if let offset = field.value.utf8.firstIndex(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) {
                let position = field.value.utf8.distance(from: field.value.utf8.startIndex, to: offset)
                // The value itself stays out of the message: it may be a credential.
                return "header field \(index) ('\(field.name)') has CR, LF or NUL in its value at byte \(position)"
            }
        }
        return nil
    }

    /// tchar of RFC 9110 §5.6.2.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
