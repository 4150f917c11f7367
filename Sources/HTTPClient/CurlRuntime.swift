import CCurl

/// Facts about the libcurl this process runs with.
enum CurlRuntime {
    /// `curl_global_init` once before the first handle (it is thread-safe only in builds with
    /// CURL_VERSION_THREADSAFE, so do it behind Swift's once-only global initialisation).
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    static let supportsHTTP2: Bool = {
        guard let info = paklog_curl_version_info_now() else { return false }
        return info.pointee.features & CURL_VERSION_HTTP2 != 0
    }()
}
