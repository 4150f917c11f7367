import Foundation
import HTTPClient
import Testing

/// The console's doors, over plain HTTP against the real daemon: what answers without a session,
/// the login form's token, the session cookie, scopes per page and action, CSRF on every change,
/// and the API accepting a session for reading only.
@Suite("Operations console access", .serialized)
struct ConsoleAccessTests {
    @Test("only the login page and its assets answer without a session; a login needs its form token and a valid key; pages and actions ask the key's scopes; changes need the CSRF token; the API takes a session for GETs only; logout ends it",
          .timeLimit(.minutes(3)))
    func doors() async throws {
        let rig = try await EndToEndRig.start(withReceiver: false)
        let base = "http://127.0.0.1:\(rig.daemon.port)"
        let client = rig.client
        func call(_ method: HTTPMethod, _ path: String, cookie: String? = nil, form: [String: String]? = nil) async throws -> HTTPResponse {
            var headers = HTTPHeaders()
            if let cookie { headers.add(name: "Cookie", value: cookie) }
            var body: [UInt8] = []
            if let form {
                headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                body = Array(form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&").utf8)
            }
            return try await client.execute(HTTPRequest(method: method, url: base + path, headers: headers, body: body))
        }
        func text(_ r: HTTPResponse) -> String { String(decoding: r.body, as: UTF8.self) }
        func cookieValue(_ r: HTTPResponse, _ name: String) -> String? {
            r.headers.values(for: "Set-Cookie").first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1).prefix { $0 != ";" }) }
        }
        func key(_ name: String, _ scopes: String) async throws -> String {
            let created = try ChildProcess(try BuiltProducts.executable("paklog"), ["keys", "create", name, "--scopes", scopes, "--config", rig.daemon.configPath])
            #expect(await created.wait(timeout: .seconds(30)) == 0, "\(created.standardError)")
            return created.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        /// Logs in with `key`; returns the `Cookie` header of the session (nil when refused).
        func login(_ key: String) async throws -> (cookie: String?, status: Int) {
            let page = try await call(.get, "/console/login")
            let token = try #require(cookieValue(page, "paklog_login"))
            #expect(text(page).contains("value=\"\(token)\""), "the form carries the token of its cookie")
            let r = try await call(.post, "/console/login", cookie: "paklog_login=\(token)", form: ["csrf": token, "key": key])
            return (cookieValue(r, "paklog_session").map { "paklog_session=\($0)" }, r.status)
        }

        // Without a session.
        for path in ["/console", "/console/dlq", "/console/where?key=x", "/console/events"] {
            let r = try await call(.get, path)
            #expect(r.status == 303 && r.headers["location"] == "/console/login", "\(path): \(r.status) \(r.headers)")
        }
        #expect(try await call(.post, "/console/dlq/receiver/00000000-0000-0000-0000-000000000000/replay", form: [:]).status == 401)
        #expect(try await call(.get, "/console/assets/console.css").status == 200)
        #expect(try await call(.get, "/console/assets/console.js").status == 200)
        let loginPage = try await call(.get, "/console/login")
        #expect(loginPage.status == 200 && loginPage.headers["content-security-policy"]?.contains("default-src 'self'") == true)

        // The login form: its token must match its cookie; the key must be one the API accepts.
        let reader = try await key("console-reader", "dlq:read")
        let discarder = try await key("console-discarder", "dlq:read,dlq:discard")
        let accepted = try await pollUntil(timeout: .seconds(10)) {
            try await client.execute(HTTPRequest(method: .get, url: base + "/api/v1/dlq", headers: ["Authorization": "Bearer \(discarder)"])).status == 200
        }
        #expect(accepted, "the daemon picked up the keys")
        let forged = try await call(.post, "/console/login", cookie: "paklog_login=aaaa", form: ["csrf": "bbbb", "key": reader])
        #expect(forged.status == 403 && cookieValue(forged, "paklog_session") == nil, "a login without its form's token is refused")
        let wrong = try await login("plk_0123456789ab_wrong")
        #expect(wrong.status == 401 && wrong.cookie == nil)
        let readerLogin = try await login(reader)
        #expect(readerLogin.status == 303)
        let readerSession = try #require(readerLogin.cookie)
        #expect(!readerSession.contains(reader) && !readerSession.contains(String(reader.dropFirst("plk_".count + 13))), "the cookie is no part of the key")

        // Scopes per page: a dlq:read key reads dead letters, not the overview (metrics:read).
        // A signed body that is not JSON is kept in dlq-source-orders: the console shows it.
        let notJSON = try SignedWebhook.signed(id: "console-not-json", body: Array("<order>1</order>".utf8))
        #expect(await WebhookSender.send([notJSON], to: rig.daemon.webhookURL, client: client, concurrency: 1).first?.status == 400)
        let dlq = try await call(.get, "/console/dlq", cookie: readerSession)
        #expect(dlq.status == 200 && text(dlq).contains("/console/dlq/source/orders"), "\(text(dlq).prefix(2000))")
        let evidence = try await call(.get, "/console/dlq/source/orders", cookie: readerSession)
        // The raw bytes are kept as base64 (they are not JSON), with the reason.
        #expect(evidence.status == 200 && text(evidence).contains(Data("<order>1</order>".utf8).base64EncodedString()) && text(evidence).contains("id=\"evidence\""),
                "the rejected body: \(text(evidence).suffix(3000))")
        let overview = try await call(.get, "/console", cookie: readerSession)
        #expect(overview.status == 403 && text(overview).contains("metrics:read"), "\(overview.status)")
        // The API reads with the session, and never changes anything with it alone.
        #expect(try await call(.get, "/api/v1/dlq", cookie: readerSession).status == 200)
        #expect(try await call(.get, "/api/v1/where?key=x", cookie: readerSession).status == 403, "events:read is not the reader's")
        #expect(try await call(.post, "/api/v1/dlq/receiver/00000000-0000-0000-0000-000000000000/discard", cookie: readerSession, form: [:]).status == 401)

        // Changes: the scope first, then the CSRF token of the session.
        let missing = "/console/dlq/receiver/00000000-0000-0000-0000-000000000000/discard"
        #expect(try await call(.post, missing, cookie: readerSession, form: ["reason": "x"]).status == 403, "no dlq:discard")
        let replay = try await call(.post, "/console/dlq/receiver/00000000-0000-0000-0000-000000000000/replay", cookie: readerSession, form: [:])
        #expect(replay.status == 403 && text(replay).contains("dlq:replay"), "no dlq:replay: \(replay.status)")
        let discarderSession = try #require(try await login(discarder).cookie)
        let page = text(try await call(.get, "/console/dlq", cookie: discarderSession))
        let csrf = try #require(page.firstRange(of: #"name="csrf" value=""#).map { String(page[$0.upperBound...].prefix { $0 != "\"" }) })
        let noToken = try await call(.post, missing, cookie: discarderSession, form: ["reason": "x"])
        #expect(noToken.status == 403 && text(noToken).contains("CSRF"), "\(noToken.status)")
        let otherToken = try await call(.post, missing, cookie: discarderSession, form: ["reason": "x", "csrf": String(repeating: "0", count: 64)])
        #expect(otherToken.status == 403)
        let passed = try await call(.post, missing, cookie: discarderSession, form: ["reason": "x", "csrf": csrf])
        #expect(passed.status == 404, "past the CSRF check, the unknown dead letter: \(passed.status)")

        // "Where is it?" refuses what it cannot search.
        let admin: HTTPHeaders = ["Authorization": "Bearer end-to-end-test-token"]
        #expect(try await client.execute(HTTPRequest(method: .get, url: base + "/api/v1/where", headers: admin)).status == 400)
        let badKind = try await client.execute(HTTPRequest(method: .get, url: base + "/api/v1/where?key=1&kind=colour", headers: admin))
        #expect(badKind.status == 400 && text(badKind).contains("webhook-id"), "\(text(badKind))")

        // Logout needs the token too, and ends the session.
        #expect(try await call(.post, "/console/logout", cookie: discarderSession, form: [:]).status == 403)
        let out = try await call(.post, "/console/logout", cookie: discarderSession, form: ["csrf": csrf])
        #expect(out.status == 303 && out.headers.values(for: "Set-Cookie").contains { $0.contains("Max-Age=0") })
        #expect(try await call(.get, "/console/dlq", cookie: discarderSession).status == 303, "the ended session is refused")
        #expect(try await call(.get, "/api/v1/dlq", cookie: discarderSession).status == 401)
        #expect(!rig.daemon.log.contains(reader) && !rig.daemon.log.contains(discarder), "no key in the log")
        _ = try await rig.finish()
    }
}
