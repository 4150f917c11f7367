import AdapterKit
import Codecs
import Console
import EventStore
import Foundation
import Gateway
import JSON
import Logging
import Messaging

/// The daily job `check-certificate-expiry`: every partner certificate (ours included) that
/// expires within 30 days raises `CertificateExpiring` on the topic `error-events` (stream
/// `error-partner.<name>`), committed with the job's slot, so each day says it once; `/readyz`
/// lists the same certificates in its detail.
enum CertificateExpiryCheck {
    static let jobName = "check-certificate-expiry"
    static let eventType = "CertificateExpiring"
    static let window: Duration = .seconds(30 * 86_400)

    static func job(partners: PartnerDirectory, logger: Logger) -> ScheduledJob? {
        guard !partners.profiles.isEmpty else { return nil }
        return ScheduledJob(name: jobName, schedule: .every(.seconds(86_400))) { firing in
            let expiring = partners.expiring(within: window, now: firing.firedAt)
            guard !expiring.isEmpty else { return nil }
            var appends: [StreamAppend] = []
            for e in expiring {
                logger.warning("certificate expiring", metadata: ["partner": "\(e.partner)", "role": "\(e.role)", "path": "\(e.path)", "notAfter": "\(e.notAfter)"])
                let data: JSONValue = [
                    "partner": .string(e.partner), "role": .string(e.role), "path": .string(e.path), "subject": .string(e.subject),
                    "notAfter": EventTime.encode(e.notAfter), "fingerprintSHA256": .string(e.fingerprint),
                    "daysLeft": .number(Double(Int((e.notAfter.timeIntervalSince(firing.firedAt) / 86_400).rounded(.down)))),
                ]
                appends.append(StreamAppend(stream: StreamName(category: DeliveryFailure.topic.category, id: "partner.\(e.partner)"),
                                            events: [NewEvent(type: eventType, data: data.serialized(), metadata: EventMetadata(source: jobName))]))
            }
            return AppendTransaction(appends: appends)
        }
    }

    /// Every partner certificate with its expiry, soonest first (the console's overview).
    static func all(_ partners: PartnerDirectory) -> [ConsoleStatus.Certificate] {
        // A window past any certificate's end lists them all.
        partners.expiring(within: .seconds(200 * 365 * 86_400), now: Date()).map {
            ConsoleStatus.Certificate(partner: $0.partner, role: $0.role, subject: $0.subject, notAfter: $0.notAfter, fingerprintSHA256: $0.fingerprint)
        }
    }

    /// The `/readyz` detail lines.
    static func statusLines(_ partners: PartnerDirectory, now: Date = Date()) -> [String] {
        partners.expiring(within: window, now: now).map { "certificate: \($0)" }
    }

    /// The listener's own certificate (`http.tls`), when it expires within the window.
    static func statusLines(listener: GatewayTLSContext.Loaded?, now: Date = Date()) -> [String] {
        guard let listener, listener.notAfter < now.addingTimeInterval(TimeInterval(window.components.seconds)) else { return [] }
        let when = UTCTimestamp(millisecondsSince1970: Int64(listener.notAfter.timeIntervalSince1970 * 1000)).rfc3339
        return ["certificate: listener \(listener.settings.certificate) (\(listener.subject)) \(listener.notAfter < now ? "expired" : "expires") \(when)"]
    }
}
