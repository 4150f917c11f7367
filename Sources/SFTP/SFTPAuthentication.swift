/// How the client proves who it is to the server.
///
/// The description names the method and, for a key, its path, but never a password or a
/// passphrase: settings are logged when a connection starts.
public enum SFTPAuthentication: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Password authentication (many partners offer nothing else).
    case password(String)
    /// A private key file in OpenSSH (`-----BEGIN OPENSSH PRIVATE KEY-----`) or PEM format; the
    /// public key is derived from it, so no `.pub` file is needed. Prefer ed25519 or ECDSA:
    /// libssh2 1.10 (Debian 12) signs with RSA only as `ssh-rsa` (SHA-1), which OpenSSH 8.8 and
    /// later servers refuse unless configured to accept it.
    case privateKey(path: String, passphrase: String?)

    public var description: String {
        switch self {
        case .password: "password(<redacted>)"
        case .privateKey(let path, let passphrase):
            "privateKey(path: \(path), passphrase: \(passphrase == nil ? "none" : "<redacted>"))"
        }
    }

    public var debugDescription: String { description }

    /// No children: `dump` and debuggers would otherwise show the associated secret.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .enum) }

    /// The method's name as SSH calls it, for errors.
    var methodName: String {
        switch self {
        case .password: "password"
        case .privateKey: "publickey"
        }
    }
}
