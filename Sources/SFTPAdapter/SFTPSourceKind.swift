import AdapterKit
import Foundation
import Messaging
import ServiceLifecycle
import SFTP
import StrictYAML

/// The `sftp` source kind: polls a partner's inbound directories on its server and puts every
/// file in the inbox once.
///
/// ```yaml
/// sources:
///   acme-files:
///     type: sftp
///     partner: acme-3pl          # its profile's sftp: host, user, key, pinned hostKey, inbound, archive, every
///     mediaType: application/edi-x12
/// ```
///
/// A file is taken only when its size and mtime held across two polls; it is claimed by a
/// rename, stored (key `sftp:<directory>/<name>:<mtime>:<sha256>`), and only then archived or
/// deleted. A crash at any point leaves it claimed, and the next poll takes it over: it is
/// stored once and archived once. Each source has its own connection and job, so one
/// partner's outage never holds up another's.
public struct SFTPSourceKind: SourceKind {
    public init() {}

    public let type = "sftp"
    public let keys = ["partner", "mediaType"]

    public func configuration(_ section: ConfigurationSection) -> (any SourceConfiguration)? {
        let m = section.mapping
        guard let node = m.required("partner"), let profile = section.partner(node) else { return nil }
        do {
            let partner = try SFTPPartner(profile)
            if partner.settings.inbound.isEmpty { node.report("partner '\(profile.name)' has no sftp.inbound directories to poll") }
            return SFTPSourceConfiguration(partner: partner, mediaType: m.optional("mediaType")?.string() ?? "application/edi-x12")
        } catch {
            node.report(error.description)
            return nil
        }
    }
}

struct SFTPSourceConfiguration: SourceConfiguration {
    let partner: SFTPPartner

    var partnerNames: [String] { [partner.profile.name] }
    let mediaType: String

    func makeSource(_ context: SourceContext) throws -> any Source {
        let poller = SFTPPoller(source: context.name, partner: partner, mediaType: mediaType, inbox: context.inbox, logger: context.logger)
        let job = ScheduledJob(name: "sftp-poll-\(context.name)", schedule: .every(partner.settings.every, jitter: 0.1)) { _ in
            await poller.poll()
            return nil
        }
        return SFTPSource(job: job, scheduler: context.scheduler, poller: poller)
    }

    /// Settings hold credentials that are not compared: a reload rebuilds the source.
    func isSame(as other: any SourceConfiguration) -> Bool { false }
}

struct SFTPSource: Source {
    let job: ScheduledJob
    let scheduler: Scheduler
    let poller: SFTPPoller

    var services: [any Service] { [PollService(job: job, scheduler: scheduler, poller: poller)] }

    struct PollService: Service {
        let job: ScheduledJob
        let scheduler: Scheduler
        let poller: SFTPPoller

        func run() async throws {
            await cancelWhenGracefulShutdown {
                await scheduler.run(job)
            }
            await poller.close()
        }
    }
}
