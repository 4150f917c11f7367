import CCurl

/// A request on its way to the event loop thread, with everything resolved that the thread needs.
struct TransferJob: Sendable {
    let id: UInt64
    let request: HTTPRequest
    let totalTimeout: Duration
    let tls: TLSConfiguration
    let continuation: CheckedContinuation<HTTPResponse, any Error>
}

/// One request while libcurl works on it. Lives on the event loop thread only: libcurl calls its
/// callbacks there, and the loop creates, finishes and frees it there.
final class CurlTransfer {
    let id: UInt64
    let url: String
    let easy: UnsafeMutableRawPointer
    private let continuation: CheckedContinuation<HTTPResponse, any Error>
    private let maxResponseSize: Int
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// The request body; libcurl reads it from here (`CURLOPT_POSTFIELDS` is not copied), so it
    /// lives as long as the transfer.
    private let requestBody: UnsafeMutableRawBufferPointer
    /// libcurl writes its detailed error message here (`CURLOPT_ERRORBUFFER`).
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var responseBody: [UInt8] = []
    private var headerCollector = ResponseHeaderCollector()
    private var exceededMaxResponseSize = false
    private var completed = false

    init(job: TransferJob, easy: UnsafeMutableRawPointer, maxResponseSize: Int) {
        id = job.id
        url = job.request.url
        self.easy = easy
        continuation = job.continuation
        self.maxResponseSize = maxResponseSize
        requestBody = .allocate(byteCount: max(job.request.body.count, 1), alignment: 1)
        requestBody.copyBytes(from: job.request.body)
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        // The loop resets the easy handle (dropping its pointers to these buffers) before it
        // lets go of the transfer.
        precondition(completed, "transfer \(id) freed before its continuation was resumed")
        curl_slist_free_all(headerList)
        requestBody.deallocate()
        errorBuffer.deallocate()
    }

    /// Sets every option of the easy handle for this request. Returns the failure when libcurl
    /// refuses an option (e.g. one this libcurl build lacks).
    func configure(_ job: TransferJob, client configuration: HTTPClientConfiguration) -> HTTPClientError? {
        let request = job.request
        var failure: (CURLoption, CURLcode)?
        func set(_ option: CURLoption, _ value: Int) {
            let code = paklog_curl_easy_setopt_long(easy, option, value)
            if code != CURLE_OK, failure == nil { failure = (option, code) }
        }
        func set(_ option: CURLoption, _ value: String) {
            // libcurl copies string options (curl_easy_setopt(3): "strings passed … are copied").
            let code = paklog_curl_easy_setopt_string(easy, option, value)
            if code != CURLE_OK, failure == nil { failure = (option, code) }
        }
        func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) {
            let code = paklog_curl_easy_setopt_pointer(easy, option, pointer)
            if code != CURLE_OK, failure == nil { failure = (option, code) }
        }

        set(CURLOPT_URL, request.url)
        set(CURLOPT_PROTOCOLS_STR, "http,https")
        set(CURLOPT_NOSIGNAL, 1)  // no SIGALRM-based timeouts in a multi-threaded process
        set(CURLOPT_TCP_KEEPALIVE, 1)
        set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))

        let context = Unmanaged.passUnretained(self).toOpaque()
        if paklog_curl_easy_setopt_write_cb(easy, CURLOPT_WRITEFUNCTION, curlWriteBody) != CURLE_OK
            || paklog_curl_easy_setopt_write_cb(easy, CURLOPT_HEADERFUNCTION, curlWriteHeaderLine) != CURLE_OK
        {
            failure = failure ?? (CURLOPT_WRITEFUNCTION, CURLE_BAD_FUNCTION_ARGUMENT)
        }
        set(CURLOPT_WRITEDATA, pointer: context)
        set(CURLOPT_HEADERDATA, pointer: context)

        set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout ?? configuration.connectTimeout))
        set(CURLOPT_TIMEOUT_MS, Self.milliseconds(job.totalTimeout))
        if maxResponseSize >= 0, request.method != .head {
            // (HEAD is exempt: its Content-Length describes a body that never comes.)
            // Refuses early when Content-Length is too big; the write callback guards the rest.
            let code = paklog_curl_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxResponseSize))
            if code != CURLE_OK, failure == nil { failure = (CURLOPT_MAXFILESIZE_LARGE, code) }
        }
        switch configuration.proxy {
        case .environment: break
        case .direct: set(CURLOPT_PROXY, "")  // an empty proxy disables the environment's too
        case .url(let proxy): set(CURLOPT_PROXY, proxy)
        }
        if !configuration.reuseConnections {
            set(CURLOPT_FORBID_REUSE, 1)
        }

        switch configuration.httpVersion {
        case .http1_1:
            set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        case .http2OverTLS:
            if CurlRuntime.supportsHTTP2 {
                set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
                if Self.isHTTPS(request.url) {
                    // Wait for a connection that may multiplex instead of opening another one.
                    // TLS tells after the handshake (ALPN) whether it can. Not for plain http:
                    // there libcurl learns it only from the first response, and a burst of
                    // requests would queue behind that one.
                    set(CURLOPT_PIPEWAIT, 1)
                }
            } else {
                set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
            }
        }

        switch configuration.redirects {
        case .none:
            set(CURLOPT_FOLLOWLOCATION, 0)
        case .follow(let maximum):
            set(CURLOPT_FOLLOWLOCATION, 1)
            set(CURLOPT_MAXREDIRS, max(0, maximum))
            set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        }

        let tls = job.tls
        set(CURLOPT_SSL_VERIFYPEER, tls.verifyPeer ? 1 : 0)
        set(CURLOPT_SSL_VERIFYHOST, tls.verifyPeer ? 2 : 0)
        if let path = tls.caBundlePath { set(CURLOPT_CAINFO, path) }
        if !tls.pinnedPublicKeys.isEmpty {
            set(CURLOPT_PINNEDPUBLICKEY, tls.pinnedPublicKeys.joined(separator: ";"))
        }
        if let path = tls.clientCertificatePath { set(CURLOPT_SSLCERT, path) }
        if let path = tls.clientKeyPath { set(CURLOPT_SSLKEY, path) }
        if let password = tls.clientKeyPassword { set(CURLOPT_KEYPASSWD, password) }

        if let agent = configuration.userAgent, !request.headers.contains("User-Agent") {
            set(CURLOPT_USERAGENT, agent)
        }
        var lines = request.headers.fields.map { "\($0.name): \($0.value)" }
        // libcurl would otherwise add `Expect: 100-continue` to larger bodies (one extra round
        // trip) and a form-encoding Content-Type to any POST; an empty value suppresses each.
        if !request.headers.contains("Expect") { lines.append("Expect:") }
        if !request.headers.contains("Content-Type") { lines.append("Content-Type:") }
        for line in lines {
            guard let appended = curl_slist_append(headerList, line) else {
                return HTTPClientError(kind: .other, url: url, detail: "out of memory building the header list")
            }
            headerList = appended
        }
        if paklog_curl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList) != CURLE_OK, failure == nil {
            failure = (CURLOPT_HTTPHEADER, CURLE_BAD_FUNCTION_ARGUMENT)
        }

        let method = request.method
        let hasBody = !request.body.isEmpty
        if method == .head {
            set(CURLOPT_NOBODY, 1)
        } else if method == .get, !hasBody {
            set(CURLOPT_HTTPGET, 1)
        } else if method == .post || hasBody {
            set(CURLOPT_POSTFIELDS, pointer: requestBody.baseAddress)
            let code = paklog_curl_easy_setopt_off_t(
                easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            if code != CURLE_OK, failure == nil { failure = (CURLOPT_POSTFIELDSIZE_LARGE, code) }
            if method != .post { set(CURLOPT_CUSTOMREQUEST, method.rawValue) }
        } else {
            set(CURLOPT_CUSTOMREQUEST, method.rawValue)
        }

        guard let (option, code) = failure else { return nil }
        return HTTPClientError(
            kind: code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT ? .invalidRequest : .other,
            url: url, curlCode: Int(code.rawValue), curlText: Self.text(of: code),
            detail: "libcurl refused option \(option.rawValue)")
    }

    // MARK: Callbacks (called by libcurl on the loop thread)

    func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Int {
        if responseBody.count + chunk.count > maxResponseSize {
            exceededMaxResponseSize = true
            return 0  // any count other than chunk.count makes libcurl abort with CURLE_WRITE_ERROR
        }
        responseBody.append(contentsOf: chunk)
        return chunk.count
    }

    func receiveHeaderLine(_ line: UnsafeRawBufferPointer) -> Int {
        headerCollector.consume(line: line)
        return line.count
    }

    // MARK: Completion

    /// Resumes the caller with the response or the failure libcurl reported.
    func complete(result: CURLcode) {
        guard result == CURLE_OK else {
            fail(with: error(for: result))
            return
        }
        var status = 0
        _ = paklog_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var versionCode = 0
        _ = paklog_curl_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &versionCode)
        var microseconds: curl_off_t = 0
        _ = paklog_curl_easy_getinfo_off_t(easy, CURLINFO_TOTAL_TIME_T, &microseconds)
        var newConnections = 0
        _ = paklog_curl_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &newConnections)
        var effective: UnsafeMutablePointer<CChar>?
        _ = paklog_curl_easy_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &effective)

        let version: HTTPVersion =
            switch versionCode {
            case Int(CURL_HTTP_VERSION_1_0): .http1_0
            case Int(CURL_HTTP_VERSION_1_1): .http1_1
            case Int(CURL_HTTP_VERSION_2_0): .http2
            case Int(CURL_HTTP_VERSION_3): .http3
            default: .other(versionCode)
            }
        completed = true
        continuation.resume(
            returning: HTTPResponse(
                status: status, headers: headerCollector.result, body: responseBody,
                totalTime: .microseconds(Int64(microseconds)), httpVersion: version,
                connectionReused: newConnections == 0,
                effectiveURL: effective.map { String(cString: $0) } ?? url))
    }

    func fail(with error: any Error) {
        precondition(!completed, "transfer \(id) completed twice")
        completed = true
        continuation.resume(throwing: error)
    }

    private func error(for code: CURLcode) -> HTTPClientError {
        let kind: HTTPClientError.Kind
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timeout
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            kind = .connectFailed
        case CURLE_PEER_FAILED_VERIFICATION:
            kind = .tlsVerificationFailed
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            kind = .pinnedKeyMismatch
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED,
            CURLE_USE_SSL_FAILED:
            kind = .tls
        case CURLE_FILESIZE_EXCEEDED:
            kind = .responseTooLarge
        case CURLE_WRITE_ERROR where exceededMaxResponseSize:
            kind = .responseTooLarge
        case CURLE_TOO_MANY_REDIRECTS:
            kind = .tooManyRedirects
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE:
            kind = .connectionLost
        case CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_BAD_CONTENT_ENCODING:
            kind = .protocolError
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            kind = .invalidRequest
        default:
            kind = .other
        }
        let detail: String
        if kind == .responseTooLarge {
            detail = "response body larger than \(maxResponseSize) bytes"
        } else {
            detail = String(cString: errorBuffer)
        }
        return HTTPClientError(
            kind: kind, url: url, curlCode: Int(code.rawValue), curlText: Self.text(of: code), detail: detail)
    }

    static func isHTTPS(_ url: String) -> Bool {
        let prefix = Array("https://".utf8)
        var bytes = url.utf8.makeIterator()
        for expected in prefix {
            guard let byte = bytes.next(), HTTPHeaders.asciiLower(byte) == expected else { return false }
        }
        return true
    }

    static func text(of code: CURLcode) -> String {
        curl_easy_strerror(code).map { String(cString: $0) } ?? "unknown"
    }

    /// libcurl takes 0 as "no timeout", so a positive duration never rounds down to it.
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 1 }
        let total = seconds.multipliedReportingOverflow(by: 1000)
        if total.overflow { return Int.max }
        return max(1, Int(total.partialValue) + Int(attoseconds / 1_000_000_000_000_000))
    }
}

private let curlWriteBody: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let curlWriteHeaderLine: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
}
