import Foundation
import HTTPClient
import Testing

/// The operations console (issue 26) in a real browser: Debian's headless Chromium driven by
/// selenium (Tests/Support/Peers/console_browser.py) against the real daemon, with a webhook
/// that is delivered and one whose delivery the receiver refuses until it is dead-lettered.
@Suite("Operations console in a browser", .serialized)
struct ConsoleBrowserTests {
    /// Where the screenshots go (kept after the run, for people to look at).
    static let screenshots = BuiltProducts.repositoryRoot.appendingPathComponent(".build/console-screenshots").path

    @Test("log in with an API key, see the overview's rows, find a webhook's exchange on \"where is it?\", dry-run and replay a dead letter and see it delivered, read the live feed, log out",
          .timeLimit(.minutes(5)))
    func consoleInChromium() async throws {
        let root = BuiltProducts.repositoryRoot.path
        let setup = try ChildProcess(root + "/scripts/peers/selenium.sh", [])
        #expect(await setup.wait(timeout: .seconds(240)) == 0, "selenium setup: \(setup.standardError)")
        for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
            try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) is missing: apt-get install chromium chromium-driver (scripts/bootstrap.sh)")
        }

        // One redelivery 100 ms later, and a breaker that this little traffic cannot open.
        let rig = try await EndToEndRig.start { endpoint in
            endpoint.maximumRedeliveries = 1
            endpoint.redeliveryDelay = "100ms"
            endpoint.minimumNumberOfCalls = 100
        }
        let receiver = try #require(rig.receiver)
        let base = "http://127.0.0.1:\(rig.daemon.port)"
        let admin: HTTPHeaders = ["Authorization": "Bearer end-to-end-test-token"]
        func control(_ failRate: String) async throws {
            let r = try await rig.client.execute(HTTPRequest(method: .post, url: "http://127.0.0.1:\(receiver.port)/_control/fail-rate?value=\(failRate)"))
            #expect(r.status == 200, "receiver control: \(r.status)")
        }

        // Three orders delivered.
        let delivered = try (1...3).map { n in try SignedWebhook.signed(id: "console-ok-\(n)", body: OrderFixture.body(orderNumber: 7100 + n), orderNumber: 7100 + n) }
        let sent = await WebhookSender.send(delivered, to: rig.daemon.webhookURL, client: rig.client, concurrency: 3)
        #expect(sent.allSatisfy { $0.status == 202 }, "\(sent.map(\.body))")
        let missing = await rig.awaitDeliveries(of: Set(delivered.compactMap(\.canonicalOrderId)), timeout: .seconds(60))
        #expect(missing.isEmpty, "not delivered: \(missing)")

        // Two orders the receiver refuses (503) until they are dead-lettered (one to replay, one
        // to discard); then it accepts again.
        try await control("1")
        let failing = try [7198, 7199].map { n in try SignedWebhook.signed(id: "console-dead-\(n)", body: OrderFixture.body(orderNumber: n), orderNumber: n) }
        let answers = await WebhookSender.send(failing, to: rig.daemon.webhookURL, client: rig.client, concurrency: 1)
        #expect(answers.allSatisfy { $0.status == 202 })
        let deadLettered = try await pollUntil(timeout: .seconds(60), interval: .milliseconds(300)) {
            let r = try await rig.client.execute(HTTPRequest(method: .get, url: base + "/api/v1/dlq/receiver", headers: admin))
            let text = String(decoding: r.body, as: UTF8.self)
            return r.status == 200 && text.contains("SHOP-7199") && text.contains("SHOP-7198")
        }
        #expect(deadLettered, "the refused order reached dlq-endpoint-receiver\n\(rig.daemon.log.suffix(3000))")
        try await control("0")
        // The API's dry run (the console calls the same operation): what would be sent, nothing written.
        let letters = try await rig.client.execute(HTTPRequest(method: .get, url: base + "/api/v1/dlq/receiver", headers: admin))
        let letterList = (try? JSONSerialization.jsonObject(with: Data(letters.body))) as? [[String: Any]] ?? []
        let letterId = try #require(letterList.first?["messageId"] as? String)
        let dry = try await rig.client.execute(HTTPRequest(method: .post, url: base + "/api/v1/dlq/receiver/\(letterId)/replay?dryRun=true", headers: admin))
        let plan = (try? JSONSerialization.jsonObject(with: Data(dry.body))) as? [String: Any]
        #expect(dry.status == 200 && plan?["deadLetter"] as? String == letterId && (plan?["differences"] as? [Any])?.isEmpty == true,
                "dry run through the API: \(dry.status) \(String(decoding: dry.body, as: UTF8.self).prefix(500))")
        let unknown = try await rig.client.execute(HTTPRequest(method: .post, url: base + "/api/v1/dlq/receiver/00000000-0000-0000-0000-000000000000/replay", headers: admin))
        #expect(unknown.status == 404, "replay of an unknown dead letter: \(unknown.status)")

        // A key with the scopes the console's pages and actions ask for (not admin).
        let created = try ChildProcess(try BuiltProducts.executable("paklog"),
                                       ["keys", "create", "console-operator", "--scopes", "metrics:read,events:read,dlq:read,dlq:replay,dlq:discard",
                                        "--config", rig.daemon.configPath])
        #expect(await created.wait(timeout: .seconds(30)) == 0, "\(created.standardError)")
        let key = created.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let keyWorks = try await pollUntil(timeout: .seconds(10)) {
            try await rig.client.execute(HTTPRequest(method: .get, url: base + "/api/v1/where?key=console-ok-1", headers: ["Authorization": "Bearer \(key)"])).status == 200
        }
        #expect(keyWorks, "the daemon picked up the new key")
        // The index has seen the delivery before the browser looks (it follows the log).
        let indexed = try await pollUntil(timeout: .seconds(20)) {
            let r = try await rig.client.execute(HTTPRequest(method: .get, url: base + "/api/v1/where?key=console-ok-1", headers: admin))
            return String(decoding: r.body, as: UTF8.self).contains("MessageDelivered")
        }
        #expect(indexed, "where?key=console-ok-1 shows the delivery")

        try? FileManager.default.removeItem(atPath: Self.screenshots)
        let browser = try ChildProcess(root + "/.build/peers/selenium/bin/python", [
            root + "/Tests/Support/Peers/console_browser.py", "--url", base, "--key", key, "--webhook-id", "console-ok-1",
            "--dead-order", "SHOP-7199", "--discard-order", "SHOP-7198", "--shots", Self.screenshots,
        ])
        let status = await browser.wait(timeout: .seconds(180))
        print("console screenshots: \(Self.screenshots)")
        #expect(status == 0, "browser check failed:\n\(browser.standardOutput)\n\(browser.standardError.suffix(3000))")
        let report = (try? JSONSerialization.jsonObject(with: Data(browser.standardOutput.utf8))) as? [String: Any]
        #expect(report?["ok"] as? Bool == true, "\(browser.standardOutput)")
        for name in ["01-login-refused", "02-overview", "03-where-is-it", "05-dry-run", "07-replay-delivered", "08-live-events"] {
            #expect(FileManager.default.fileExists(atPath: "\(Self.screenshots)/\(name).png"), "screenshot \(name)")
        }

        // The same timeline from the command line: the order, dead-lettered, replayed, delivered.
        let cli = try ChildProcess(try BuiltProducts.executable("paklog"), ["where", "SHOP-7199", "--url", base, "--token", "end-to-end-test-token"])
        #expect(await cli.wait(timeout: .seconds(30)) == 0, "\(cli.standardError)")
        for type in ["MessageReceived", "DeadLettered", "DeadLetterReplayed", "MessageDelivered"] {
            #expect(cli.standardOutput.contains(type), "paklog where SHOP-7199 shows \(type):\n\(cli.standardOutput)")
        }
        print("paklog where SHOP-7199:\n\(cli.standardOutput)")

        // What the browser did is in the log: the replayed message delivered, the key never logged.
        let tally = ReceiverTally(records: receiver.records())
        #expect(tally.deliveredOrderIds.contains("SHOP-7199"), "the receiver got the replayed order")
        #expect(!tally.deliveredOrderIds.contains("SHOP-7198"), "the discarded order was not sent")
        let after = try await rig.client.execute(HTTPRequest(method: .get, url: base + "/api/v1/dlq/receiver", headers: admin))
        let statuses = ((try? JSONSerialization.jsonObject(with: Data(after.body))) as? [[String: Any]] ?? [])
            .compactMap { l in (l["message"] as? [String: Any]).flatMap { ($0["body"] as? [String: Any])?["orderId"] as? String }.map { ($0, l["status"] as? String ?? "") } }
        #expect(Dictionary(statuses, uniquingKeysWith: { $1 }) == ["SHOP-7199": "replayed", "SHOP-7198": "discarded"], "\(statuses)")
        #expect(!rig.daemon.log.contains(key), "the console's key is not in the daemon's log")
        _ = try await rig.finish()
    }
}
