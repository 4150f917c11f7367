import HTTPTypes

/// The largest request body each route of the router takes: `http.maxBodyBytes` for all, and
/// `http.maxImportBytes` for the CSV imports (route class `imports:write`), whose bodies are
/// whole files. The webhook receivers have their own `maxBodyBytes`.
public struct BodySizeLimits: Sendable, Equatable {
    /// A 1,000-line order is about 100 KB.
    public var maxBodyBytes = 1 << 20
    /// A 100,000-line orders file is about 15 MB.
    public var maxImportBytes = 64 << 20

    public init(maxBodyBytes: Int = 1 << 20, maxImportBytes: Int = 64 << 20) {
        self.maxBodyBytes = maxBodyBytes
        self.maxImportBytes = maxImportBytes
    }

    /// The limit for `method` on `path`, and the setting that gives it (for the 413's message).
    public func limit(method: HTTPRequest.Method, path: String) -> (bytes: Int, setting: String) {
        APIScopes.required(method: method, path: path) == "imports:write" ? (maxImportBytes, "http.maxImportBytes") : (maxBodyBytes, "http.maxBodyBytes")
    }
}
