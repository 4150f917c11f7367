import CSSH2
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libssh2 needs `libssh2_init` once per process before any session, and it is not itself
/// thread-safe: a global's lazy initializer runs exactly once.
private let libssh2Initialized: Bool = libssh2_init(0) == 0

/// One blocking libssh2 session with its SFTP channel. Not thread-safe, like libssh2 itself:
/// ``SFTPConnection`` calls it from its serial queue only.
final class SSHSession {
    let settings: SFTPServerSettings
    let logger: Logger
    private var socket: Int32 = -1
    private(set) var session: OpaquePointer?
    private(set) var sftp: OpaquePointer?

    init(settings: SFTPServerSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    deinit { close() }

    var host: String { settings.host }
    var isOpen: Bool { sftp != nil }

    /// TCP, handshake, host key check, authentication, SFTP: in this order, so that no
    /// credential reaches a server whose key is not the pinned one.
    func open() throws(SFTPError) {
        precondition(libssh2Initialized, "libssh2_init failed")
        socket = try TCPConnector.connect(host: settings.host, port: settings.port, timeout: settings.connectTimeout)
        guard let session = libssh2_session_init_ex(nil, nil, nil, nil) else {
            close()
            throw .operationFailed(host: host, operation: .handshake, path: nil, code: -6, sftpStatus: nil, message: "libssh2_session_init failed (out of memory)")
        }
        self.session = session
        libssh2_session_set_blocking(session, 1)
        libssh2_session_set_timeout(session, Self.milliseconds(settings.connectTimeout))
        do throws(SFTPError) {
            guard libssh2_session_handshake(session, socket) == 0 else { throw failure(.handshake, path: nil) }
            try checkHostKey(session)
            try authenticate(session)
            libssh2_session_set_timeout(session, Self.milliseconds(settings.operationTimeout))
            guard let sftp = libssh2_sftp_init(session) else { throw failure(.openSFTP, path: nil) }
            self.sftp = sftp
        } catch {
            close()
            throw error
        }
        logger.debug("SFTP session open", metadata: ["sftp.host": "\(host)", "sftp.port": "\(settings.port)"])
    }

    private func checkHostKey(_ session: OpaquePointer) throws(SFTPError) {
        var length = 0
        var type: Int32 = 0
        guard let key = libssh2_session_hostkey(session, &length, &type), length > 0 else {
            throw failure(.handshake, path: nil)
        }
        let received = SFTPHostKeyFingerprint(hostKeyBlob: Array(UnsafeRawBufferPointer(start: key, count: length)))
        guard settings.hostKey.matches(received) else {
            logger.error("SFTP host key mismatch", metadata: [
                "sftp.host": "\(host)", "sftp.expected": "\(settings.hostKey)", "sftp.received": "\(received)",
            ])
            _ = libssh2_session_disconnect_ex(session, SSH_DISCONNECT_HOST_KEY_NOT_VERIFIABLE, "host key mismatch", "")
            throw .hostKeyMismatch(host: host, expected: settings.hostKey, received: received)
        }
    }

    private func authenticate(_ session: OpaquePointer) throws(SFTPError) {
        let user = settings.username
        let userLength = UInt32(user.utf8.count)
        let rc: Int32
        switch settings.authentication {
        case .password(let password):
            rc = libssh2_userauth_password_ex(session, user, userLength, password, UInt32(password.utf8.count), nil)
        case .privateKey(let path, let passphrase):
            // A NULL public key path: libssh2 (OpenSSL backend) derives it from the private key.
            rc = libssh2_userauth_publickey_fromfile_ex(session, user, userLength, nil, path, passphrase)
        }
        guard rc == 0 else {
            let (code, message) = lastError()
            if code == LIBSSH2_ERROR_TIMEOUT { throw .timedOut(host: host, operation: .authenticate, path: nil) }
            throw .authenticationFailed(host: host, username: user, method: settings.authentication.methodName, code: code, message: message)
        }
    }

    /// Ends the session politely when it still can, then frees everything. Idempotent.
    func close() {
        if let sftp {
            _ = libssh2_sftp_shutdown(sftp)
            self.sftp = nil
        }
        if let session {
            _ = libssh2_session_disconnect_ex(session, SSH_DISCONNECT_BY_APPLICATION, "closing", "")
            _ = libssh2_session_free(session)
            self.session = nil
        }
        if socket >= 0 {
            _ = Glibc.close(socket)
            socket = -1
        }
    }

    /// libssh2's last error code and message.
    func lastError() -> (Int32, String) {
        guard let session else { return (0, "no session") }
        var message: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        let code = libssh2_session_last_error(session, &message, &length, 0)
        guard let message, length > 0 else { return (code, "") }
        return (code, String(decoding: UnsafeRawBufferPointer(start: message, count: Int(length)), as: UTF8.self))
    }

    /// The error for a failed call. A failure other than an SFTP status reply leaves the
    /// transport in an unknown state (a timeout mid-packet, a dead socket), so the session is
    /// closed and the caller must reconnect.
    func failure(_ operation: SFTPOperation, path: String?) -> SFTPError {
        let (code, message) = lastError()
        var status: UInt?
        if code == LIBSSH2_ERROR_SFTP_PROTOCOL, let sftp { status = UInt(libssh2_sftp_last_error(sftp)) }
        let error: SFTPError
        switch (code, status) {
        case (LIBSSH2_ERROR_TIMEOUT, _):
            error = .timedOut(host: host, operation: operation, path: path)
        case (_, UInt(LIBSSH2_FX_NO_SUCH_FILE)?), (_, UInt(LIBSSH2_FX_NO_SUCH_PATH)?):
            error = .noSuchFile(host: host, operation: operation, path: path ?? "")
        default:
            error = .operationFailed(host: host, operation: operation, path: path, code: code, sftpStatus: status, message: message)
        }
        if code != LIBSSH2_ERROR_SFTP_PROTOCOL, sftp != nil {
            logger.warning("SFTP session lost; closing it", metadata: ["sftp.host": "\(host)", "sftp.error": "\(error)"])
            // Shut the socket first: the polite close would otherwise wait on a server that
            // stopped answering for up to the operation timeout once more.
            if socket >= 0 { _ = shutdown(socket, Int32(SHUT_RDWR)) }
            close()
        }
        return error
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let parts = duration.components
        return max(1, Int(parts.seconds) * 1000 + Int(parts.attoseconds / 1_000_000_000_000_000))
    }
}
