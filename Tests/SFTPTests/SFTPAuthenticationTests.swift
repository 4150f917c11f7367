import Foundation
import SFTP
import SSHServerSupport
import Testing

@Suite("Host key pinning and client authentication against a real sshd")
struct SFTPAuthenticationTests {
    @Test func theFingerprintWeComputeIsTheOneSSHKeygenPrints() async throws {
        let server = try await SSHTestServer.start()
        // Pin some other key: the error then carries the fingerprint computed by our code from
        // the blob the server presented, to compare with OpenSSH's own.
        let other = "SHA256:" + String(repeating: "A", count: 43)
        do {
            _ = try await SFTPConnection.connect(SFTPTestFixture.settings(server, hostKey: other), logger: SFTPTestFixture.logger)
            Issue.record("connected despite a wrong pin")
        } catch let error as SFTPError {
            guard case .hostKeyMismatch(_, let expected, let received) = error else { throw error }
            #expect(received.description == server.hostKeyFingerprint)
            #expect(expected.description == other)
        }
        // And pinning ssh-keygen's value connects.
        let connection = try await SFTPTestFixture.connect(server)
        #expect(await connection.isOpen)
    }

    @Test func aWrongPinIsRefusedBeforeAnyCredentialIsSent() async throws {
        let server = try await SSHTestServer.start()
        let otherServer = try await SFTPTestFixture.server()
        let settings = try SFTPTestFixture.settings(server, hostKey: otherServer.hostKeyFingerprint)
        await #expect(throws: SFTPError.hostKeyMismatch(
            host: "127.0.0.1", expected: try SFTPHostKeyFingerprint(otherServer.hostKeyFingerprint),
            received: try SFTPHostKeyFingerprint(server.hostKeyFingerprint))) {
            _ = try await SFTPConnection.connect(settings, logger: SFTPTestFixture.logger)
        }
        // With credentials the server would refuse, a client that authenticated first would
        // report the refusal; ours stops at the host key.
        let badKey = try SFTPTestFixture.settings(server, hostKey: otherServer.hostKeyFingerprint,
                                                  authentication: .privateKey(path: "/nonexistent", passphrase: nil))
        do {
            _ = try await SFTPConnection.connect(badKey, logger: SFTPTestFixture.logger)
            Issue.record("connected despite a wrong pin")
        } catch {
            guard case .hostKeyMismatch = error else { Issue.record("not a host key mismatch: \(error)"); return }
        }
        // The server saw both clients leave before authentication, with our reason (sshd may
        // log it a moment after the client has gone).
        let mismatches = { server.log.components(separatedBy: "host key mismatch [preauth]").count - 1 }
        let deadline = ContinuousClock.now + .seconds(5)
        while mismatches() < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let log = server.log
        #expect(mismatches() == 2, "\(log)")
        #expect(!log.contains("Accepted") && !log.contains("Failed"), "\(log)")
    }

    /// ECDSA, not RSA: libssh2 1.10 signs RSA user authentication with SHA-1 only (`ssh-rsa`),
    /// which OpenSSH 8.8 and later refuse by default.
    @Test func anECDSAKeyInPEMFormatAuthenticates() async throws {
        let server = try await SFTPTestFixture.server()
        let key = try server.addClientKey(type: "ecdsa", format: "PEM")
        #expect(try String(contentsOfFile: key, encoding: .utf8).hasPrefix("-----BEGIN EC PRIVATE KEY-----"))
        let settings = try SFTPTestFixture.settings(server, authentication: .privateKey(path: key, passphrase: nil))
        let connection = try await SFTPConnection.connect(settings, logger: SFTPTestFixture.logger)
        _ = try await connection.list(server.filesDirectory)
    }

    @Test func aPassphraseProtectedOpenSSHKeyAuthenticatesWithItsPassphraseOnly() async throws {
        let server = try await SFTPTestFixture.server()
        let key = try server.addClientKey(type: "ed25519", passphrase: "correct horse")
        #expect(try String(contentsOfFile: key, encoding: .utf8).hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----"))
        let good = try SFTPTestFixture.settings(server, authentication: .privateKey(path: key, passphrase: "correct horse"))
        _ = try await SFTPConnection.connect(good, logger: SFTPTestFixture.logger)
        let bad = try SFTPTestFixture.settings(server, authentication: .privateKey(path: key, passphrase: "wrong horse"))
        do {
            _ = try await SFTPConnection.connect(bad, logger: SFTPTestFixture.logger)
            Issue.record("authenticated with a wrong passphrase")
        } catch {
            guard case .authenticationFailed(_, _, let method, _, _) = error else { throw error }
            #expect(method == "publickey")
            #expect(!error.description.contains("horse"))
        }
    }

    @Test func aKeyTheServerDoesNotKnowIsRefused() async throws {
        let server = try await SFTPTestFixture.server()
        let stranger = try await SSHTestServer.start()  // its client key is not in the shared server's list
        let settings = try SFTPTestFixture.settings(server, authentication: .privateKey(path: stranger.clientKeyPath, passphrase: nil))
        do {
            _ = try await SFTPConnection.connect(settings, logger: SFTPTestFixture.logger)
            Issue.record("authenticated with an unknown key")
        } catch {
            guard case .authenticationFailed(let host, let user, _, let code, _) = error else { throw error }
            #expect(host == "127.0.0.1" && user == server.username && code < 0)
        }
    }

    /// The account `scripts/bootstrap.sh test` creates for this test (sshd checks passwords
    /// against the system's accounts).
    static let passwordAccount = (user: "paklog-sftp-test", password: "paklog-sftp-test-password")
    static var passwordAccountExists: Bool { getpwnam(passwordAccount.user) != nil }

    @Test(.enabled(if: passwordAccountExists, "needs the paklog-sftp-test account: run scripts/bootstrap.sh test"))
    func passwordAuthenticationWithTheRightPasswordOnly() async throws {
        let server = try await SSHTestServer.start(passwordAuthentication: true)
        let account = Self.passwordAccount
        let good = try SFTPTestFixture.settings(server, authentication: .password(account.password), username: account.user)
        let connection = try await SFTPConnection.connect(good, logger: SFTPTestFixture.logger)
        _ = try await connection.stat("/")
        let bad = try SFTPTestFixture.settings(server, authentication: .password("not-it"), username: account.user)
        do {
            _ = try await SFTPConnection.connect(bad, logger: SFTPTestFixture.logger)
            Issue.record("authenticated with a wrong password")
        } catch {
            guard case .authenticationFailed(_, _, let method, _, _) = error else { throw error }
            #expect(method == "password" && !error.description.contains("not-it"))
        }
    }
}
