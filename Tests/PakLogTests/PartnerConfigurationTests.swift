import AdapterKit
import Foundation
import PakLog
import StrictYAML
import Testing

/// The `partners` section and the `as2` kinds that name partners: every mistake reported with
/// its place, keys only by reference, certificates read at once.
@Suite("Partner profiles in the configuration")
struct PartnerConfigurationTests {
    /// A directory with a key pair and a second, unrelated certificate, made with openssl.
    final class KeyFiles {
        let directory: String
        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("paklog-partners-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for name in ["ours", "theirs"] {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
                // EC P-256: generated in milliseconds (these tests read profiles; no AS2 crypto runs).
                p.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                               "-keyout", "\(directory)/\(name).key", "-out", "\(directory)/\(name).pem",
                               "-days", name == "theirs" ? "5" : "400", "-subj", "/CN=\(name)"]
                p.standardError = FileHandle.nullDevice
                try p.run()
                p.waitUntilExit()
            }
        }
        deinit { try? FileManager.default.removeItem(atPath: directory) }
    }

    struct Problems: Error { let lines: [String] }

    func load(_ yaml: String, in directory: String) -> Result<PakLogConfiguration, Problems> {
        do {
            return .success(try ConfigurationLoader(environment: [:]).load(text: yaml, file: "paklog.yaml", baseDirectory: directory))
        } catch {
            return .failure(Problems(lines: error.diagnostics.map(\.description)))
        }
    }

    func partnerYAML(key: String = "\"file:ours.key\"", signing: String = "sha256", certificate: String = "ours.pem") -> String {
        """
        partners:
          acme:
            as2: {name: ACME, ourName: PAKLOG, url: "https://as2.acme.example/as2", signing: \(signing), encryption: aes256}
            certificates: {signing: [theirs.pem]}
            ours: {certificate: \(certificate), key: \(key)}
        """
    }

    @Test func aProfileLoadsWithItsCertificatesAndTheAS2KindsNameIt() throws {
        let files = try KeyFiles()
        let yaml = partnerYAML() + """

            sources:
              as2-in: {type: as2, partners: [acme]}
            endpoints:
              acme-out: {type: as2, partner: acme}
            """
        let config = try load(yaml, in: files.directory).get()
        let acme = try #require(config.partners["acme"])
        #expect(acme.as2?.name == "ACME")
        #expect(acme.certificates.signing.first?.certificate.subject == "CN=theirs")
        #expect(acme.ours?.keyOrigin == "file:ours.key")
        #expect(config.sources.map(\.type) == ["as2"])
        #expect(config.endpoints.map(\.type) == ["as2"])
        // The partner's 5-day certificate is the only one expiring within 30 days.
        #expect(config.partners.expiring().map(\.role) == ["signing"])
    }

    @Test func mistakesAreReportedWhereTheyAre() throws {
        let files = try KeyFiles()
        guard case .failure(let inline) = load(partnerYAML(key: "\"-----BEGIN PRIVATE KEY-----\""), in: files.directory) else { Issue.record("inline key accepted"); return }
        #expect(inline.lines.contains { $0.contains("partners.acme.ours.key") && $0.contains("only by reference") }, "\(inline)")

        guard case .failure(let mismatch) = load(partnerYAML(certificate: "theirs.pem"), in: files.directory) else { Issue.record("wrong key accepted"); return }
        #expect(mismatch.lines.contains { $0.contains("is not the key of theirs.pem") }, "\(mismatch)")

        guard case .failure(let missing) = load(partnerYAML(certificate: "nowhere.pem"), in: files.directory) else { Issue.record("missing file accepted"); return }
        #expect(missing.lines.contains { $0.contains("partners.acme.ours.certificate") && $0.contains("nowhere.pem") }, "\(missing)")

        let badDigest = partnerYAML(signing: "md5") + "\nendpoints:\n  acme-out: {type: as2, partner: acme}\n"
        guard case .failure(let digest) = load(badDigest, in: files.directory) else { Issue.record("md5 accepted"); return }
        #expect(digest.lines.contains { $0.contains("as2.signing 'md5' is not sha1, sha256, sha384 or sha512") }, "\(digest)")

        let unknown = partnerYAML() + "\nsources:\n  as2-in: {type: as2, partners: [acme, globex]}\n"
        guard case .failure(let name) = load(unknown, in: files.directory) else { Issue.record("unknown partner accepted"); return }
        #expect(name.lines.contains { $0.contains("sources.as2-in.partners[1]") && $0.contains("'globex' is not a configured partner (partners: acme)") }, "\(name)")
    }
    @Test("mutual TLS on a partner route: a partner without certificates.tls, a listener that asks for no client certificates, and TLS files that do not fit are refused with their places")
    func clientCertificatesAreCheckedWhereTheyAre() async throws {
        let files = try KeyFiles()
        let noTLS = partnerYAML() + "\nsources:\n  as2-in: {type: as2, partners: [acme], clientCertificate: required}\n"
        guard case .failure(let unknown) = load(noTLS, in: files.directory) else { Issue.record("a partner without certificates.tls accepted"); return }
        #expect(unknown.lines.contains { $0.contains("sources.as2-in.clientCertificate") && $0.contains("partner 'acme' has no certificates.tls") }, "\(unknown)")

        let withTLS = partnerYAML().replacingOccurrences(of: "certificates: {signing: [theirs.pem]}", with: "certificates: {signing: [theirs.pem], tls: [theirs.pem]}")
            + "\nsources:\n  as2-in: {type: as2, partners: [acme], clientCertificate: required}\n"
        let plain = try load(withTLS, in: files.directory).get()
        await #expect { try await ConfigurationCheck.validate(plain) } throws: { "\($0)".contains("requires a TLS client certificate, but the listener asks for none") }
        let listening = try load(withTLS + "http: {tls: {certificate: ours.pem, privateKey: ours.key, clientCA: [theirs.pem]}}\n", in: files.directory).get()
        try await ConfigurationCheck.validate(listening)
        #expect(listening.http.tls?.clientCA == [files.directory + "/theirs.pem"])

        guard case .failure(let misfit) = load("http: {tls: {certificate: ours.pem, privateKey: theirs.key}}\n", in: files.directory) else {
            Issue.record("a key that is not the certificate's accepted"); return
        }
        #expect(misfit.lines.contains { $0.contains("http.tls") && $0.contains("theirs.key does not fit") }, "\(misfit)")
    }

    @Test func anX12OutputStepNamesAPartnerThatTradesX12() async throws {
        let files = try KeyFiles()
        let mapping = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Mappings/x12/945-from-order-shipped.yaml").path
        func yaml(_ x12: String, step: String) -> String {
            """
            partners:
              acme: {\(x12)}
              globex: {sftp: {host: h, username: u, password: p, hostKey: "SHA256:\(String(repeating: "A", count: 43))", outbound: /in}}
            endpoints:
              acme-drop: {type: sftp, partner: globex}
            routes:
              - name: advices
                from: topic:order-events
                steps:
                  - transform: \(step)
                  - to: [acme-drop]
            """
        }
        let good = try load(yaml("x12: {qualifier: ZZ, id: ACME3PL, ours: {qualifier: \"12\", id: \"5551234567\"}, usage: T, acknowledgeBy: acme-drop}",
                                 step: "{mapping: \(mapping), partner: acme}"), in: files.directory).get()
        #expect(good.partners["acme"]?.x12?.ourId == "5551234567")
        #expect(good.partners["acme"]?.x12?.usage == "T")
        try await ConfigurationCheck.validate(good)

        for (step, expected) in [(mapping, "name the partner it goes to"), ("{mapping: \(mapping), partner: globex}", "partner 'globex' has no x12 settings"),
                                 ("{mapping: \(mapping), partner: nobody}", "no partner 'nobody' (partners: acme, globex)")] {
            let config = try load(yaml("x12: {qualifier: ZZ, id: ACME3PL}", step: step), in: files.directory).get()
            await #expect { try await ConfigurationCheck.validate(config) } throws: { "\($0)".contains(expected) }
        }
        guard case .failure(let bad) = load(yaml("x12: {qualifier: ZZ, id: ACME3PL, usage: Q, acknowledgeBy: nowhere}", step: mapping), in: files.directory) else {
            Issue.record("usage Q and an unknown acknowledgeBy accepted"); return
        }
        #expect(bad.lines.contains { $0.contains("usage is P (production) or T (test)") }, "\(bad)")
        #expect(bad.lines.contains { $0.contains("x12.acknowledgeBy 'nowhere' is not a configured endpoint") }, "\(bad)")
    }
}
