import AdapterKit
import SFTP

/// A partner profile's SFTP settings as a connection needs them; every value checked here.
struct SFTPPartner: Sendable {
    let profile: PartnerProfile
    let settings: SFTPPartnerSettings
    let server: SFTPServerSettings

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    init(_ profile: PartnerProfile) throws(Problem) {
        guard let settings = profile.sftp else { throw Problem(description: "partner '\(profile.name)' has no sftp settings") }
        let fingerprint: SFTPHostKeyFingerprint
        do { fingerprint = try SFTPHostKeyFingerprint(settings.hostKey) } catch {
            throw Problem(description: "partner '\(profile.name)': sftp.hostKey: \(error)")
        }
        let authentication: SFTPAuthentication
        if let key = settings.privateKeyPath {
            authentication = .privateKey(path: key, passphrase: settings.passphrase?.reveal())
        } else if let password = settings.password {
            authentication = .password(password.reveal())
        } else {
            throw Problem(description: "partner '\(profile.name)': sftp needs a password or a privateKey")
        }
        self.profile = profile
        self.settings = settings
        server = SFTPServerSettings(host: settings.host, port: settings.port, username: settings.username, authentication: authentication, hostKey: fingerprint)
    }
}
