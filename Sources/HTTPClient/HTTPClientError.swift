/// Why a request got no HTTP response. A response with any status code is not an error.
///
/// The description names the failure, libcurl's error code and texts, and the URL with user
/// information and query removed (those often carry credentials). Header values never appear.
public struct HTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
        /// The connect or total timeout expired.
        case timeout
        /// No connection could be made (name resolution, refused, unreachable).
        case connectFailed
        /// The server's certificate chain or host name did not verify.
        case tlsVerificationFailed
        /// The server's public key matched none of the pinned keys.
        case pinnedKeyMismatch
        /// Any other TLS failure: handshake, client certificate or key, CA file.
        case tls
        /// The connection closed or failed before a complete response arrived.
        case connectionLost
        /// The peer broke the HTTP protocol.
        case protocolError
        /// The response body exceeded ``HTTPClientConfiguration/maxResponseSize``.
        case responseTooLarge
        /// More redirects than ``RedirectPolicy/follow(maximum:)`` allows.
        case tooManyRedirects
        /// The request itself is unusable (bad URL or scheme, a header with CR/LF, …).
        case invalidRequest
        /// The client was shut down before the request completed.
        case shutdown
        /// Any other libcurl failure; see ``HTTPClientError/curlCode``.
        case other

        public var description: String {
            switch self {
            case .timeout: "timeout"
            case .connectFailed: "connect failed"
            case .tlsVerificationFailed: "TLS verification failed"
            case .pinnedKeyMismatch: "pinned public key mismatch"
            case .tls: "TLS failure"
            case .connectionLost: "connection lost"
            case .protocolError: "HTTP protocol error"
            case .responseTooLarge: "response too large"
            case .tooManyRedirects: "too many redirects"
            case .invalidRequest: "invalid request"
            case .shutdown: "client shut down"
            case .other: "transfer failed"
            }
        }
    }

    public var kind: Kind
    /// The request URL without user information and query.
    public var url: String
    /// libcurl's `CURLcode`, when libcurl reported the failure.
    public var curlCode: Int?
    /// libcurl's text for ``curlCode`` (`curl_easy_strerror`).
    public var curlText: String?
    /// The transfer's own message (`CURLOPT_ERRORBUFFER`) or this module's explanation.
    public var detail: String?

    public init(kind: Kind, url: String, curlCode: Int? = nil, curlText: String? = nil, detail: String? = nil) {
        self.kind = kind
        self.url = Self.redact(url: url)
        self.curlCode = curlCode
        self.curlText = curlText
        self.detail = detail
    }

    /// Whether trying the same request again later may succeed: timeouts, failed connects and
    /// lost connections are; TLS, size and request problems are not.
    public var isTransient: Bool {
        switch kind {
        case .timeout, .connectFailed, .connectionLost, .protocolError: true
        case .tlsVerificationFailed, .pinnedKeyMismatch, .tls, .responseTooLarge, .tooManyRedirects,
            .invalidRequest, .shutdown, .other:
            false
        }
    }

    public var description: String {
        var text = "HTTP request to \(url) failed: \(kind)"
        var parts: [String] = []
        if let curlCode {
            parts.append("curl error \(curlCode)" + (curlText.map { " '\($0)'" } ?? ""))
        }
        if let detail, !detail.isEmpty, detail != curlText {
            parts.append(detail)
        }
        if !parts.isEmpty {
            text += " (" + parts.joined(separator: ": ") + ")"
        }
        return text
    }

    /// Drops user information (`user:password@`), query and fragment from a URL so that it can be
    /// logged and reported.
    static func redact(url: String) -> String {
        let bytes = Array(url.utf8)
        var end = bytes.count
        if let cut = bytes.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            end = cut
        }
        var authorityStart = 0
        if let schemeEnd = find(Array("://".utf8), in: bytes[0..<end]) {
            authorityStart = schemeEnd + 3
        }
        var authorityEnd = end
        if let slash = bytes[authorityStart..<end].firstIndex(of: UInt8(ascii: "/")) {
            authorityEnd = slash
        }
        var kept = Array(bytes[0..<authorityStart])
        if let at = bytes[authorityStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")) {
            kept += bytes[(at + 1)..<end]
        } else {
            kept += bytes[authorityStart..<end]
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "?") {
            kept += Array("?…".utf8)
        }
        return String(decoding: kept, as: UTF8.self)
    }

    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
