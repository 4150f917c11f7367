import Foundation
import HTTPClient
import JSON
import PyAS2Support
import Testing

/// The `as2` source and endpoint in the real daemon, with pyas2lib on both sides of it over
/// HTTP: pyas2lib POSTs signed, encrypted, compressed messages to the daemon and checks the
/// synchronous MDN; a route relays each stored file to the `as2` endpoint, which sends it to a
/// pyas2lib receiver and checks that MDN.
@Suite("AS2 through the daemon with pyas2lib", .serialized)
struct AS2DaemonTests {
    /// pyas2lib's AS2 receiver (`serve`) on a free port; `policy` says what it expects of our messages.
    func startPyAS2Receiver(_ peer: PyAS2Peer, policy: PyAS2Peer.Case) async throws -> (process: ChildProcess, port: Int) {
        let port = freeLoopbackPort()
        let server = try ChildProcess(PyAS2Peer.python, [PyAS2Peer.script, "serve", try peer.jobFile("serve", [policy], extra: ["port": port])])
        #expect(await server.waitFor(timeout: .seconds(20)) { $0.standardOutput.contains("listening") }, "pyas2lib server: \(server.standardError)")
        return (server, port)
    }

    /// The daemon on `sections` (partners, sources, endpoints, routes) with the test's storage,
    /// listener and JSON logs, once it answers `/healthz`.
    func startDaemon(_ directory: TemporaryDirectory, port: Int, _ sections: String) async throws
        -> (process: ChildProcess, storePath: String, configPath: String, client: HTTPClient)
    {
        let storePath = directory.path + "/paklog.sqlite"
        let configPath = try directory.write("paklog.yaml", """
            storage: {path: \(storePath), durability: full}
            http: {host: 127.0.0.1, port: \(port), apiTokens: ["as2-test-token"]}
            logging: {level: info, format: json}
            \(sections)
            """)
        let client = HTTPClient()
        let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        try await waitUntilHealthy(client, port: port, daemon: daemon, timeout: .seconds(60))
        return (daemon, storePath, configPath, client)
    }

    @Test("pyas2lib → daemon → pyas2lib: MDNs verify both ways; a redelivered Message-ID is stored once and answered with the same MDN",
          .timeLimit(.minutes(3)))
    func relayThroughTheDaemon() async throws {
        let directory = try TemporaryDirectory()
        // pyas2lib's certificate expires in 10 days: the daemon must say so.
        let peer = try await PyAS2Peer.make(directory: URL(fileURLWithPath: directory.path + "/as2"), partnerCertificateDays: 10)
        let (server, pyPort) = try await startPyAS2Receiver(peer, policy: PyAS2Peer.Case(name: "inbound-policy", sign: true, encrypt: true, compress: true, mdnDigest: "sha256", payload: ""))

        let port = freeLoopbackPort()
        let (daemon, storePath, configPath, client) = try await startDaemon(directory, port: port, """
            partners:
              pyas2:
                as2:
                  name: pyas2 partner
                  ourName: PAKLOG
                  url: http://127.0.0.1:\(pyPort)/as2
                  signing: sha256
                  encryption: aes256
                  compress: true
                  mdn: sync
                  mdnSigning: sha-256
                certificates: {signing: [\(peer.theirs.certificateFile)]}
                ours: {certificate: \(peer.ours.certificateFile), key: "file:\(peer.ours.keyFile)"}
            sources:
              as2-in: {type: as2, path: /as2, partners: [pyas2]}
            endpoints:
              pyas2-out: {type: as2, partner: pyas2, redelivery: {maximumRedeliveries: 2, redeliveryDelay: 200ms}}
            routes:
              - {name: relay, from: as2-in, steps: [{to: pyas2-out}]}
            """)

        let payload = interopX12("19_x12types_940_generalmills.edi")
        var sent = PyAS2Peer.Case(name: "to-daemon", sign: true, encrypt: true, compress: true, digest: "sha256", cipher: "aes_128_cbc",
                                  mdnDigest: "sha256", payload: payload, filename: "940.edi", contentType: "application/octet-stream")
        sent.repeatCount = 2
        var unsignedMDN = PyAS2Peer.Case(name: "to-daemon-sha1", sign: true, encrypt: true, digest: "sha1", cipher: "tripledes_192_cbc",
                                         payload: payload, contentType: "application/octet-stream")
        unsignedMDN.mdnDigest = nil
        try await peer.running("send", [sent, unsignedMDN], strings: ["url": "http://127.0.0.1:\(port)/as2"])

        for name in [sent.name, unsignedMDN.name] {
            let result = try peer.json(name + ".send-result.json") as! [String: Any]
            let attempts = result["results"] as! [[String: Any]]
            for a in attempts {
                // pyas2lib verified our MDN's signature (when asked) and compared our MIC with its own.
                #expect(a["status"] as? String == "processed", "\(name): \(a)\n\(daemon.standardError)")
            }
            if attempts.count == 2 {
                #expect(attempts[0]["mdnBody"] as? String == attempts[1]["mdnBody"] as? String, "the redelivery gets the same MDN")
                #expect(attempts[0]["mdnMessageId"] as? String == attempts[1]["mdnMessageId"] as? String)
            }
        }

        // Stored once each, then relayed: pyas2lib's receiver got both files and our endpoint
        // accepted its MDNs (signature and MIC), so both deliveries are recorded as delivered.
        let expected = try Data(contentsOf: URL(fileURLWithPath: payload))
        let relayed = await pollUntil(timeout: .seconds(30)) {
            let served = (try? String(contentsOfFile: peer.file("served.jsonl").path, encoding: .utf8)) ?? ""
            return served.split(separator: "\n").count >= 2
        }
        #expect(relayed, "pyas2lib's receiver got the relayed files\n\(daemon.standardError)")
        let served = try String(contentsOfFile: peer.file("served.jsonl").path, encoding: .utf8).split(separator: "\n")
            .map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(served.count == 2, "each stored message is relayed once: \(served)")
        for s in served {
            #expect(s["status"] as? String == "processed", "\(s)")
            let received = try Data(contentsOf: peer.file("\(s["messageId"] as! String).received"))
            #expect(received == expected, "the relayed file is the one pyas2lib sent")
        }
        let delivered = await pollUntil(timeout: .seconds(20)) {
            let events = (try? await paklogEventsRead(stream: "outbox-pyas2-out", storePath: storePath)) ?? []
            return events.filter { $0["type"] as? String == "MessageDelivered" }.count == 2
        }
        #expect(delivered, "both relays end Delivered\n\(daemon.standardError)")
        let inbox = try await paklogEventsRead(stream: "inbox-as2-in", storePath: storePath)
        #expect(inbox.count == 2, "the redelivered Message-ID stored nothing new: \(inbox.count) inbound events")

        // An unknown partner is refused before anything is stored.
        let stranger = try await client.execute(HTTPRequest(method: .post, url: "http://127.0.0.1:\(port)/as2",
            headers: ["AS2-From": "someone", "AS2-To": "PAKLOG", "Message-ID": "<x@y>", "Content-Type": "application/edi-x12"], body: Array("ISA*".utf8)))
        #expect(stranger.status == 403)

        // The partner's certificate (10 days left) shows in /readyz and on error-events; ours (a year) does not.
        let ready = String(decoding: try await client.execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/readyz")).body, as: UTF8.self)
        #expect(ready.contains("certificate: partner pyas2: signing certificate \(peer.theirs.certificateFile)"), "\(ready)")
        #expect(!ready.contains(peer.ours.certificateFile), "\(ready)")
        let raised = await pollUntil(timeout: .seconds(10)) {
            ((try? await paklogEventsRead(stream: "error-partner.pyas2", storePath: storePath)) ?? []).contains { $0["type"] as? String == "CertificateExpiring" }
        }
        #expect(raised, "CertificateExpiring on error-events")
        // The operator's view of the partner, and a manual resend straight to pyas2lib.
        let list = try ChildProcess(try BuiltProducts.executable("paklog"), ["partners", "list", "--config", configPath])
        #expect(await list.wait(timeout: .seconds(20)) == 0)
        #expect(list.standardOutput.contains("pyas2  as2=pyas2 partner  x12=-  sftp=-  certificates-until="), "\(list.standardOutput)")
        let show = try ChildProcess(try BuiltProducts.executable("paklog"), ["partners", "show", "pyas2", "--config", configPath])
        #expect(await show.wait(timeout: .seconds(20)) == 0)
        #expect(show.standardOutput.contains("certificate signing: \(peer.theirs.certificateFile)"), "\(show.standardOutput)")
        #expect(show.standardOutput.contains("days left"), "\(show.standardOutput)")
        #expect(!show.standardOutput.contains("BEGIN"), "no key material is printed")
        let resend = try ChildProcess(try BuiltProducts.executable("paklog"), ["as2", "send", "pyas2", payload, "--config", configPath, "--media-type", "application/octet-stream"])
        #expect(await resend.wait(timeout: .seconds(30)) == 0, "\(resend.standardError)")
        #expect(resend.standardOutput.contains("delivered: Message-ID <"), "\(resend.standardOutput)")
        let servedAfter = try String(contentsOfFile: peer.file("served.jsonl").path, encoding: .utf8).split(separator: "\n")
        #expect(servedAfter.count == 3, "the manual resend reached pyas2lib")

        daemon.signal(SIGTERM)
        _ = await daemon.wait(timeout: .seconds(30))
        server.signal(SIGKILL)
        await client.shutdown()
    }

    @Test("Asynchronous MDNs both ways: the daemon POSTs its MDN to pyas2lib's Receipt-Delivery-Option, and pyas2lib's asynchronous MDN settles the daemon's delivery; a missing one is retried past its deadline, then raised",
          .timeLimit(.minutes(3)))
    func asynchronousReceipts() async throws {
        let directory = try TemporaryDirectory()
        let peer = try await PyAS2Peer.make(directory: URL(fileURLWithPath: directory.path + "/as2"))
        let (server, pyPort) = try await startPyAS2Receiver(peer, policy: PyAS2Peer.Case(name: "inbound-policy", sign: true, encrypt: true, mdnDigest: "sha256", payload: ""))

        let port = freeLoopbackPort()
        let (daemon, storePath, _, client) = try await startDaemon(directory, port: port, """
            partners:
              pyas2:
                as2: {name: pyas2 partner, ourName: PAKLOG, url: "http://127.0.0.1:\(pyPort)/as2", signing: sha1, encryption: 3des, mdn: async, mdnSigning: sha256}
                certificates: {signing: [\(peer.theirs.certificateFile)]}
                ours: {certificate: \(peer.ours.certificateFile), key: "file:\(peer.ours.keyFile)"}
            sources:
              as2-in: {type: as2, path: /as2, partners: [pyas2]}
            endpoints:
              pyas2-out:
                type: as2
                partner: pyas2
                receiptURL: http://127.0.0.1:\(port)/as2
                acknowledgment: {timeout: 30s, onTimeout: deadLetter}
              # The same partner, told to send its MDN where nothing listens: the MDN never comes.
              lost-mdn:
                type: as2
                partner: pyas2
                receiptURL: http://127.0.0.1:\(freeLoopbackPort())/nowhere
                acknowledgment: {timeout: 2s, onTimeout: redeliver}
                redelivery: {maximumRedeliveries: 1, redeliveryDelay: 100ms}
            routes:
              - {name: relay, from: as2-in, steps: [{to: [pyas2-out, lost-mdn]}]}
            """)

        let mdnPort = freeLoopbackPort()
        var sent = PyAS2Peer.Case(name: "async-to-daemon", sign: true, encrypt: true, digest: "sha256", mdnDigest: "sha256",
                                  payload: interopX12("19_x12types_940_generalmills.edi"), contentType: "application/octet-stream")
        sent.mdnMode = "ASYNC"
        try await peer.running("send", [sent], extra: ["mdnPort": mdnPort], strings: ["url": "http://127.0.0.1:\(port)/as2", "mdnURL": "http://127.0.0.1:\(mdnPort)/mdn"])
        let result = try peer.json(sent.name + ".send-result.json") as! [String: Any]
        let attempt = (result["results"] as! [[String: Any]])[0]
        #expect(attempt["status"] as? String == "processed", "pyas2lib verified our asynchronous MDN: \(attempt)\n\(daemon.standardError)")

        // The relay asked pyas2lib for an asynchronous MDN; it settles the awaited delivery.
        let settled = await pollUntil(timeout: .seconds(30)) {
            let events = (try? await paklogEventsRead(stream: "outbox-pyas2-out", storePath: storePath)) ?? []
            return events.contains { $0["type"] as? String == "AcknowledgmentReceived" }
        }
        let events = try await paklogEventsRead(stream: "outbox-pyas2-out", storePath: storePath)
        #expect(settled, "pyas2lib's MDN reached the as2 source\n\(server.standardError)\n\(daemon.standardError)")
        #expect(events.contains { $0["type"] as? String == "AwaitingAcknowledgment" })
        #expect(!events.contains { $0["type"] as? String == "MessageDeadLettered" }, "\(events)")
        let ack = events.first { $0["type"] as? String == "AcknowledgmentReceived" }
        #expect((ack?["data"] as? [String: Any])?["accepted"] as? Bool == true, "\(String(describing: ack))")
        #expect(daemon.standardError.contains(#""micChecked":"true""#), "the MDN's MIC was compared with what we sent")

        // No MDN within the deadline: sent again (the same Message-ID), then dead-lettered and
        // raised on error-events.
        let givenUp = await pollUntil(timeout: .seconds(60)) {
            ((try? await paklogEventsRead(stream: "outbox-lost-mdn", storePath: storePath)) ?? []).contains { $0["type"] as? String == "MessageDeadLettered" }
        }
        let lost = try await paklogEventsRead(stream: "outbox-lost-mdn", storePath: storePath)
        #expect(givenUp, "\(lost.map { $0["type"] ?? "" })")
        #expect(lost.filter { $0["type"] as? String == "AwaitingAcknowledgment" }.count == 2, "first attempt and one redelivery each waited: \(lost.map { $0["type"] ?? "" })")
        let raised = try await paklogEventsRead(stream: "error-endpoint.lost-mdn", storePath: storePath)
        #expect(raised.contains { $0["type"] as? String == "DeliveryFailed" }, "\(raised)")
        let served = try String(contentsOfFile: peer.file("served.jsonl").path, encoding: .utf8).split(separator: "\n")
            .map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let lostIDs = served.compactMap { $0["messageId"] as? String }.filter { $0.hasSuffix("@lost-mdn.paklog") }
        #expect(lostIDs.count == 2 && Set(lostIDs).count == 1, "the partner saw the redelivery under the same Message-ID: \(lostIDs)")

        daemon.signal(SIGTERM)
        _ = await daemon.wait(timeout: .seconds(30))
        server.signal(SIGKILL)
        await client.shutdown()
    }

    @Test("An asynchronous MDN whose Receipt-Delivery-Option is down is kept: after a SIGKILL and a restart it is sent, the same MDN, and recorded as delivered",
          .timeLimit(.minutes(3)))
    func asynchronousReceiptSurvivesACrash() async throws {
        let directory = try TemporaryDirectory()
        let peer = try await PyAS2Peer.make(directory: URL(fileURLWithPath: directory.path + "/as2"))
        // The partner's receipt URL: fault_server.py's /switch, answering 503 until switched on.
        let receipts = try await FaultServerProcess.start()
        defer { receipts.process.signal(SIGKILL) }
        let receiptPort = receipts.port
        let client = HTTPClient()
        _ = try await client.execute(HTTPRequest(method: .post, url: "http://127.0.0.1:\(receiptPort)/_mode/fail"))
        func receiptRequests() async -> [[String: Any]] {
            guard let r = try? await client.execute(HTTPRequest(method: .get, url: "http://127.0.0.1:\(receiptPort)/_requests")) else { return [] }
            return String(decoding: r.body, as: UTF8.self).split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }.filter { $0["path"] as? String == "/switch" }
        }

        let port = freeLoopbackPort()
        let sections = """
            partners:
              pyas2:
                as2: {name: pyas2 partner, ourName: PAKLOG, mdnSigning: sha256}
                certificates: {signing: [\(peer.theirs.certificateFile)]}
                ours: {certificate: \(peer.ours.certificateFile), key: "file:\(peer.ours.keyFile)"}
            sources:
              as2-in: {type: as2, partners: [pyas2]}
            """
        var (daemon, storePath, configPath, _) = try await startDaemon(directory, port: port, sections)
        // A message asking for a signed asynchronous MDN at the receipt URL, as pyas2lib builds it.
        var built = PyAS2Peer.Case(name: "async-crash", sign: true, encrypt: true, mdnDigest: "sha256", payload: interopX12("19_x12types_940_generalmills.edi"))
        built.mdnMode = "ASYNC"
        try await peer.running("build", [built], strings: ["mdnURL": "http://127.0.0.1:\(receiptPort)/switch"])
        let body = try Data(contentsOf: peer.file("async-crash.body"))
        let headers = (try peer.json("async-crash.headers.json") as! [[String]]).map { ($0[0], $0[1]) }
        let posted = try await client.execute(HTTPRequest(method: .post, url: "http://127.0.0.1:\(port)/as2", headers: HTTPHeaders(headers), body: Array(body)))
        #expect(posted.status == 200, "\(String(decoding: posted.body, as: UTF8.self))")
        let refused = await pollUntil(timeout: .seconds(20)) { await receiptRequests().contains { $0["outcome"] as? String == "failed" } }
        #expect(refused, "the daemon tried the receipt URL\n\(daemon.standardError.suffix(2000))")

        daemon.signal(SIGKILL)
        _ = await daemon.wait(timeout: .seconds(10))
        _ = try await client.execute(HTTPRequest(method: .post, url: "http://127.0.0.1:\(receiptPort)/_mode/ok"))
        daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        defer { daemon.signal(SIGKILL) }
        try await waitUntilHealthy(client, port: port, daemon: daemon, timeout: .seconds(60))

        var receiptEvents: [[String: Any]] = []
        let delivered = await pollUntil(timeout: .seconds(30)) {
            receiptEvents = (try? await paklogEventsRead(stream: "as2receipt-as2-in", storePath: storePath)) ?? []
            return receiptEvents.contains { $0["type"] as? String == "MDNDelivered" }
        }
        #expect(delivered, "\(receiptEvents.map { $0["type"] ?? "" })\n\(daemon.standardError.suffix(2000))")
        let seen = await receiptRequests()
        let accepted = seen.filter { $0["outcome"] as? String == "ok" }
        #expect(!accepted.isEmpty)
        #expect(Set(seen.compactMap { $0["bodyHex"] as? String }).count == 1, "every attempt, before and after the crash, carried the same MDN")
        #expect(receiptEvents.filter { $0["type"] as? String == "MDNIssued" }.count == 1)

        daemon.signal(SIGTERM)
        _ = await daemon.wait(timeout: .seconds(30))
        await client.shutdown()
    }

    @Test("A 940 arrives by AS2 and becomes orders in the warehouse core (one CreateOrder per transaction set)", .timeLimit(.minutes(3)))
    func x12OrdersByAS2() async throws {
        let directory = try TemporaryDirectory()
        let peer = try await PyAS2Peer.make(directory: URL(fileURLWithPath: directory.path + "/as2"))
        let mapping = BuiltProducts.repositoryRoot.appendingPathComponent("Mappings/x12/940-to-create-order.yaml").path
        let port = freeLoopbackPort()
        let (daemon, _, _, client) = try await startDaemon(directory, port: port, """
            partners:
              acme:
                as2: {name: pyas2 partner, ourName: PAKLOG, mdnSigning: sha256}
                x12: {qualifier: ZZ, id: ACME3PL}
                certificates: {signing: [\(peer.theirs.certificateFile)]}
                ours: {certificate: \(peer.ours.certificateFile), key: "file:\(peer.ours.keyFile)"}
            sources:
              as2-in: {type: as2, partners: [acme]}
            routes:
              - name: orders-by-edi
                from: as2-in
                steps:
                  - transform: \(mapping)
                  - to: [command:CreateOrder]
            """)

        // The items the 940 orders (its W01 lines), defined first as any catalog feed would.
        for (i, sku) in ["SKU-RED-S", "SKU-BLUE-M"].enumerated() {
            let r = try await client.execute(HTTPRequest(method: .post, url: "http://127.0.0.1:\(port)/api/v1/commands/DefineItem",
                                                         headers: ["Authorization": "Bearer as2-test-token", "Content-Type": "application/json"],
                                                         body: (["commandId": .string("item-\(i)"), "sku": .string(sku)] as JSONValue).serialized()))
            #expect(r.status == 200, "\(String(decoding: r.body, as: UTF8.self))")
        }
        let file = BuiltProducts.repositoryRoot.appendingPathComponent("Mappings/x12/fixtures/940-two-orders.x12").path
        let sent = PyAS2Peer.Case(name: "940", sign: true, encrypt: true, compress: true, mdnDigest: "sha256", payload: file, filename: "940.x12")
        try await peer.running("send", [sent], strings: ["url": "http://127.0.0.1:\(port)/as2"])
        let result = try peer.json("940.send-result.json") as! [String: Any]
        #expect((result["results"] as! [[String: Any]])[0]["status"] as? String == "processed", "\(result)")

        for orderId in ["ORD-1001", "ORD-1002"] {
            var order: JSONValue = .null
            let created = await pollUntil(timeout: .seconds(20)) {
                let r = try? await client.execute(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/api/v1/orders/\(orderId)",
                                                              headers: ["Authorization": "Bearer as2-test-token"]))
                guard let r, r.status == 200, let v = try? JSONValue(parsing: r.body) else { return false }
                order = v
                return true
            }
            #expect(created, "order \(orderId) from the 940\n\(daemon.standardError.split(separator: "\n").filter { $0.contains("warning") || $0.contains("error") }.joined(separator: "\n"))")
            #expect("\(order)".contains("x12:ACME3PL"), "the order names its channel: \(order)")
        }
        // "Where is it?" by the order id: the 940 received by AS2 and its MDN, the route's
        // command, and the core's events of that order (not the other order's).
        var timeline = ""
        let found = await pollUntil(timeout: .seconds(20)) {
            let r = try? await client.execute(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/api/v1/where?key=ORD-1001",
                                                          headers: ["Authorization": "Bearer as2-test-token"]))
            timeline = r.map { String(decoding: $0.body, as: UTF8.self) } ?? ""
            return timeline.contains("OrderCreated")
        }
        let entries = (try? JSONValue(parsing: Array(timeline.utf8)))?["entries"]?.arrayValue ?? []
        print("where ORD-1001: \(entries.map { "\($0["step"]?.stringValue ?? "") \($0["type"]?.stringValue ?? "") \($0["stream"]?.stringValue ?? "")" })")
        #expect(found, "where?key=ORD-1001: \(timeline.prefix(3000))")
        let steps = entries.map { "\($0["step"]?.stringValue ?? "") \($0["type"]?.stringValue ?? "")" }
        for step in ["inbound MessageReceived", "acknowledgment MDNIssued", "mapping CreateOrder", "command OrderCreated"] {
            #expect(steps.contains(step), "the timeline of ORD-1001 holds \(step): \(steps)")
        }
        #expect(!timeline.contains("ORD-1002"), "the file's other order stays out: \(steps)")
        daemon.signal(SIGTERM)
        _ = await daemon.wait(timeout: .seconds(30))
        await client.shutdown()
    }

    @Test("X12 by AS2 is complete only when the partner's 997 accepts it: an accepting 997 settles the delivery, a rejecting one dead-letters it with the AK codes",
          .timeLimit(.minutes(3)))
    func deliveriesSettledBy997() async throws {
        let directory = try TemporaryDirectory()
        let peer = try await PyAS2Peer.make(directory: URL(fileURLWithPath: directory.path + "/as2"))
        let (server, pyPort) = try await startPyAS2Receiver(peer, policy: PyAS2Peer.Case(name: "inbound-policy", sign: true, encrypt: true, mdnDigest: "sha256", payload: ""))
        let ackMapping = BuiltProducts.repositoryRoot.appendingPathComponent("Mappings/x12/997-to-acknowledgment.yaml").path
        let port = freeLoopbackPort()
        let (daemon, storePath, _, client) = try await startDaemon(directory, port: port, """
            partners:
              pyas2:
                as2: {name: pyas2 partner, ourName: PAKLOG, url: "http://127.0.0.1:\(pyPort)/as2", mdnSigning: sha256}
                # With x12 settings, the as2 endpoint awaits each file's 997 (key x12:ISA08:GS01:GS06).
                x12: {qualifier: ZZ, id: PYAS2, acknowledgmentTimeout: 60s}
                certificates: {signing: [\(peer.theirs.certificateFile)]}
                ours: {certificate: \(peer.ours.certificateFile), key: "file:\(peer.ours.keyFile)"}
            sources:
              as2-in: {type: as2, partners: [pyas2]}
            endpoints:
              pyas2-out: {type: as2, partner: pyas2}
            routes:
              - name: outbound-x12
                from: as2-in
                when: '$not($contains(body, "ST*997"))'
                steps: [{to: pyas2-out}]
              - name: partner-997s
                from: as2-in
                when: '$contains(body, "ST*997")'
                steps:
                  - transform: \(ackMapping)
                  - to: [acknowledge:pyas2-out]
            """)

        // Two files go out to the partner (relayed here from what the partner sent in).
        let accepted = BuiltProducts.repositoryRoot.appendingPathComponent("Mappings/x12/fixtures/940-two-orders.x12").path
        let rejected = interopX12("19_x12types_940_generalmills.edi")
        try await peer.running("send", [PyAS2Peer.Case(name: "out-1", sign: true, encrypt: true, mdnDigest: "sha256", payload: accepted),
                                        PyAS2Peer.Case(name: "out-2", sign: true, encrypt: true, mdnDigest: "sha256", payload: rejected)],
                               strings: ["url": "http://127.0.0.1:\(port)/as2"])
        let waiting = await pollUntil(timeout: .seconds(30)) {
            let events = (try? await paklogEventsRead(stream: "outbox-pyas2-out", storePath: storePath)) ?? []
            return events.filter { $0["type"] as? String == "AwaitingAcknowledgment" }.count == 2
        }
        #expect(waiting, "both deliveries wait for their 997 after a positive MDN\n\(daemon.standardError.suffix(2000))")
        let keys = try await paklogEventsRead(stream: "outbox-pyas2-out", storePath: storePath)
            .filter { $0["type"] as? String == "AwaitingAcknowledgment" }.compactMap { ($0["data"] as? [String: Any])?["key"] as? String }
        #expect(Set(keys) == ["x12:PAKLOG:OW:101", "x12:TESTTPLEDI:OW:4311"], "\(keys)")

        // The partner's 997s, as the gateway's own acknowledger writes them for each file (the
        // first accepts; the second rejects set 43110001 for its W01 segments), sent back by AS2.
        var answers: [PyAS2Peer.Case] = []
        for (i, file) in [accepted, rejected].enumerated() {
            // Numbered as a partner numbers: each interchange and group its own (a repeat is refused).
            let ack = try ChildProcess(try BuiltProducts.executable("paklog"), ["edi", "ack", file, "--interchange-control-number", "\(i + 1)", "--group-control-number", "\(i + 1)"])
            _ = await ack.wait(timeout: .seconds(20))
            let path = try directory.write("997-\(i).x12", ack.standardOutput)
            answers.append(PyAS2Peer.Case(name: "997-\(i)", sign: true, encrypt: true, mdnDigest: "sha256", payload: path))
        }
        try await peer.running("send", answers, strings: ["url": "http://127.0.0.1:\(port)/as2"])

        let settled = await pollUntil(timeout: .seconds(30)) {
            let events = (try? await paklogEventsRead(stream: "outbox-pyas2-out", storePath: storePath)) ?? []
            return events.filter { $0["type"] as? String == "AcknowledgmentReceived" }.count == 2
                && events.contains { $0["type"] as? String == "MessageDeadLettered" }
        }
        let events = try await paklogEventsRead(stream: "outbox-pyas2-out", storePath: storePath)
        #expect(settled, "\(events.map { $0["type"] ?? "" })\n\(daemon.standardError.suffix(3000))")
        let acks = events.filter { $0["type"] as? String == "AcknowledgmentReceived" }.compactMap { $0["data"] as? [String: Any] }
        #expect(acks.contains { $0["key"] as? String == "x12:PAKLOG:OW:101" && $0["accepted"] as? Bool == true }, "\(acks)")
        #expect(acks.contains { $0["key"] as? String == "x12:TESTTPLEDI:OW:4311" && $0["accepted"] as? Bool == false
            && ($0["reason"] as? String ?? "").contains("AK9 R") }, "\(acks)")
        #expect(events.filter { $0["type"] as? String == "MessageDeadLettered" }.count == 1, "only the rejected file is dead-lettered")
        let failures = try await paklogEventsRead(stream: "error-endpoint.pyas2-out", storePath: storePath)
        #expect(failures.contains { $0["type"] as? String == "DeliveryFailed" }, "the rejection is raised on error-events")

        // "Where is it?" by the accepted file's GS06: the file received and its MDN, relayed out,
        // awaiting its 997, and the partner's 997 (another AS2 message) that settled it, joined by
        // the acknowledgment key.
        var timeline = ""
        let found = await pollUntil(timeout: .seconds(20)) {
            let r = try? await client.execute(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/api/v1/where?key=101&kind=gs06",
                                                          headers: ["Authorization": "Bearer as2-test-token"]))
            timeline = r.map { String(decoding: $0.body, as: UTF8.self) } ?? ""
            return timeline.contains("AcknowledgmentReceived")
        }
        let types = ((try? JSONValue(parsing: Array(timeline.utf8)))?["entries"]?.arrayValue ?? []).compactMap { $0["type"]?.stringValue }
        print("where GS06 101: \(types)")
        #expect(found, "where?key=101&kind=gs06: \(timeline.prefix(3000))")
        for type in ["MessageReceived", "MDNIssued", "OutboxMessageQueued", "AwaitingAcknowledgment", "AcknowledgmentReceived"] {
            #expect(types.contains(type), "the timeline of GS06 101 holds \(type): \(types)")
        }
        #expect(!timeline.contains("4311"), "the other file's exchange stays out: \(types)")

        daemon.signal(SIGTERM)
        _ = await daemon.wait(timeout: .seconds(30))
        server.signal(SIGKILL)
        await client.shutdown()
    }
}
