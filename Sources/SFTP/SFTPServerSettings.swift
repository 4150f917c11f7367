/// Where and how to reach one partner's SFTP server.
///
/// ```swift
/// let settings = SFTPServerSettings(
///     host: "sftp.acme.example", username: "paklog",
///     authentication: .privateKey(path: "/etc/paklog/acme_ed25519", passphrase: nil),
///     hostKey: try SFTPHostKeyFingerprint("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"))
/// ```
public struct SFTPServerSettings: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var authentication: SFTPAuthentication
    /// The fingerprint the server's host key must have; checked before any credential is sent.
    public var hostKey: SFTPHostKeyFingerprint
    /// Limit for the TCP connection, and separately for the SSH handshake plus authentication.
    public var connectTimeout: Duration
    /// Limit for each blocking libssh2 call once connected (a stalled server otherwise holds the
    /// session's thread forever).
    public var operationTimeout: Duration
    /// Largest file ``SFTPConnection/readFile(_:)`` reads, so that a partner cannot exhaust memory.
    public var maximumFileSize: Int

    public init(
        host: String, port: Int = 22, username: String, authentication: SFTPAuthentication,
        hostKey: SFTPHostKeyFingerprint, connectTimeout: Duration = .seconds(10),
        operationTimeout: Duration = .seconds(30), maximumFileSize: Int = 256 << 20
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.authentication = authentication
        self.hostKey = hostKey
        self.connectTimeout = connectTimeout
        self.operationTimeout = operationTimeout
        self.maximumFileSize = maximumFileSize
    }

    /// `user@host:port` and the authentication method, without secrets.
    public var description: String {
        "sftp://\(username)@\(host):\(port) (\(authentication), host key \(hostKey))"
    }
}
