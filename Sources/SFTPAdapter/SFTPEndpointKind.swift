import AdapterKit
import Foundation
import Logging
import Messaging
import SFTP
import StrictYAML
import X12Exchange

/// The `sftp` endpoint kind: puts each outbox message as a file in the partner's outbound
/// directory, under a temporary name first and renamed when complete, so the partner never
/// reads half a file.
///
/// ```yaml
/// endpoints:
///   acme-drop:
///     type: sftp
///     partner: acme-3pl      # its profile's sftp settings; files go to sftp.outbound
///     directory: /in/945     # instead of sftp.outbound
/// ```
///
/// The file is named by the message's `filename` header, else `<message id>.edi`. A redelivery
/// that finds its own file already there (same name, same bytes) is delivered; a different
/// file under that name is a permanent failure. For a partner with `x12` settings, an X12 file
/// counts as delivered only when the partner's 997/999 accepts it (key
/// `x12:<ISA08>:<GS01>:<GS06>`, within `x12.acknowledgmentTimeout`), as for the `as2` kind.
public struct SFTPEndpointKind: EndpointKind {
    public init() {}

    public let type = "sftp"
    public let keys = ["partner", "directory"]

    public func configuration(_ section: ConfigurationSection) -> (any EndpointConfiguration)? {
        let m = section.mapping
        guard let node = m.required("partner"), let profile = section.partner(node) else { return nil }
        do {
            let partner = try SFTPPartner(profile)
            guard let directory = m.optional("directory")?.string() ?? partner.settings.outbound else {
                node.report("partner '\(profile.name)' has no sftp.outbound; set directory")
                return nil
            }
            return SFTPEndpointConfiguration(partner: partner, directory: directory)
        } catch {
            node.report(error.description)
            return nil
        }
    }
}

struct SFTPEndpointConfiguration: EndpointConfiguration {
    let partner: SFTPPartner
    let directory: String

    var partnerNames: [String] { [partner.profile.name] }

    /// A partner that trades X12 answers each file with a 997/999: wait for it.
    var defaultAcknowledgment: AcknowledgmentPolicy? {
        partner.profile.x12.map { AcknowledgmentPolicy(timeout: $0.acknowledgmentTimeout) }
    }

    func makeEndpoint(_ context: EndpointContext) throws -> any Endpoint {
        SFTPEndpoint(partner: partner, directory: directory, connections: SFTPConnectionHolder(settings: partner.server, logger: context.logger))
    }

    func isSame(as other: any EndpointConfiguration) -> Bool { false }
}

/// One connection per endpoint, opened when needed and again after it fails.
actor SFTPConnectionHolder {
    let settings: SFTPServerSettings
    let logger: Logger
    private var connection: SFTPConnection?

    init(settings: SFTPServerSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    func open() async throws(SFTPError) -> SFTPConnection {
        if let c = connection, await c.isOpen { return c }
        let c = try await SFTPConnection.connect(settings, logger: logger)
        connection = c
        return c
    }

    func discard(_ c: SFTPConnection) async {
        if connection === c { connection = nil }
        await c.close()
    }
}

struct SFTPEndpoint: Endpoint {
    let partner: SFTPPartner
    let directory: String
    let connections: SFTPConnectionHolder

    func deliver(_ message: OutboxMessage) async throws -> DeliveryOutcome {
        let bytes = message.raw?.bytes ?? message.body.serialized()
        let name: SFTPRemoteName
        do {
            name = try SFTPRemoteName(message.headers["filename"] ?? "\(message.id.uuidString.lowercased()).edi")
        } catch {
            return .permanent(reason: "file name '\(message.headers["filename"] ?? "")' is not usable: \(error)", statusCode: nil)
        }
        let connection: SFTPConnection
        do { connection = try await connections.open() } catch {
            if case .hostKeyMismatch = error { return .retryable(reason: "refused: \(error)", statusCode: nil, retryAfter: .seconds(300)) }
            return .retryable(reason: error.description, statusCode: nil, retryAfter: nil)
        }
        do {
            // The temporary name is the message's: a redelivery after a crash mid-upload
            // overwrites what the crash left instead of leaving it behind.
            try await connection.upload(bytes, directory: directory, name: name, attempt: message.id.uuidString)
            return delivered(bytes)
        } catch {
            if case .targetExists = error {
                // Ours from an earlier attempt whose answer was lost, or someone else's file.
                if let existing = try? await connection.readFile(SFTPPath.join(directory, name)), existing == bytes { return delivered(bytes) }
                return .permanent(reason: "a different file named \(name.value) is already in \(directory)", statusCode: nil)
            }
            if !(await connection.isOpen) { await connections.discard(connection) }
            return .retryable(reason: error.description, statusCode: nil, retryAfter: nil)
        }
    }

    /// Delivered; an X12 file to a partner with `x12` settings names the 997 it awaits, and a
    /// 997 or TA1 of ours awaits nothing.
    private func delivered(_ bytes: [UInt8]) -> DeliveryOutcome {
        guard partner.profile.x12 != nil else { return .delivered(statusCode: nil) }
        switch X12AcknowledgmentKey.expectation(ofSent: bytes) {
        case .acknowledgment(let key): return .delivered(statusCode: nil, reply: EndpointReply(statusCode: nil, body: [], acknowledgmentKey: key))
        case .nothing: return .delivered(statusCode: nil, reply: EndpointReply(statusCode: nil, body: [], awaitsAcknowledgment: false))
        case .notX12: return .delivered(statusCode: nil)
        }
    }
}
