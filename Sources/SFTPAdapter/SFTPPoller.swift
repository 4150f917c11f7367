import AdapterKit
import Codecs
import EventStore
import Foundation
import JSON
import Logging
import Messaging
import Metrics
import SFTP

/// One `sftp` source's connection and pick-ups, polled by its scheduled job. A connection that
/// fails is retried with backoff; a host key that is not the pinned one refuses the connection
/// and raises `SFTPHostKeyMismatch` on `error-events` (stream `error-partner.<name>`), once per
/// outage.
actor SFTPPoller {
    let source: String
    let partner: SFTPPartner
    let mediaType: String
    let inbox: Inbox
    let logger: Logger
    private var connection: SFTPConnection?
    private var pickups: [SFTPPickup]
    private var failures = 0
    private var retryAt: ContinuousClock.Instant?
    private var mismatchRaised = false
    private let backoff = SFTPBackoff(initial: .seconds(1), maximum: .seconds(300))

    init(source: String, partner: SFTPPartner, mediaType: String, inbox: Inbox, logger: Logger) {
        self.source = source
        self.partner = partner
        self.mediaType = mediaType
        self.inbox = inbox
        var logger = logger
        logger[metadataKey: "partner"] = "\(partner.profile.name)"
        self.logger = logger
        let disposal: SFTPPickupSettings.Disposal? = partner.settings.archive.map { .archive(directory: $0) } ?? .delete
        pickups = partner.settings.inbound.map { SFTPPickup(SFTPPickupSettings(directory: $0, disposal: disposal), logger: logger) }
    }

    func poll() async {
        if let retryAt, ContinuousClock.now < retryAt { return }
        let open: SFTPConnection
        if let c = connection, await c.isOpen {
            open = c
        } else {
            do {
                open = try await SFTPConnection.connect(partner.server, logger: logger)
            } catch {
                await failed(error)
                return
            }
            connection = open
            if failures > 0 { logger.info("SFTP connection restored", metadata: ["after": "\(failures) failures"]) }
            failures = 0
            mismatchRaised = false
        }
        for index in pickups.indices {
            var pickup = pickups[index]
            let directory = pickup.settings.directory
            do {
                let inbox = inbox, source = source, mediaType = mediaType, logger = logger, profile = partner.profile
                let store: @Sendable (SFTPPickedFile) async throws -> Void = { file in
                    try await SFTPPoller.store(file, from: directory, source: source, profile: profile, mediaType: mediaType, inbox: inbox, logger: logger)
                }
                let summary = try await pickup.poll(open, store: store)
                pickups[index] = pickup
                if !summary.taken.isEmpty || !summary.failed.isEmpty {
                    logger.info("SFTP poll", metadata: ["directory": "\(directory)", "summary": "\(summary)"])
                }
            } catch {
                pickups[index] = pickup
                connection = nil
                await open.close()
                await failed(error)
                return
            }
        }
    }

    func close() async {
        await connection?.close()
        connection = nil
    }

    /// The durable commit of one file; a redelivery (a claim taken over after a crash) finds its key.
    private static func store(_ file: SFTPPickedFile, from directory: String, source: String, profile: PartnerProfile, mediaType: String,
                              inbox: Inbox, logger: Logger) async throws {
        let partner = profile.name
        let headers = ["filename": file.name.value, "sftp-directory": directory, "content-type": mediaType,
                       "sftp-size": String(file.size), "sftp-modified": String(file.modified)]
        let envelope = Envelope(source: source, partner: partner, headers: headers, body: file.content,
                                idempotencyKey: "sftp:\(directory)/\(file.name.value):\(file.modified):\(file.contentKey)")
        if let x12 = profile.x12, X12Receipt.applies(to: file.content) {
            // Checked against the partner's earlier control numbers and answered with its 997 in
            // the same transaction.
            let outcome = try await X12Receipt(partner: profile.name, acknowledgeBy: x12.acknowledgeBy)
                .commit(envelope, idempotencyKey: Inbox.idempotencyKey(of: envelope), store: inbox.store)
            if outcome.result.wasDuplicate { logger.info("SFTP file already stored", metadata: ["file": "\(file.name.value)"]) }
            if let refused = outcome.refused {
                logger.warning("X12 file repeats control numbers; kept as dead letter", metadata: ["file": "\(file.name.value)", "reason": "\(refused)"])
            }
            if let gap = outcome.outOfSequence { logger.warning("X12 interchange out of sequence", metadata: ["file": "\(file.name.value)", "sequence": "\(gap)"]) }
            return
        }
        let receipt = try await inbox.accept(envelope)
        if receipt.duplicate { logger.info("SFTP file already stored", metadata: ["file": "\(file.name.value)", "position": "\(receipt.position)"]) }
    }

    private func failed(_ error: SFTPError) async {
        failures += 1
        let delay = backoff.delay(afterFailures: failures, unitRandom: Double.random(in: 0..<1))
        retryAt = ContinuousClock.now + delay
        Counter(label: "paklog_sftp_failures_total", dimensions: [("source", source)]).increment()
        logger.warning("SFTP poll failed", metadata: ["error": "\(error)", "failures": "\(failures)", "retryIn": "\(delay)"])
        if case .hostKeyMismatch(let host, let expected, let received) = error, !mismatchRaised {
            let data: JSONValue = ["partner": .string(partner.profile.name), "source": .string(source), "host": .string(host),
                                   "expected": .string(expected.description), "received": .string(received.description)]
            do {
                _ = try await inbox.store.append(AppendTransaction(appends: [StreamAppend(
                    stream: StreamName(category: DeliveryFailure.topic.category, id: "partner.\(partner.profile.name)"),
                    events: [NewEvent(type: "SFTPHostKeyMismatch", data: data.serialized(), metadata: EventMetadata(source: source))])]))
                mismatchRaised = true
            } catch {
                logger.error("could not record the host key mismatch", metadata: ["error": "\(error)"])
            }
        }
    }
}
