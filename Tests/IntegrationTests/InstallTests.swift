import Foundation
import HTTPClient
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `scripts/install.sh` as a packager or an operator runs it: the layout it writes, and the
/// installed binary working from `/` as its working directory (the shipped mappings are found
/// from the executable, not from a checkout).
@Suite("Installed daemon", .serialized)
struct InstallTests {
    static let script = BuiltProducts.repositoryRoot.appendingPathComponent("scripts/install.sh").path

    func install(_ environment: [String: String]) throws -> String {
        var environment = environment
        environment["PAKLOG_BINARY"] = try BuiltProducts.executable("paklog")
        let result = try QuickstartTests.run(Self.script, in: BuiltProducts.repositoryRoot.path, environment: environment)
        #expect(result.status == 0, "install.sh failed:\n\(result.output)")
        return result.output
    }

    @Test("DESTDIR install: binary, mappings, unit, sysusers, tmpfiles, example configuration and fresh secrets; the binary works from /")
    func destdirLayout() async throws {
        let root = try TemporaryDirectory()
        _ = try install(["DESTDIR": root.path])
        for file in [
            "usr/local/bin/paklog", "usr/local/share/paklog/Mappings/examples/order-to-canonical.yaml",
            "usr/local/share/paklog/Mappings/examples/fixtures/order-minimal.json", "usr/local/share/doc/paklog/README.md",
            "usr/local/lib/systemd/system/paklog.service", "usr/local/lib/sysusers.d/paklog.conf", "usr/local/lib/tmpfiles.d/paklog.conf",
            "etc/paklog/paklog.yaml", "etc/paklog/secrets/orders-webhook.secret", "etc/paklog/secrets/api-token",
        ] {
            #expect(FileManager.default.fileExists(atPath: root.path + "/" + file), "\(file) is not installed")
        }
        let binary = root.path + "/usr/local/bin/paklog"
        let secret = try String(contentsOfFile: root.path + "/etc/paklog/secrets/orders-webhook.secret", encoding: .utf8)
        #expect(secret.hasPrefix("whsec_") && secret != "whsec_", "a generated Standard Webhooks secret")

        // A second run keeps the operator's configuration and secrets.
        _ = try install(["DESTDIR": root.path])
        #expect(try String(contentsOfFile: root.path + "/etc/paklog/secrets/orders-webhook.secret", encoding: .utf8) == secret)

        // From /: the example configuration and the embedded default both check, their mapping
        // found in <prefix>/share/paklog.
        let example = try QuickstartTests.run("'\(binary)' config check '\(root.path)/etc/paklog/paklog.yaml'", in: "/", environment: [:])
        #expect(example.status == 0, "\(example.output)")
        #expect(example.output.contains("OK (1 sources, 1 endpoints, 1 routes)"), "\(example.output)")
        let embedded = try QuickstartTests.run("'\(binary)' config check --default", in: "/", environment: [:])
        #expect(embedded.status == 0, "\(embedded.output)")

        // Served from /: a webhook signed with the generated secret is mapped by the installed mapping.
        let port = freeLoopbackPort()
        let served = root.path + "/etc/paklog/served.yaml"
        let store = root.path + "/var/lib/paklog/paklog.sqlite"
        var text = try String(contentsOfFile: root.path + "/etc/paklog/paklog.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "port: 8080", with: "port: \(port)")
            .replacingOccurrences(of: "path: /var/lib/paklog/paklog.sqlite", with: "path: \(store)")
        try Data(text.utf8).write(to: URL(fileURLWithPath: served))
        let daemon = try ChildProcess(binary, ["serve", "--config", served], directory: "/")
        defer { daemon.signal(SIGKILL) }
        let client = HTTPClient()
        try await waitUntilHealthy(client, port: port, daemon: daemon, timeout: .seconds(60))
        let webhook = try SignedWebhook.signed(id: "msg_install_1", body: try OrderFixture.body(orderNumber: 4242),
                                               orderNumber: 4242, secret: secret.trimmingCharacters(in: .whitespacesAndNewlines))
        let response = try await client.execute(webhook.request(to: "http://127.0.0.1:\(port)/webhooks/orders"))
        #expect(response.status == 202, "\(String(decoding: response.body, as: UTF8.self))\n\(daemon.standardError)")
        var mapped: [[String: Any]] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while mapped.isEmpty, ContinuousClock.now < deadline {
            mapped = try await paklogEventsRead(stream: "order-events", storePath: store).filter { ($0["type"] as? String) == "CanonicalOrder" }
            if mapped.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(mapped.count == 1, "the installed mapping made one CanonicalOrder:\n\(daemon.standardError)")
        #expect((mapped.first?["stream"] as? String) == "order-route.orders-to-canonical")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: .seconds(30)) == 0)
        await client.shutdown()
    }

    static let systemdAnalyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test("PREFIX install: the unit names the installed binary and configuration, and systemd-analyze verify accepts it",
          .enabled(if: systemdAnalyze != nil, "systemd-analyze is not installed on this machine: the unit is not verified"))
    func unitVerifies() throws {
        let root = try TemporaryDirectory()
        let prefix = root.path + "/opt/paklog"
        _ = try install(["PREFIX": prefix, "SYSCONFDIR": root.path + "/etc"])
        let unit = prefix + "/lib/systemd/system/paklog.service"
        let text = try String(contentsOfFile: unit, encoding: .utf8)
        #expect(text.contains("ExecStart=\(prefix)/bin/paklog serve --config \(root.path)/etc/paklog/paklog.yaml"))
        let verify = try QuickstartTests.run("'\(Self.systemdAnalyze!)' verify '\(unit)'", in: "/", environment: [:])
        #expect(verify.status == 0, "systemd-analyze verify:\n\(verify.output)")
        let tmpfiles = try String(contentsOfFile: prefix + "/lib/tmpfiles.d/paklog.conf", encoding: .utf8)
        #expect(tmpfiles.contains("d \(root.path)/etc/paklog 0750 root paklog -"))
    }
}
