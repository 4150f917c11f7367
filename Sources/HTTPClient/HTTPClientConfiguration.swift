/// TLS settings. Peer and host name verification are on unless switched off explicitly.
public struct TLSConfiguration: Sendable, Hashable {
    /// Verify the server's certificate chain and that it names the host
    /// (`CURLOPT_SSL_VERIFYPEER`, `CURLOPT_SSL_VERIFYHOST`).
    public var verifyPeer: Bool
    /// PEM file of the certificate authorities to trust instead of the system bundle
    /// (`CURLOPT_CAINFO`).
    public var caBundlePath: String?
    /// Public keys the server must present, each `sha256//` followed by the base64 SHA-256 of
    /// the DER SubjectPublicKeyInfo (`CURLOPT_PINNEDPUBLICKEY`); any one of them matching is
    /// enough. Pinning is checked in addition to chain verification, not instead of it.
    public var pinnedPublicKeys: [String]
    /// PEM client certificate for mutual TLS (`CURLOPT_SSLCERT`).
    public var clientCertificatePath: String?
    /// PEM private key of the client certificate (`CURLOPT_SSLKEY`).
    public var clientKeyPath: String?
    /// Pass phrase of an encrypted client key (`CURLOPT_KEYPASSWD`); never logged.
    public var clientKeyPassword: String?

    public init(
        verifyPeer: Bool = true,
        caBundlePath: String? = nil,
        pinnedPublicKeys: [String] = [],
        clientCertificatePath: String? = nil,
        clientKeyPath: String? = nil,
        clientKeyPassword: String? = nil
    ) {
        self.verifyPeer = verifyPeer
        self.caBundlePath = caBundlePath
        self.pinnedPublicKeys = pinnedPublicKeys
        self.clientCertificatePath = clientCertificatePath
        self.clientKeyPath = clientKeyPath
        self.clientKeyPassword = clientKeyPassword
    }
}

/// Whether and how far redirects (3xx with `Location`) are followed.
public enum RedirectPolicy: Sendable, Hashable {
    /// A 3xx response is returned to the caller as it is.
    case none
    /// Follow up to `maximum` redirects, to `http`/`https` URLs only.
    case follow(maximum: Int)
}

/// Which HTTP versions the client offers.
public enum HTTPVersionPreference: Sendable, Hashable {
    /// HTTP/1.1 only.
    case http1_1
    /// HTTP/2 over TLS when the server agrees in ALPN, HTTP/1.1 otherwise and for plain `http`
    /// (`CURL_HTTP_VERSION_2TLS`). Falls back to HTTP/1.1 when libcurl lacks HTTP/2.
    case http2OverTLS
}

/// Which HTTP proxy requests go through.
public enum ProxyPolicy: Sendable, Hashable {
    /// libcurl's default: the `http_proxy`, `https_proxy` and `no_proxy` environment variables.
    case environment
    /// Connect directly, whatever the environment says.
    case direct
    /// Always this proxy, e.g. `http://proxy.internal:3128` (`CURLOPT_PROXY`).
    case url(String)
}

/// Settings of one ``HTTPClient``.
public struct HTTPClientConfiguration: Sendable {
    /// Time allowed to establish a connection, TLS handshake included (`CURLOPT_CONNECTTIMEOUT_MS`).
    public var connectTimeout: Duration
    /// Time allowed for a whole request unless the request sets its own
    /// (`CURLOPT_TIMEOUT_MS`).
    public var totalTimeout: Duration
    /// Most bytes of response body accepted; a larger body fails the request with
    /// ``HTTPClientError/Kind/responseTooLarge``.
    public var maxResponseSize: Int
    /// Most simultaneous connections to one host (`CURLMOPT_MAX_HOST_CONNECTIONS`); requests
    /// beyond it wait inside libcurl for a free connection. `0` means no limit.
    public var maxConnectionsPerHost: Int
    /// Most idle connections kept open for reuse (`CURLMOPT_MAXCONNECTS`).
    public var connectionCacheSize: Int
    /// Reuse connections between requests. Switching it off (`CURLOPT_FORBID_REUSE`) closes
    /// every connection after its request; meant for comparison and for broken peers.
    public var reuseConnections: Bool
    public var httpVersion: HTTPVersionPreference
    public var redirects: RedirectPolicy
    public var tls: TLSConfiguration
    /// `User-Agent` sent when a request sets none.
    public var userAgent: String?
    public var proxy: ProxyPolicy

    public init(
        connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration = .seconds(30),
        maxResponseSize: Int = 16 * 1024 * 1024,
        maxConnectionsPerHost: Int = 16,
        connectionCacheSize: Int = 64,
        reuseConnections: Bool = true,
        httpVersion: HTTPVersionPreference = .http2OverTLS,
        redirects: RedirectPolicy = .none,
        tls: TLSConfiguration = .init(),
        userAgent: String? = "paklog",
        proxy: ProxyPolicy = .environment
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxResponseSize = maxResponseSize
        self.maxConnectionsPerHost = maxConnectionsPerHost
        self.connectionCacheSize = connectionCacheSize
        self.reuseConnections = reuseConnections
        self.httpVersion = httpVersion
        self.redirects = redirects
        self.tls = tls
        self.userAgent = userAgent
        self.proxy = proxy
    }
}
