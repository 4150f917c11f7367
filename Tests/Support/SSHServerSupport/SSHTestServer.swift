import Foundation
import Synchronization

/// A real OpenSSH server (`/usr/sbin/sshd`) on a free loopback port, in a fresh temporary
/// directory with its own host key, client key and configuration; stopped and removed when the
/// value goes. Shared by the SFTP tests, the SFTP benchmark and later integration tests.
///
/// The host key's fingerprint comes from `ssh-keygen -lf`, computed by OpenSSH itself: an
/// independent check of a client's own fingerprint code. Runs as root (tests and CI do), which
/// sshd needs for its privilege separation; the client logs in as the current user with
/// ``clientKeyPath``.
public final class SSHTestServer: Sendable {
    /// Everything the server uses lives here.
    public let directory: URL
    /// An empty directory for the test's files (the SFTP server sees the whole file system;
    /// paths are absolute).
    public let filesDirectory: String
    public let port: Int
    /// The account the client logs in as: the current user.
    public let username: String
    /// An ed25519 private key (OpenSSH format, no passphrase) that the server accepts.
    public let clientKeyPath: String
    /// The host key's fingerprint as OpenSSH prints it (`SHA256:…`).
    public let hostKeyFingerprint: String
    private let process: Mutex<ChildProcess?>

    /// Starts the server. `passwordAuthentication` also lets accounts log in with their
    /// password (which needs a real account: see `scripts/bootstrap.sh test`).
    public init(passwordAuthentication: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("paklog-sshd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        filesDirectory = directory.appendingPathComponent("files").path
        try FileManager.default.createDirectory(atPath: filesDirectory, withIntermediateDirectories: true)
        username = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "root"

        let hostKey = directory.appendingPathComponent("host_ed25519").path
        try SSHTool.generateKey(at: hostKey, type: "ed25519")
        hostKeyFingerprint = try SSHTool.fingerprint(ofPublicKey: hostKey + ".pub")
        clientKeyPath = directory.appendingPathComponent("client_ed25519").path
        try SSHTool.generateKey(at: clientKeyPath, type: "ed25519")
        let authorizedKeys = directory.appendingPathComponent("authorized_keys").path
        try FileManager.default.copyItem(atPath: clientKeyPath + ".pub", toPath: authorizedKeys)

        // /run/sshd is sshd's privilege separation directory; Debian creates it only when the
        // service starts, which it never does here.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        var lastError: Error = SSHTestServerError.notStarted("no attempt")
        for _ in 0..<5 {
            let port = try FreePort.find()
            let config = Self.configuration(port: port, directory: directory.path, hostKey: hostKey,
                                            authorizedKeys: authorizedKeys, passwordAuthentication: passwordAuthentication)
            let configPath = directory.appendingPathComponent("sshd_config").path
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            do {
                let started = try Self.launch(configPath: configPath, log: directory.appendingPathComponent("sshd.log").path, port: port)
                self.port = port
                self.process = Mutex(started)
                ServerRegistry.add(started.pid, directory: directory.path)
                return
            } catch {
                lastError = error  // most likely the port was taken in between: try another
            }
        }
        throw lastError
    }

    /// Adds a client key of another kind (for example `rsa` in `PEM` format) to the accepted
    /// keys and returns its private key's path.
    public func addClientKey(type: String, format: String? = nil, passphrase: String = "") throws -> String {
        let path = directory.appendingPathComponent("client_\(type)_\(UUID().uuidString.prefix(8))").path
        try SSHTool.generateKey(at: path, type: type, format: format, passphrase: passphrase)
        let key = try String(contentsOfFile: path + ".pub", encoding: .utf8)
        let handle = try FileHandle(forWritingTo: directory.appendingPathComponent("authorized_keys"))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(key.utf8))
        return path
    }

    /// What sshd wrote to its log so far (`-e`, LogLevel VERBOSE): lets a test check what the
    /// server saw, such as whether a client ever tried to authenticate.
    public var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("sshd.log"), encoding: .utf8)) ?? ""
    }

    /// Kills every connection's sshd processes (SIGKILL), leaving the listener running: a
    /// network failure as the client sees it, for reconnection tests.
    public func dropConnections() { signalConnections(SIGKILL) }

    /// Stops every connection's sshd processes (SIGSTOP): a server that hangs mid-session, for
    /// timeout tests. ``resumeConnections()`` lets them go on.
    public func pauseConnections() { signalConnections(SIGSTOP) }

    public func resumeConnections() { signalConnections(SIGCONT) }

    private func signalConnections(_ signal: Int32) {
        guard let listener = process.withLock({ $0?.pid }) else { return }
        for pid in ProcessTree.descendants(of: listener) { kill(pid, signal) }
    }

    /// Stops the server (also done on deinit).
    public func stop() {
        process.withLock { process in
            guard let running = process else { return }
            running.terminate()
            ServerRegistry.remove(running.pid)
            process = nil
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func configuration(port: Int, directory: String, hostKey: String, authorizedKeys: String, passwordAuthentication: Bool) -> String {
        """
        Port \(port)
        ListenAddress 127.0.0.1
        HostKey \(hostKey)
        AuthorizedKeysFile \(authorizedKeys)
        PidFile \(directory)/sshd.pid
        StrictModes no
        UsePAM no
        PermitRootLogin prohibit-password
        PasswordAuthentication \(passwordAuthentication ? "yes" : "no")
        KbdInteractiveAuthentication no
        Subsystem sftp internal-sftp
        LogLevel VERBOSE
        MaxStartups 64:30:128

        """
    }

    private static func launch(configPath: String, log: String, port: Int) throws -> ChildProcess {
        let process = try ChildProcess.start("/usr/sbin/sshd", ["-D", "-e", "-f", configPath], outputPath: log)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let status = process.exitStatus(wait: false) {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw SSHTestServerError.notStarted("sshd exited with status \(status): \(text)")
            }
            if FreePort.accepts(port: port) { return process }
            usleep(20_000)
        }
        process.terminate()
        throw SSHTestServerError.notStarted("sshd did not listen on port \(port) within 10 s")
    }
}

public enum SSHTestServerError: Error, CustomStringConvertible {
    case notStarted(String)
    case toolFailed(String)

    public var description: String {
        switch self {
        case .notStarted(let reason): "sshd did not start: \(reason)"
        case .toolFailed(let reason): reason
        }
    }
}
