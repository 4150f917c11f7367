import Codecs
import Foundation
import HTTPClient
import Testing

/// TLS on the daemon's listener (issue 26): a test CA made by the openssl command line, TLS 1.2+
/// only, HTTP/2 by ALPN, mutual TLS on a partner route (a client certificate mapped to its
/// partner profile), the certificate rotated by SIGHUP; and the gateway chain on webhooks (trace
/// context, request id, access line, per-route metrics, rate limit).
@Suite("TLS, mTLS and the chain on webhooks, through the daemon", .serialized)
struct ListenerTLSTests {
    static func openssl(_ arguments: [String], in directory: String) async throws -> [UInt8] {
        try await JWTTests.openssl(arguments, in: directory)
    }

    /// A key pair and a certificate signed by `ca` (nil: self-signed, a CA).
    static func certificate(_ name: String, subject: String, ca: String?, serverNames: Bool = false, in dir: String) async throws {
        _ = try await openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "\(name).key"], in: dir)
        guard let ca else {
            _ = try await openssl(["req", "-x509", "-new", "-key", "\(name).key", "-subj", subject, "-days", "30", "-out", "\(name).pem",
                                   "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"], in: dir)
            return
        }
        _ = try await openssl(["req", "-new", "-key", "\(name).key", "-subj", subject, "-out", "\(name).csr"], in: dir)
        let extensions = serverNames
            ? "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
            : "extendedKeyUsage=clientAuth,emailProtection\nkeyUsage=digitalSignature,keyEncipherment\n"
        try Data(extensions.utf8).write(to: URL(fileURLWithPath: "\(dir)/\(name).ext"))
        _ = try await openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).pem", "-CAkey", "\(ca).key", "-CAcreateserial", "-days", "30",
                               "-extfile", "\(name).ext", "-out", "\(name).pem"], in: dir)
    }

    /// `sha256//<base64 of the SPKI's SHA-256>` of a certificate, for `TLSConfiguration.pinnedPublicKeys`.
    static func pin(_ name: String, in dir: String) async throws -> String {
        _ = try await openssl(["x509", "-in", "\(name).pem", "-pubkey", "-noout", "-out", "\(name).pub.pem"], in: dir)
        let der = try await openssl(["pkey", "-pubin", "-in", "\(name).pub.pem", "-outform", "DER"], in: dir)
        return "sha256//" + Base64.encode(Digest.hash(der, .sha256))
    }

    /// Whether `openssl s_client` completes a handshake with `version` (`-tls1_1`, `-tls1_2`);
    /// SECLEVEL=0 so that the client itself would offer TLS 1.1 (Debian's default refuses it).
    static func handshakes(port: Int, version: String, in dir: String) async throws -> Bool {
        let process = try ChildProcess("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(port)", version, "-cipher", "DEFAULT@SECLEVEL=0",
                                                           "-CAfile", "ca.pem", "-verify_return_error"], directory: dir, holdingStandardInput: false)
        let status = await process.wait(timeout: .seconds(20))
        return status == 0 && process.standardOutput.contains("Verify return code: 0")
    }

    @Test("TLS 1.2+ with HTTP/2 by ALPN; plain HTTP and TLS 1.1 refused; mTLS maps the client certificate to its partner (none, another CA's, another partner's refused); SIGHUP rotates the certificate; webhooks get the trace, the access line, the metrics and the rate limit",
          .timeLimit(.minutes(4)))
    func listener() async throws {
        let directory = try TemporaryDirectory()
        let dir = directory.path
        try await Self.certificate("ca", subject: "/CN=PakLog Test CA", ca: nil, in: dir)
        try await Self.certificate("server", subject: "/CN=paklog-first", ca: "ca", serverNames: true, in: dir)
        try await Self.certificate("rotated", subject: "/CN=paklog-rotated", ca: "ca", serverNames: true, in: dir)
        try await Self.certificate("acme", subject: "/CN=acme-3pl client", ca: "ca", in: dir)
        try await Self.certificate("globex", subject: "/CN=globex client", ca: "ca", in: dir)
        try await Self.certificate("rogue-ca", subject: "/CN=Rogue CA", ca: nil, in: dir)
        try await Self.certificate("rogue", subject: "/CN=acme-3pl client", ca: "rogue-ca", in: dir)
        // The daemon reads the files it is configured with: copies, so the rotation can replace them.
        func copy(_ from: String, _ to: String) throws {
            try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(from)")).write(to: URL(fileURLWithPath: "\(dir)/\(to)"), options: .atomic)
        }
        try copy("server.pem", "listener.pem")
        try copy("server.key", "listener.key")

        let port = freeLoopbackPort()
        let storePath = dir + "/paklog.sqlite"
        let configPath = try directory.write("paklog.yaml", """
            storage: {path: \(storePath), durability: normal}
            http:
              host: 127.0.0.1
              port: \(port)
              apiTokens: ["tls-test-admin-token"]
              tls: {certificate: listener.pem, privateKey: listener.key, clientCA: [ca.pem]}
            logging: {level: info, format: json}
            warehouse: {ssccCompanyPrefix: "0614141"}
            partners:
              acme-3pl:
                as2: {name: ACME, ourName: PAKLOG}
                certificates: {signing: [acme.pem], tls: [acme.pem]}
                ours: {certificate: server.pem, key: "file:server.key"}
              globex:
                as2: {name: GLOBEX, ourName: PAKLOG}
                certificates: {signing: [globex.pem], tls: [globex.pem]}
                ours: {certificate: server.pem, key: "file:server.key"}
            sources:
              as2-in: {type: as2, path: /as2, partners: [acme-3pl, globex], clientCertificate: required}
              orders:
                type: webhook
                path: /webhooks/orders
                signature: {scheme: none}
                idempotencyKey: {header: webhook-id}
                rateLimit: {requestsPerSecond: 0.02, burst: 3}
              acme-hooks:
                type: webhook
                path: /webhooks/acme
                signature: {scheme: none}
                idempotencyKey: {header: webhook-id}
                partners: [acme-3pl]
                clientCertificate: required
            """)
        let client = HTTPClient()
        let trusting = TLSConfiguration(caBundlePath: dir + "/ca.pem")
        func withClient(_ name: String) -> TLSConfiguration {
            TLSConfiguration(caBundlePath: dir + "/ca.pem", clientCertificatePath: "\(dir)/\(name).pem", clientKeyPath: "\(dir)/\(name).key")
        }
        let base = "https://127.0.0.1:\(port)"
        let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        defer { daemon.signal(SIGKILL) }
        try await waitUntilHealthy(client, port: port, daemon: daemon, timeout: .seconds(60), tls: trusting)

        // TLS, HTTP/2 by ALPN, HTTP/1.1 for a client that asks for it.
        let h2 = try await client.execute(HTTPRequest(url: base + "/healthz", tls: trusting))
        #expect(h2.status == 200 && h2.httpVersion == .http2, "\(h2.status) \(h2.httpVersion)")
        let h1Client = HTTPClient(configuration: .init(httpVersion: .http1_1))
        let h1 = try await h1Client.execute(HTTPRequest(url: base + "/healthz", tls: trusting))
        #expect(h1.status == 200 && h1.httpVersion == .http1_1, "\(h1.status) \(h1.httpVersion)")
        await h1Client.shutdown()
        // Plain HTTP on the TLS port gets no answer; TLS 1.1 no handshake; TLS 1.2 one.
        let plain = try? await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/healthz"))
        #expect(plain?.status != 200, "plain HTTP answered \(plain.map { "\($0.status)" } ?? "")")
        #expect(try await Self.handshakes(port: port, version: "-tls1_2", in: dir), "a TLS 1.2 handshake completes")
        #expect(!(try await Self.handshakes(port: port, version: "-tls1_1", in: dir)), "TLS 1.1 is refused")
        // The API is still behind its token, over TLS as well.
        let api = try await client.execute(HTTPRequest(url: base + "/api/v1/orders", tls: trusting))
        #expect(api.status == 401)

        // mTLS on the partner route.
        func as2(from: String, _ tls: TLSConfiguration) async throws -> HTTPResponse {
            try await client.execute(HTTPRequest(method: .post, url: base + "/as2", headers: [
                "AS2-From": from, "AS2-To": "PAKLOG", "AS2-Version": "1.2", "Message-ID": "<tls-\(UUID().uuidString)@test>",
                "Content-Type": "application/pkcs7-mime; smime-type=enveloped-data", "Disposition-Notification-To": "ops@acme.test",
            ], body: Array("not a CMS structure".utf8), tls: tls))
        }
        let anonymous = try await as2(from: "ACME", trusting)
        #expect(anonymous.status == 403 && String(decoding: anonymous.body, as: UTF8.self).contains("requires a TLS client certificate"),
                "\(anonymous.status) \(String(decoding: anonymous.body, as: UTF8.self))")
        let rogue = try? await as2(from: "ACME", withClient("rogue"))
        #expect(rogue == nil, "a client certificate of another CA fails the handshake: \(rogue.map { "\($0.status)" } ?? "")")
        let impostor = try await as2(from: "ACME", withClient("globex"))
        #expect(impostor.status == 403 && String(decoding: impostor.body, as: UTF8.self).contains("partner 'globex'"),
                "\(impostor.status) \(String(decoding: impostor.body, as: UTF8.self))")
        let acme = try await as2(from: "ACME", withClient("acme"))
        #expect(acme.status != 403 && acme.status != 401, "acme's own certificate passes the gate: \(acme.status) \(String(decoding: acme.body, as: UTF8.self))")
        // Over HTTP/2 as well: the stream's handler reads the connection's certificate.
        #expect(acme.httpVersion == .http2)
        // A partner's webhook route: its certificate only.
        var hooks: [String: Int] = [:]
        for (caller, tls) in [("none", trusting), ("globex", withClient("globex")), ("acme", withClient("acme"))] {
            hooks[caller] = try await client.execute(HTTPRequest(method: .post, url: base + "/webhooks/acme", headers: [
                "Content-Type": "application/json", "webhook-id": "acme-\(caller)"], body: Array("{}".utf8), tls: tls)).status
        }
        #expect(hooks == ["none": 403, "globex": 403, "acme": 202], "\(hooks)")

        // The chain on webhooks: our span back on the response and into the envelope, a request id.
        let callerTrace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        var answered: [(status: Int, traceparent: String?, requestId: String?, retryAfter: String?)] = []
        for n in 0..<4 {
            let r = try await client.execute(HTTPRequest(method: .post, url: base + "/webhooks/orders", headers: [
                "Content-Type": "application/json", "webhook-id": "tls-\(n)", "traceparent": callerTrace, "X-Request-Id": "hook-\(n)",
            ], body: Array("{\"orderId\":\"TLS-\(n)\"}".utf8), tls: trusting))
            answered.append((r.status, r.headers["traceparent"], r.headers["X-Request-Id"], r.headers["Retry-After"]))
        }
        #expect(answered.map(\.status) == [202, 202, 202, 429], "burst 3, then the bucket is empty: \(answered.map(\.status))")
        guard answered.count == 4 else { return }
        let first = answered[0]
        #expect(first.requestId == "hook-0")
        #expect(first.traceparent?.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-") == true && first.traceparent != callerTrace,
                "the caller's trace continued with our span: \(first.traceparent ?? "none")")
        #expect(answered[3].retryAfter.flatMap(Int.init).map { $0 >= 1 } == true, "429 carries Retry-After: \(answered[3].retryAfter ?? "none")")

        let metrics = try await client.execute(HTTPRequest(url: base + "/metrics", headers: ["Authorization": "Bearer tls-test-admin-token"], tls: trusting))
        let text = String(decoding: metrics.body, as: UTF8.self)
        let series = text.split(separator: "\n").filter { $0.hasPrefix("hb_requests") && $0.contains("http_route=\"/webhooks/orders\"") }
        #expect(series.contains { $0.contains("http_response_status_code=\"202\"") && $0.hasSuffix(" 3") }, "\(series)")
        #expect(series.contains { $0.contains("http_response_status_code=\"429\"") && $0.hasSuffix(" 1") }, "\(series)")
        #expect(text.contains("http_server_request_duration") && text.contains("/webhooks/orders"))

        // SIGHUP: the listener's files replaced; new connections get the new certificate.
        let rotatedPin = try await Self.pin("rotated", in: dir)
        try copy("rotated.pem", "listener.pem")
        try copy("rotated.key", "listener.key")
        var pinned = trusting
        pinned.pinnedPublicKeys = [rotatedPin]
        let fresh = HTTPClient(configuration: .init(reuseConnections: false))
        let before = try? await fresh.execute(HTTPRequest(url: base + "/healthz", tls: pinned))
        #expect(before == nil, "the old certificate is served until SIGHUP")
        daemon.signal(SIGHUP)
        let rotated = await daemon.waitFor(timeout: .seconds(20)) { $0.standardError.contains("TLS files reloaded") }
        #expect(rotated, "\(daemon.standardError.suffix(2000))")
        let after = try? await fresh.execute(HTTPRequest(url: base + "/healthz", tls: pinned))
        #expect(after?.status == 200, "after SIGHUP the rotated certificate is served")
        await fresh.shutdown()

        daemon.signal(SIGTERM)
        _ = await daemon.wait(timeout: .seconds(30))
        let log = daemon.standardError
        // Refusals get their access line at info; accepted webhooks only at debug (the inbox has them).
        let lines = log.split(separator: "\n")
        #expect(lines.contains { $0.contains("\"path\":\"/webhooks/orders\"") && $0.contains("\"requestId\":\"hook-3\"") && $0.contains("\"status\":\"429\"") },
                "the refused webhook's access line")
        #expect(!lines.contains { $0.contains("\"requestId\":\"hook-0\"") }, "an accepted webhook's line is at debug")
        #expect(lines.contains { $0.contains("\"path\":\"/as2\"") && $0.contains("\"status\":\"403\"") }, "the refused AS2 caller's access line")
        #expect(!log.contains("tls-test-admin-token"), "the token is not logged")
        let contents = try await StoreContents.read(path: storePath)
        let inbox = contents.stream("inbox-orders")
        #expect(inbox.count == 3)
        #expect(inbox.first?.metadata.extra["traceparent"] == first.traceparent, "the envelope carries the span the response named")
        await client.shutdown()
    }
}
