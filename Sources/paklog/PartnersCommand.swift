import AS2Adapter
import AdapterKit
import ArgumentParser
import EventStore
import Foundation
import HTTPClient
import Logging
import Messaging
import PakLog

/// `paklog partners …`: the trading partners of a configuration, their transports and
/// certificates.
struct PartnersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partners",
        abstract: "List the configured partners, or show one with its certificates and their expiry.",
        subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per partner: AS2 name, X12 id, SFTP host, the soonest certificate expiry.")
        @Option(help: "The YAML configuration file.") var config: String

        func run() async throws {
            let partners = try PartnersCommand.load(config)
            for name in partners.profiles.keys.sorted() {
                let p = partners.profiles[name]!
                let soonest = p.allCertificates.map(\.certificate.certificate.notAfter).min()
                var fields = [name]
                fields.append("as2=\(p.as2.map { $0.name } ?? "-")")
                fields.append("x12=\(p.x12.map { "\($0.qualifier):\($0.id)" } ?? "-")")
                fields.append("sftp=\(p.sftp.map { "\($0.host):\($0.port)" } ?? "-")")
                fields.append("certificates-until=\(soonest.map(PartnersCommand.day) ?? "-")")
                print(fields.joined(separator: "  "))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A partner's profile: identifiers, transports, certificates with subject, fingerprint and days left.")
        @Argument var name: String
        @Option(help: "The YAML configuration file.") var config: String

        func run() async throws {
            let partners = try PartnersCommand.load(config)
            guard let p = partners[name] else { throw ValidationError("no partner '\(name)' (partners: \(partners.profiles.keys.sorted().joined(separator: ", ")))") }
            print("partner \(p.name)  (\(p.location))")
            if let a = p.as2 {
                print("  as2: name \(a.name), ours \(a.ourName), url \(a.url ?? "-"), signing \(a.signing ?? "none"), encryption \(a.encryption ?? "none"), compress \(a.compress), mdn \(a.mdn.rawValue) signed \(a.mdnSigning ?? "no")")
                print("       requires signature \(a.requireSignature), encryption \(a.requireEncryption)")
            }
            if let x = p.x12 {
                print("  x12: \(x.qualifier):\(x.id) application \(x.applicationId ?? "-"), ours \(x.ourQualifier):\(x.ourId), usage \(x.usage), 997 within \(x.acknowledgmentTimeout), our 997s by \(x.acknowledgeBy ?? "none")")
            }
            if let s = p.sftp {
                print("  sftp: \(s.username)@\(s.host):\(s.port) host key \(s.hostKey), auth \(s.privateKeyPath != nil ? "key" : "password"), inbound \(s.inbound), archive \(s.archive ?? "delete"), outbound \(s.outbound ?? "-")")
            }
            for (role, file) in p.allCertificates {
                let c = file.certificate
                let days = Int((c.notAfter.timeIntervalSinceNow / 86_400).rounded(.down))
                print("  certificate \(role): \(file.path)\n    subject \(c.subject)\n    valid \(PartnersCommand.day(c.notBefore)) to \(PartnersCommand.day(c.notAfter)) (\(days < 0 ? "EXPIRED" : "\(days) days left"))\n    SHA-256 \(c.sha256Fingerprint)")
            }
            if let o = p.ours { print("  our key: \(o.keyOrigin)") }
            // The exchanges, from the daemon's store (read only; the daemon may be running).
            let settings = try PartnersCommand.loadConfiguration(config)
            let path = settings.storage.path
            guard FileManager.default.fileExists(atPath: path) else {
                print("  exchanges: no event store at \(path) yet")
                return
            }
            var logger = Logger(label: "paklog.cli")
            logger.logLevel = .warning
            let store = try SQLiteEventStore(path: path, durability: .full, logger: logger)
            let lines = try await PartnerActivity(configuration: settings, partner: name).lines(store: store)
            await store.close()
            print("  exchanges:")
            for line in lines { print(line) }
        }
    }

    static func load(_ path: String) throws -> PartnerDirectory { try loadConfiguration(path).partners }

    static func loadConfiguration(_ path: String) throws -> PakLogConfiguration {
        do {
            return try ConfigurationSource.file(path).load()
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    static func day(_ date: Date) -> String { String(ISO8601DateFormatter().string(from: date).prefix(10)) }
}

/// `paklog as2 send PARTNER FILE`.
struct AS2Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "as2", abstract: "Send a file to an AS2 partner by hand.", subcommands: [Send.self])

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send FILE to PARTNER as its profile says and check the synchronous MDN (exit 0 only for a positive MDN with our MIC).",
            discussion: "A manual resend: it goes straight to the partner, not through the daemon's outbox, and is not recorded in the log.")
        @Argument var partner: String
        @Argument var file: String
        @Option(help: "The YAML configuration file.") var config: String
        @Option(help: "The payload's media type.") var mediaType = "application/edi-x12"

        func run() async throws {
            let partners = try PartnersCommand.load(config)
            guard let profile = partners[partner] else { throw ValidationError("no partner '\(partner)'") }
            let content = try readInput(file)
            let client = HTTPClient()
            let result: AS2ManualSend.Result
            do {
                result = try await AS2ManualSend.send(content, filename: URL(fileURLWithPath: file).lastPathComponent, mediaType: mediaType, to: profile, client: client)
            } catch {
                await client.shutdown()
                throw ValidationError("\(error)")
            }
            await client.shutdown()
            switch result.outcome {
            case .delivered(let status, _):
                print("delivered: Message-ID <\(result.messageID)>, HTTP \(status.map(String.init) ?? "-"), MDN processed, MIC matches")
            case .retryable(let reason, _, _), .permanent(let reason, _):
                FileHandle.standardError.write(Data("not delivered: Message-ID <\(result.messageID)>: \(reason)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
