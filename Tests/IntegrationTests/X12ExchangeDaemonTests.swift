import Foundation
import HTTPClient
import JSON
import PyAS2Support
import SSHServerSupport
import Testing

/// Issue 25's end to end: a 940 arrives by AS2 from pyas2lib, is answered with our 997 and
/// becomes an order; the order is picked, packed, labelled and shipped in the core; its 945
/// leaves by SFTP to a real sshd, numbered by the partner's counter, and the delivery is
/// complete when the partner's 997 for it comes back by SFTP.
@Suite("X12 with a partner through the daemon: 940 by AS2 in, 945 by SFTP out, 997s both ways", .serialized)
struct X12ExchangeDaemonTests {
    let token = "x12-test-token"

    func call(_ client: HTTPClient, _ port: Int, _ method: HTTPMethod, _ path: String, _ body: JSONValue? = nil) async throws -> (Int, JSONValue) {
        try await apiCall(client, port: port, token: token, method, path, body)
    }

    /// The files in `directory` whose content contains `marker`.
    func files(in directory: String, containing marker: String) -> [(name: String, text: String)] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted().compactMap { name in
            guard !name.hasPrefix("."), let data = FileManager.default.contents(atPath: directory + "/" + name) else { return nil }
            let text = String(decoding: data, as: UTF8.self)
            return text.contains(marker) ? (name, text) : nil
        }
    }

    /// Puts a file into the partner's side of the exchange the way an SFTP client would: whole,
    /// under its final name at once.
    func drop(_ text: String, as name: String, into directory: String) throws {
        let temporary = directory + "/../.\(name).tmp"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        try FileManager.default.moveItem(atPath: temporary, toPath: directory + "/" + name)
    }

    @Test("940 by AS2 → 997 back by SFTP and an order; pick, pack, label, ship → 945 by SFTP with ISA13 from the counter → the partner's 997 settles it; a repeated 997 is refused",
          .timeLimit(.minutes(4)))
    func nineFortyInNineFortyFiveOut() async throws {
        let sshd = try await SSHTestServer.start()
        defer { sshd.stop() }
        let inbound = sshd.filesDirectory + "/to-paklog", archive = sshd.filesDirectory + "/to-paklog-archive"
        let outbound = sshd.filesDirectory + "/from-paklog"
        for d in [inbound, outbound] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }

        let directory = try TemporaryDirectory()
        let peer = try await PyAS2Peer.make(directory: URL(fileURLWithPath: directory.path + "/as2"))
        let carrier = try await FaultServerProcess.start()
        defer { carrier.process.signal(SIGKILL) }
        let labelRoutes = try LabelRoutes.write(in: directory)
        let mappings = BuiltProducts.repositoryRoot.appendingPathComponent("Mappings/x12").path
        let port = freeLoopbackPort()
        let storePath = directory.path + "/paklog.sqlite"
        let configPath = try directory.write("paklog.yaml", """
            storage: {path: \(storePath), durability: full}
            http: {host: 127.0.0.1, port: \(port), apiTokens: ["\(token)"]}
            logging: {level: info, format: json}
            warehouse:
              ssccCompanyPrefix: "0614141"
              carriers:
                GROUND: {carrier: ups, service: GROUND}
                EXPRESS: {carrier: fedex, service: FEDEX_2_DAY}
            partners:
              acme:
                as2: {name: pyas2 partner, ourName: PAKLOG, mdnSigning: sha256}
                x12: {qualifier: ZZ, id: ACME3PL, ours: {qualifier: ZZ, id: PAKLOG}, acknowledgeBy: acme-drop, acknowledgmentTimeout: 120s}
                sftp: {host: 127.0.0.1, port: \(sshd.port), username: \(sshd.username), privateKey: \(sshd.clientKeyPath),
                       hostKey: "\(sshd.hostKeyFingerprint)", inbound: [\(inbound)], archive: \(archive), outbound: \(outbound), every: 500ms}
                certificates: {signing: [\(peer.theirs.certificateFile)]}
                ours: {certificate: \(peer.ours.certificateFile), key: "file:\(peer.ours.keyFile)"}
            sources:
              as2-in: {type: as2, partners: [acme]}
              acme-files: {type: sftp, partner: acme}
            endpoints:
              acme-drop: {type: sftp, partner: acme}
              carrier: {type: http, url: "\(carrier.url("/label"))", exchangePattern: InOut}
            routes:
              - name: orders-by-edi
                from: as2-in
                steps:
                  - transform: \(mappings)/940-to-create-order.yaml
                  - to: [command:CreateOrder]
              - name: partner-997s
                from: acme-files
                steps:
                  - transform: \(mappings)/997-to-acknowledgment.yaml
                  - to: [acknowledge:acme-drop]
            \(labelRoutes)
              - name: shipping-advices
                from: topic:order-events
                when: headers.eventType = 'OrderShipped'
                steps:
                  - transform: {mapping: \(mappings)/945-from-order-shipped.yaml, partner: acme}
                  - to: [acme-drop]
            """)
        let client = HTTPClient()
        let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        defer { daemon.signal(SIGKILL) }
        try await waitUntilHealthy(client, port: port, daemon: daemon, timeout: .seconds(60))
        func problems() -> String { daemon.standardError.split(separator: "\n").filter { $0.contains("warning") || $0.contains("error") }.suffix(20).joined(separator: "\n") }

        for (n, (type, body)) in [("DefineItem", ["commandId": "i1", "sku": "SKU-RED-S"] as JSONValue), ("DefineItem", ["commandId": "i2", "sku": "SKU-BLUE-M"]),
                                  ("DefineLocation", ["commandId": "l1", "location": "A-01-01", "zone": "A", "aisle": 0, "bay": 1]),
                                  ("DefineLocation", ["commandId": "l2", "location": "A-01-02", "zone": "A", "aisle": 0, "bay": 2]),
                                  ("ReceiveStock", ["commandId": "r1", "sku": "SKU-RED-S", "location": "A-01-01", "quantity": 10]),
                                  ("ReceiveStock", ["commandId": "r2", "sku": "SKU-BLUE-M", "location": "A-01-02", "quantity": 10])].enumerated() {
            let (status, answer) = try await call(client, port, "POST", "/api/v1/commands/\(type)", body)
            #expect(status == 200, "command \(n) \(type): \(answer)")
        }

        // The 940 by AS2 (signed, encrypted, compressed), as pyas2lib builds it.
        let nineForty = "\(mappings)/fixtures/940-two-orders.x12"
        try await peer.running("send", [PyAS2Peer.Case(name: "940", sign: true, encrypt: true, compress: true, mdnDigest: "sha256", payload: nineForty, filename: "940.x12")],
                               strings: ["url": "http://127.0.0.1:\(port)/as2"])
        let sent = try peer.json("940.send-result.json") as! [String: Any]
        #expect((sent["results"] as! [[String: Any]])[0]["status"] as? String == "processed", "\(sent)")

        // Our 997 for it leaves by SFTP, numbered from the counter towards acme.
        var ourAcks: [(name: String, text: String)] = []
        let acknowledged = await pollUntil(timeout: .seconds(30)) {
            ourAcks = files(in: outbound, containing: "ST*997")
            return !ourAcks.isEmpty
        }
        #expect(acknowledged, "our 997 for the 940 in \(outbound)\n\(problems())")
        if let ack = ourAcks.first {
            #expect(ack.text.contains("AK1*OW*101") && ack.text.contains("AK9*A*2*2*2"), "the 997 accepts both sets of group 101: \(ack.text)")
            #expect(ack.text.hasPrefix("ISA*00*          *00*          *ZZ*PAKLOG         *ZZ*ACME3PL"), "\(ack.text)")
        }

        // The order through the core: wave, pick, pack, label (the carrier peer), ship.
        var order: JSONValue = .null
        let created = await pollUntil(timeout: .seconds(20)) {
            let (status, value) = (try? await call(client, port, "GET", "/api/v1/orders/ORD-1001")) ?? (0, .null)
            order = value
            return status == 200
        }
        #expect(created, "ORD-1001 from the 940\n\(problems())")
        _ = try await call(client, port, "POST", "/api/v1/commands/CreateWave", ["commandId": "w1", "waveId": "W-1", "orders": ["ORD-1001"]])
        let (released, releaseAnswer) = try await call(client, port, "POST", "/api/v1/commands/ReleaseWave", ["commandId": "w1r", "waveId": "W-1"])
        #expect(released == 200, "\(releaseAnswer)")
        let (_, wave) = try await call(client, port, "GET", "/api/v1/waves/W-1")
        for (t, task) in (wave["tasks"]?.arrayValue ?? []).enumerated() {
            let taskId = try #require(task.stringValue)
            _ = try await call(client, port, "POST", "/api/v1/commands/ClaimTask", ["commandId": .string("c\(t)"), "taskId": .string(taskId), "operator": "ann"])
            let (_, detail) = try await call(client, port, "GET", "/api/v1/tasks/\(taskId)")
            for line in detail["lines"]?.arrayValue ?? [] {
                let index = Int(line["index"]?.doubleValue ?? 0)
                let (picked, answer) = try await call(client, port, "POST", "/api/v1/commands/ConfirmPick",
                                                      ["commandId": .string("p\(t).\(index)"), "taskId": .string(taskId), "index": .number(Double(index)),
                                                       "quantity": line["quantity"] ?? 0, "tote": "T-1"])
                #expect(picked == 200, "\(answer)")
            }
        }
        let (packed, packAnswer) = try await call(client, port, "POST", "/api/v1/commands/PackCarton",
                                                  ["commandId": "k1", "orderId": "ORD-1001", "lines": [["line": 1, "quantity": 2], ["line": 2, "quantity": 1]], "weightKg": 1.2])
        #expect(packed == 200, "\(packAnswer)\norder: \(order)")
        let cartonId = try #require(packAnswer["events"]?.arrayValue?.first { $0["type"] == "CartonPacked" }?["stream"]?.stringValue?.dropFirst(5)).description
        var carton: JSONValue = .null
        let labelled = await pollUntil(timeout: .seconds(30)) {
            carton = (try? await call(client, port, "GET", "/api/v1/cartons/\(cartonId)").1) ?? .null
            return carton["status"] == "labelled"
        }
        #expect(labelled, "carton: \(carton)\n\(problems())")
        let (shipped, shipAnswer) = try await call(client, port, "POST", "/api/v1/commands/ShipCarton", ["commandId": "s1", "sscc": .string(cartonId), "door": "D-1"])
        #expect(shipped == 200, "\(shipAnswer)")

        // The 945 leaves by SFTP: one interchange, numbered after our 997 by the same counter.
        var advices: [(name: String, text: String)] = []
        let advised = await pollUntil(timeout: .seconds(30)) {
            advices = files(in: outbound, containing: "ST*945")
            return !advices.isEmpty
        }
        #expect(advised, "the 945 in \(outbound)\n\(problems())")
        let advice = try #require(advices.first)
        #expect(advices.count == 1)
        #expect(advice.text.contains("W06*F*ORD-1001*") && advice.text.contains("MAN*GM*00" + (carton["sscc"]?.stringValue ?? "?")), "\(advice.text)")
        let check = try ChildProcess(try BuiltProducts.executable("paklog"), ["edi", "validate", outbound + "/" + advice.name])
        let checked = await check.wait(timeout: .seconds(20))
        #expect(checked == 0, "the 945 is valid X12 (\(String(describing: checked))): \(check.standardOutput) \(check.standardError)\n\(advice.text)")
        let isa13 = { (text: String) in text.split(separator: "*", omittingEmptySubsequences: false)[13] }
        #expect(ourAcks.first.map { isa13($0.text) } == "000000001")
        #expect(isa13(advice.text) == "000000002", "\(advice.text)")
        let waiting = await pollUntil(timeout: .seconds(20)) {
            ((try? await paklogEventsRead(stream: "outbox-acme-drop", storePath: storePath)) ?? []).contains { $0["type"] as? String == "AwaitingAcknowledgment" }
        }
        #expect(waiting, "the 945's delivery waits for the partner's 997")
        let show = try ChildProcess(try BuiltProducts.executable("paklog"), ["partners", "show", "acme", "--config", configPath])
        #expect(await show.wait(timeout: .seconds(30)) == 0, "\(show.standardError)")
        #expect(show.standardOutput.contains("source as2-in (as2): last received") && show.standardOutput.contains("940.x12"), "\(show.standardOutput)")
        #expect(show.standardOutput.contains("awaiting 997 x12:ACME3PL:SW:"), "\(show.standardOutput)")
        #expect(show.standardOutput.contains("endpoint acme-drop (sftp): last "), "\(show.standardOutput)")

        // The partner's 997 for the 945, written by the gateway's acknowledger in the partner's role
        // (its own numbering), dropped into the partner's outbox directory on the sshd.
        let partnerAck = try ChildProcess(try BuiltProducts.executable("paklog"), ["edi", "ack", outbound + "/" + advice.name, "--interchange-control-number", "7001",
                                                                              "--group-control-number", "7001"])
        #expect(await partnerAck.wait(timeout: .seconds(20)) == 0, "\(partnerAck.standardError)")
        try drop(partnerAck.standardOutput, as: "997-7001.x12", into: inbound)
        let gs06 = advice.text.split(separator: "~").first { $0.hasPrefix("GS*") || $0.hasPrefix("\nGS*") }?.split(separator: "*")[6] ?? "?"
        var outbox: [[String: Any]] = []
        let settled = await pollUntil(timeout: .seconds(30)) {
            outbox = (try? await paklogEventsRead(stream: "outbox-acme-drop", storePath: storePath)) ?? []
            return outbox.contains { $0["type"] as? String == "AcknowledgmentReceived" }
        }
        #expect(settled, "\(outbox.map { $0["type"] ?? "" })\n\(problems())")
        let acks = outbox.filter { $0["type"] as? String == "AcknowledgmentReceived" }.compactMap { $0["data"] as? [String: Any] }
        #expect(acks.contains { $0["key"] as? String == "x12:ACME3PL:SW:\(gs06)" && $0["accepted"] as? Bool == true }, "\(acks)")
        #expect(!outbox.contains { $0["type"] as? String == "MessageDeadLettered" }, "\(outbox.map { $0["type"] ?? "" })")
        #expect(files(in: outbound, containing: "ST*997").count == 1, "the partner's 997 is not answered with another 997")
        let after = try ChildProcess(try BuiltProducts.executable("paklog"), ["partners", "show", "acme", "--config", configPath])
        #expect(await after.wait(timeout: .seconds(30)) == 0)
        #expect(!after.standardOutput.contains("awaiting"), "nothing is pending once the 997 came: \(after.standardOutput)")
        #expect(after.standardOutput.contains("source acme-files (sftp): last received") && after.standardOutput.contains("997-7001.x12"), "\(after.standardOutput)")

        // The same 997 again under another name: its ISA13 repeats, so it is kept as a dead letter, not routed.
        try drop(partnerAck.standardOutput, as: "997-7001-again.x12", into: inbound)
        var rejected: [[String: Any]] = []
        let refused = await pollUntil(timeout: .seconds(30)) {
            rejected = (try? await paklogEventsRead(stream: "dlq-source-acme-files", storePath: storePath)) ?? []
            return !rejected.isEmpty
        }
        #expect(refused, "\(problems())")
        #expect("\(rejected)".contains("ISA13 000007001 was already received from acme"), "\(rejected)")

        daemon.signal(SIGTERM)
        _ = await daemon.wait(timeout: .seconds(30))
        await client.shutdown()
    }
}
