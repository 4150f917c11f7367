import Dispatch
import Logging

/// An authenticated SFTP session with one server, usable from any task.
///
/// libssh2 blocks and a session must not be used by two threads at once, so each connection
/// owns a serial dispatch queue: every call is one job on it, and the caller awaits a
/// continuation, so the cooperative thread pool never blocks on the network. (A serial queue
/// runs on libdispatch's overcommitting pool, which adds a thread when one blocks, so one slow
/// partner does not stall another's connection.) Calls from several tasks are served one after
/// the other, in order.
///
/// ```swift
/// let connection = try await SFTPConnection.connect(settings, logger: logger)
/// for entry in try await connection.list("/inbound").regularFiles { … }
/// await connection.close()
/// ```
public final class SFTPConnection: Sendable {
    public let settings: SFTPServerSettings
    private let queue: DispatchQueue
    private let box: SessionBox

    /// Holds the non-Sendable session. `@unchecked Sendable` is sound because the session is
    /// only touched inside jobs on `queue`, which is serial: no two threads ever use it at once,
    /// and the queue's ordering makes each job see the previous one's writes.
    private final class SessionBox: @unchecked Sendable {
        let session: SSHSession
        init(_ session: SSHSession) { self.session = session }
    }

    private init(settings: SFTPServerSettings, queue: DispatchQueue, box: SessionBox) {
        self.settings = settings
        self.queue = queue
        self.box = box
    }

    /// Connects, checks the host key against ``SFTPServerSettings/hostKey`` (throwing
    /// ``SFTPError/hostKeyMismatch(host:expected:received:)`` before any credential is sent),
    /// authenticates and opens the SFTP subsystem.
    public static func connect(_ settings: SFTPServerSettings, logger: Logger) async throws(SFTPError) -> SFTPConnection {
        var logger = logger
        logger[metadataKey: "sftp.host"] = "\(settings.host)"
        let queue = DispatchQueue(label: "paklog.sftp.\(settings.host)")
        let box = SessionBox(SSHSession(settings: settings, logger: logger))
        let connection = SFTPConnection(settings: settings, queue: queue, box: box)
        try await connection.perform { session throws(SFTPError) in try session.open() }
        return connection
    }

    /// Runs `body` on the session's queue.
    func perform<T: Sendable>(_ body: @escaping @Sendable (SSHSession) throws(SFTPError) -> T) async throws(SFTPError) -> T {
        let box = self.box
        let result: Result<T, SFTPError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(SFTPError) {
                    continuation.resume(returning: .success(try body(box.session)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// `false` once closed, by ``close()`` or because an error left the transport unusable
    /// (then reconnect).
    public var isOpen: Bool {
        get async { (try? await perform { $0.isOpen }) ?? false }
    }

    /// The entries of a directory; names that are not safe path components are in
    /// ``SFTPDirectoryListing/rejected``, never in its entries.
    public func list(_ path: String) async throws(SFTPError) -> SFTPDirectoryListing {
        try await perform { session throws(SFTPError) in try session.list(path) }
    }

    public func stat(_ path: String) async throws(SFTPError) -> SFTPFileAttributes {
        try await perform { session throws(SFTPError) in try session.stat(path) }
    }

    /// The whole file, refusing one over ``SFTPServerSettings/maximumFileSize``.
    public func readFile(_ path: String) async throws(SFTPError) -> [UInt8] {
        let limit = settings.maximumFileSize
        return try await perform { session throws(SFTPError) in try session.read(path, limit: limit) }
    }

    /// Creates or truncates `path` and writes `bytes`. Partners may see the file while it is
    /// written: for files they pick up, use ``upload(_:directory:name:)``.
    public func writeFile(_ bytes: [UInt8], to path: String) async throws(SFTPError) {
        try await perform { session throws(SFTPError) in try session.write(bytes, to: path, exclusive: false) }
    }

    /// Renames, never overwriting: an existing target throws
    /// ``SFTPError/targetExists(host:source:target:)``, which makes the rename an atomic claim.
    public func rename(_ source: String, to target: String) async throws(SFTPError) {
        try await perform { session throws(SFTPError) in try session.rename(source, to: target) }
    }

    public func remove(_ path: String) async throws(SFTPError) {
        try await perform { session throws(SFTPError) in try session.remove(path) }
    }

    public func makeDirectory(_ path: String) async throws(SFTPError) {
        try await perform { session throws(SFTPError) in try session.makeDirectory(path) }
    }

    /// Disconnects. Later calls throw ``SFTPError/closed(host:operation:)``.
    public func close() async {
        _ = try? await perform { $0.close() }
    }

    deinit {
        let box = self.box
        queue.async { box.session.close() }
    }
}
