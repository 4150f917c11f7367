import Codecs
import Foundation

/// The configured partners, by name, and what sources and endpoints ask of them.
public struct PartnerDirectory: Sendable {
    public var profiles: [String: PartnerProfile]

    public init(_ profiles: [PartnerProfile] = []) {
        self.profiles = Dictionary(profiles.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
    }

    public subscript(name: String) -> PartnerProfile? { profiles[name] }

    /// The partner whose AS2 name is `as2Name` (AS2 names compare exactly, RFC 4130 §6.2).
    public func partner(as2Name: String) -> PartnerProfile? {
        profiles.values.first { $0.as2?.name == as2Name }
    }

    /// A certificate that expires within `window` of `now` (or already has).
    public struct Expiring: Sendable, Equatable, CustomStringConvertible {
        public var partner: String
        public var role: String
        public var path: String
        public var subject: String
        public var notAfter: Date
        public var fingerprint: String

        public var daysLeft: Int { Int((notAfter.timeIntervalSinceNow / 86_400).rounded(.down)) }

        public var description: String {
            let when = UTCTimestamp(millisecondsSince1970: Int64(notAfter.timeIntervalSince1970 * 1000)).rfc3339
            return "partner \(partner): \(role) certificate \(path) (\(subject)) \(notAfter < Date() ? "expired" : "expires") \(when)"
        }
    }

    /// Every certificate of every profile that expires before `now + window`, soonest first.
    public func expiring(within window: Duration = .seconds(30 * 86_400), now: Date = Date()) -> [Expiring] {
        let limit = now.addingTimeInterval(TimeInterval(window.components.seconds))
        var out: [Expiring] = []
        for profile in profiles.values {
            for (role, file) in profile.allCertificates where file.certificate.notAfter < limit {
                out.append(Expiring(partner: profile.name, role: role, path: file.path, subject: file.certificate.subject,
                                    notAfter: file.certificate.notAfter, fingerprint: file.certificate.sha256Fingerprint))
            }
        }
        return out.sorted { ($0.notAfter, $0.partner) < ($1.notAfter, $1.partner) }
    }
}
