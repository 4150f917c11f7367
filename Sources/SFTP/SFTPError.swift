/// What an SFTP operation can run into. Every description names the server, the operation, the
/// remote path where there is one, and libssh2's code and message, so that one log line is
/// enough to tell a partner what failed; none contains a password or a passphrase.
public enum SFTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// TCP could not connect (name resolution, refusal, or the connect timeout).
    case connectionFailed(host: String, port: Int, reason: String)
    /// The server's host key is not the pinned one: nothing was sent to it and the session is
    /// closed. Either the partner changed its key or someone is in the middle.
    case hostKeyMismatch(host: String, expected: SFTPHostKeyFingerprint, received: SFTPHostKeyFingerprint)
    /// The server refused the credentials.
    case authenticationFailed(host: String, username: String, method: String, code: Int32, message: String)
    /// A rename whose target exists (OpenSSH never overwrites): someone else holds that name.
    case targetExists(host: String, source: String, target: String)
    /// The path does not exist (SSH_FX_NO_SUCH_FILE / NO_SUCH_PATH).
    case noSuchFile(host: String, operation: SFTPOperation, path: String)
    /// A libssh2 call timed out (``SFTPServerSettings/operationTimeout`` or the connect timeout).
    case timedOut(host: String, operation: SFTPOperation, path: String?)
    /// Any other failure: `code` is libssh2's (negative), `sftpStatus` the server's SSH_FX_* status
    /// when the server answered with one.
    case operationFailed(host: String, operation: SFTPOperation, path: String?, code: Int32, sftpStatus: UInt?, message: String)
    /// A file over ``SFTPServerSettings/maximumFileSize``.
    case fileTooLarge(host: String, path: String, limit: Int)
    /// A name our own code was asked to use is not a single safe path component.
    case invalidName(String, SFTPRemoteName.Problem)
    /// The connection was closed (by ``SFTPConnection/close()`` or after a fatal error).
    case closed(host: String, operation: SFTPOperation)

    public var description: String {
        switch self {
        case .connectionFailed(let host, let port, let reason):
            "SFTP \(host):\(port): cannot connect: \(reason)"
        case .hostKeyMismatch(let host, let expected, let received):
            "SFTP \(host): host key mismatch: expected \(expected), server presented \(received); not authenticating"
        case .authenticationFailed(let host, let username, let method, let code, let message):
            "SFTP \(host): \(method) authentication as \(username) refused (libssh2 \(code): \(message))"
        case .targetExists(let host, let source, let target):
            "SFTP \(host): rename \(source) -> \(target): target exists (the server does not overwrite)"
        case .noSuchFile(let host, let operation, let path):
            "SFTP \(host): \(operation) \(path): no such file (SSH_FX_NO_SUCH_FILE)"
        case .timedOut(let host, let operation, let path):
            "SFTP \(host): \(operation)\(path.map { " " + $0 } ?? ""): timed out (LIBSSH2_ERROR_TIMEOUT)"
        case .operationFailed(let host, let operation, let path, let code, let status, let message):
            "SFTP \(host): \(operation)\(path.map { " " + $0 } ?? ""): libssh2 \(code): \(message)"
                + (status.map { ", SFTP status \($0) (\(SFTPOperation.statusName($0)))" } ?? "")
        case .fileTooLarge(let host, let path, let limit):
            "SFTP \(host): read \(path): larger than the \(limit)-byte limit"
        case .invalidName(let name, let problem):
            "SFTP: invalid file name \(String(reflecting: name)): \(problem)"
        case .closed(let host, let operation):
            "SFTP \(host): \(operation): connection is closed"
        }
    }
}

/// The operation an ``SFTPError`` is about.
public enum SFTPOperation: String, Sendable, Hashable, CustomStringConvertible {
    case connect, handshake, authenticate, openSFTP, list, stat, read, write, rename, remove, makeDirectory

    public var description: String { rawValue }

    /// SSH_FX_* names (draft-ietf-secsh-filexfer-02 and later drafts).
    static func statusName(_ status: UInt) -> String {
        let names = ["OK", "EOF", "NO_SUCH_FILE", "PERMISSION_DENIED", "FAILURE", "BAD_MESSAGE", "NO_CONNECTION",
                     "CONNECTION_LOST", "OP_UNSUPPORTED", "INVALID_HANDLE", "NO_SUCH_PATH", "FILE_ALREADY_EXISTS",
                     "WRITE_PROTECT", "NO_MEDIA", "NO_SPACE_ON_FILESYSTEM", "QUOTA_EXCEEDED", "UNKNOWN_PRINCIPAL",
                     "LOCK_CONFLICT", "DIR_NOT_EMPTY", "NOT_A_DIRECTORY", "INVALID_FILENAME", "LINK_LOOP"]
        return status < UInt(names.count) ? "SSH_FX_" + names[Int(status)] : "unknown"
    }
}
