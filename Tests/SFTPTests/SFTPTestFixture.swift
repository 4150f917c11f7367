import Foundation
import Logging
import SFTP
import SSHServerSupport
import Synchronization

/// One sshd shared by the tests that only need a server (each works in its own directory);
/// tests that read the server's log start their own.
enum SFTPTestFixture {

    /// One server for the tests that share it, started once, off the cooperative pool.
    static func server() async throws -> SSHTestServer { try await shared.value }

    private static let shared = Task { try await SSHTestServer.start() }

    /// Quiet: the tests check outcomes, and the warnings they provoke on purpose would only
    /// clutter the run's output.
    static let logger = Logger(label: "test.sftp", factory: { _ in SwiftLogNoOpLogHandler() })

    static func settings(
        _ server: SSHTestServer, hostKey: String? = nil, authentication: SFTPAuthentication? = nil, username: String? = nil
    ) throws -> SFTPServerSettings {
        SFTPServerSettings(
            host: "127.0.0.1", port: server.port, username: username ?? server.username,
            authentication: authentication ?? .privateKey(path: server.clientKeyPath, passphrase: nil),
            hostKey: try SFTPHostKeyFingerprint(hostKey ?? server.hostKeyFingerprint),
            connectTimeout: .seconds(5), operationTimeout: .seconds(10))
    }

    static func connect(_ server: SSHTestServer) async throws -> SFTPConnection {
        try await SFTPConnection.connect(settings(server), logger: logger)
    }

    /// A fresh, empty directory on the server (also a local path: the server is this machine).
    static func directory(_ server: SSHTestServer) throws -> String {
        let path = server.filesDirectory + "/" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    static func write(_ bytes: [UInt8], _ path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func contents(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    static func names(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }
}
