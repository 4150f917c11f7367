import Codecs
import SFTP
import Testing

@Suite("Settings: the pinned host key as OpenSSH prints it, and no secret in any description")
struct SFTPSettingsTests {
    static let pinned = "SHA256:" + Base64.encode(Digest.hash(Array("key".utf8), .sha256), padding: false)

    @Test func theFingerprintRoundTripsInOpenSSHForm() throws {
        let fingerprint = try SFTPHostKeyFingerprint(Self.pinned)
        #expect(fingerprint.description == Self.pinned)
        #expect(fingerprint == SFTPHostKeyFingerprint(hostKeyBlob: Array("key".utf8)))
        #expect(try SFTPHostKeyFingerprint(Self.pinned + "=").matches(fingerprint), "padding as some tools print it")
        #expect(!fingerprint.matches(SFTPHostKeyFingerprint(hostKeyBlob: Array("other".utf8))))
    }

    @Test func malformedFingerprintsAreRefused() {
        #expect(throws: SFTPHostKeyFingerprint.ParseError.missingSHA256Prefix) {
            try SFTPHostKeyFingerprint("MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48")
        }
        #expect(throws: SFTPHostKeyFingerprint.ParseError.invalidBase64) { try SFTPHostKeyFingerprint("SHA256:not base64!") }
        #expect(throws: SFTPHostKeyFingerprint.ParseError.wrongLength(bytes: 3)) { try SFTPHostKeyFingerprint("SHA256:YWJj") }
    }

    @Test func descriptionsNeverContainPasswordsOrPassphrases() throws {
        let hostKey = try SFTPHostKeyFingerprint(Self.pinned)
        let password = SFTPServerSettings(host: "h", username: "u", authentication: .password("hunter2-secret"), hostKey: hostKey)
        let key = SFTPServerSettings(host: "h", username: "u", authentication: .privateKey(path: "/k", passphrase: "pass-secret"), hostKey: hostKey)
        var dumped = ""
        dump(password, to: &dumped)
        dump(key, to: &dumped)
        for text in [dumped, password.description, String(describing: password), String(reflecting: password.authentication),
                     key.description, String(describing: key.authentication)] {
            #expect(!text.contains("secret"), "\(text)")
        }
        #expect(key.description.contains("/k"))
        let error = SFTPError.authenticationFailed(host: "h", username: "u", method: "password", code: -18, message: "Authentication failed")
        #expect(error.description == "SFTP h: password authentication as u refused (libssh2 -18: Authentication failed)")
        let failed = SFTPError.operationFailed(host: "h", operation: .write, path: "/in/x", code: -31, sftpStatus: 3, message: "SFTP Protocol Error")
        #expect(failed.description == "SFTP h: write /in/x: libssh2 -31: SFTP Protocol Error, SFTP status 3 (SSH_FX_PERMISSION_DENIED)")
    }
}
