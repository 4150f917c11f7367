import Codecs
import Foundation
import HTTPClient
import JSON
import Testing

/// API keys through the daemon (issue 26, first part): created with `paklog keys create`, stored
/// as salted hashes, each route asking for its scope.
@Suite("API keys and scopes through the daemon", .serialized)
struct ScopeMatrixTests {
    func paklog(_ arguments: [String]) async throws -> (status: Int32?, output: String, errors: String) {
        let process = try ChildProcess(try BuiltProducts.executable("paklog"), arguments)
        let status = await process.wait(timeout: .seconds(30))
        return (status, process.standardOutput, process.standardError)
    }

    @Test("every route with a key of every scope: exactly the keys whose scopes allow the route pass; a revoked key and no key get 401; the projections are admin's and the OpenAPI document any key's; keys made or revoked while the daemon runs count",
          .timeLimit(.minutes(3)))
    func everyRouteWithEveryScope() async throws {
        let directory = try TemporaryDirectory()
        let port = freeLoopbackPort()
        let storePath = directory.path + "/paklog.sqlite"
        let configPath = try directory.write("paklog.yaml", """
            storage: {path: \(storePath), durability: normal}
            http: {host: 127.0.0.1, port: \(port), apiTokens: ["legacy-admin-token"]}
            logging: {level: info, format: json}
            warehouse:
              ssccCompanyPrefix: "0614141"
            """)
        let client = HTTPClient()
        // Keys made before the daemon starts, straight into its store.
        let scopes = try await paklog(["keys", "create", "probe", "--scopes", "nope:x", "--config", configPath])
        #expect(scopes.status != 0 && scopes.errors.contains("scopes are: "), "an unknown scope is refused: \(scopes.errors)")
        let known = ["admin", "commands:write", "dlq:discard", "dlq:read", "dlq:replay", "events:read", "imports:write", "inventory:read", "metrics:read",
                     "operations:read", "orders:read", "orders:write"]
        var tokens: [String: String] = [:]
        for scope in known {
            let created = try await paklog(["keys", "create", "key-\(scope)", "--scopes", scope, "--config", configPath])
            #expect(created.status == 0, "\(created.errors)")
            let token = created.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(token.hasPrefix("plk_") && token.count > 50, "\(token)")
            tokens[scope] = token
        }
        let stored = try String(decoding: Data(contentsOf: URL(fileURLWithPath: storePath)), as: UTF8.self)
        // The secret is what follows `plk_<12-hex id>_` (base64url: it may itself hold '_').
        func secret(_ token: String) -> String { String(token.dropFirst("plk_".count + 13)) }
        #expect(!tokens.values.contains { stored.contains(secret($0)) }, "no secret is in the store")

        let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        defer { daemon.signal(SIGKILL) }
        try await waitUntilHealthy(client, port: port, daemon: daemon, timeout: .seconds(60))
        func status(_ method: HTTPMethod, _ path: String, _ token: String?) async throws -> Int {
            var headers: HTTPHeaders = token.map { ["Authorization": "Bearer \($0)"] } ?? [:]
            if method == .post { headers.add(name: "Content-Type", value: "application/json") }
            let r = try await client.execute(HTTPRequest(method: method, url: "http://127.0.0.1:\(port)\(path)", headers: headers, body: method == .post ? Array("{}".utf8) : []))
            return r.status
        }

        // The table: (method, path, scope) for every route the gateway serves behind a key.
        let routes: [(HTTPMethod, String, String)] = [
            (.get, "/metrics", "metrics:read"),
            (.get, "/api/v1/orders", "orders:read"), (.get, "/api/v1/orders/O-1", "orders:read"), (.get, "/api/v1/shipments", "orders:read"),
            (.post, "/api/v1/orders", "orders:write"),
            (.get, "/api/v1/inventory", "inventory:read"), (.get, "/api/v1/inventory/MUG", "inventory:read"), (.get, "/api/v1/availability", "inventory:read"),
            (.get, "/api/v1/locations", "inventory:read"), (.get, "/api/v1/locations/A-01-01", "inventory:read"), (.get, "/api/v1/items", "inventory:read"),
            (.get, "/api/v1/zones", "inventory:read"),
            (.get, "/api/v1/tasks", "operations:read"), (.get, "/api/v1/tasks/T-1", "operations:read"), (.get, "/api/v1/task-queue", "operations:read"),
            (.get, "/api/v1/waves", "operations:read"), (.get, "/api/v1/waves/W-1", "operations:read"), (.get, "/api/v1/cartons/C-1", "operations:read"),
            (.get, "/api/v1/commands", "commands:write"), (.post, "/api/v1/commands/DefineItem", "commands:write"), (.post, "/api/v1/waves/plan", "commands:write"),
            (.post, "/api/v1/imports/items", "imports:write"),
            (.get, "/api/v1/where?key=SHOP-1001", "events:read"),
            (.get, "/api/v1/dlq", "dlq:read"), (.get, "/api/v1/dlq/endpoint", "dlq:read"), (.get, "/api/v1/dlq/endpoint/erp", "dlq:read"),
            (.post, "/api/v1/dlq/erp/00000000-0000-0000-0000-000000000000/replay", "dlq:replay"),
            (.post, "/api/v1/dlq/erp/00000000-0000-0000-0000-000000000000/discard", "dlq:discard"),
            // The former paths answer 308 to the ones above, behind the same scopes.
            (.get, "/api/dlq", "dlq:read"), (.get, "/api/dlq/endpoint", "dlq:read"), (.get, "/api/dlq/endpoint/erp", "dlq:read"),
            (.post, "/api/dlq/erp/00000000-0000-0000-0000-000000000000/replay", "dlq:replay"),
            (.post, "/api/dlq/erp/00000000-0000-0000-0000-000000000000/discard", "dlq:discard"),
            // Admin's only (their rules name admin).
            (.get, "/api/v1/projections", "admin"), (.post, "/api/v1/projections/orders/rebuild", "admin"),
            // Any key may read the API's description.
            (.get, "/api/v1/openapi.json", "authenticated"),
        ]
        var wrong: [String] = []
        for (method, path, scope) in routes {
            for (keyScope, token) in tokens.sorted(by: { $0.key < $1.key }) {
                let allowed = keyScope == "admin" || keyScope == scope || scope == "authenticated"
                let got = try await status(method, path, token)
                let passed = got != 401 && got != 403
                if passed != allowed { wrong.append("\(method) \(path) with \(keyScope): \(got)") }
                if !allowed && got != 403 { wrong.append("\(method) \(path) with \(keyScope): \(got), not 403") }
            }
            let anonymous = try await status(method, path, nil)
            if anonymous != 401 { wrong.append("\(method) \(path) without a key: \(anonymous)") }
            let legacy = try await status(method, path, "legacy-admin-token")
            if legacy == 401 || legacy == 403 { wrong.append("\(method) \(path) with an http.apiTokens token: \(legacy)") }
        }
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
        for path in ["/healthz", "/readyz"] { #expect(try await status(.get, path, nil) == 200, "\(path) answers without a key") }
        // The chain's first link: the caller's trace continued, a request id, one access line without secrets.
        let sentTrace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        let traced = try await client.execute(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/api/v1/orders?token=secret-in-query",
                                                          headers: ["Authorization": "Bearer \(tokens["orders:read"]!)", "traceparent": sentTrace, "X-Request-Id": "req-42"]))
        #expect(traced.status == 200)
        #expect(traced.headers["traceparent"]?.hasPrefix("00-0af7651916cd43dd8448eb211c80319c-") == true && traced.headers["traceparent"] != sentTrace, "\(traced.headers)")
        #expect(traced.headers["x-request-id"] == "req-42")
        let logged = await pollUntil(timeout: .seconds(10)) { daemon.standardError.contains(#""requestId":"req-42""#) }
        let accessLine = daemon.standardError.split(separator: "\n").first { $0.contains(#""requestId":"req-42""#) }.map(String.init) ?? ""
        #expect(logged && accessLine.contains(#""path":"/api/v1/orders""#) && accessLine.contains(#""status":"200""#), "\(accessLine)")
        #expect(!daemon.standardError.contains("plk_") && !daemon.standardError.contains("secret-in-query") && !daemon.standardError.contains("legacy-admin-token"),
                "no token or query in the logs")
        let fresh = try await client.execute(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/api/v1/orders", headers: ["Authorization": "Bearer \(tokens["admin"]!)"]))
        #expect(fresh.headers["traceparent"].flatMap { $0.count == 55 ? $0 : nil } != nil && fresh.headers["x-request-id"] != nil, "a new trace: \(fresh.headers)")
        // Conditional requests and compression, the chain's last links.
        let admin = ["Authorization": "Bearer \(tokens["admin"]!)"]
        let first = try await client.execute(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/api/v1/orders", headers: HTTPHeaders(admin.map { ($0.key, $0.value) })))
        let tag = try #require(first.headers["etag"], "\(first.headers)")
        let again = try await client.execute(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/api/v1/orders",
                                                         headers: HTTPHeaders(admin.map { ($0.key, $0.value) } + [("If-None-Match", tag)])))
        #expect(again.status == 304 && again.body.isEmpty && again.headers["etag"] == tag, "\(again.status) \(again.headers)")
        let zipped = try await client.execute(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/metrics",
                                                          headers: HTTPHeaders(admin.map { ($0.key, $0.value) } + [("Accept-Encoding", "br;q=1, gzip;q=0.8")])))
        #expect(zipped.status == 200 && zipped.headers["content-encoding"] == "gzip" && zipped.headers["vary"] == "Accept-Encoding", "\(zipped.headers)")
        let text = String(decoding: try Zlib.decompress(zipped.body, format: .gzip, limit: 16 << 20), as: UTF8.self)
        #expect(text.contains("# TYPE") && zipped.body.count < text.utf8.count, "gzip of the metrics text")
        let moved = try await client.execute(HTTPRequest(method: .post, url: "http://127.0.0.1:\(port)/api/dlq/erp/00000000-0000-0000-0000-000000000000/replay?dryRun=true",
                                                         headers: ["Authorization": "Bearer \(tokens["admin"]!)"]))
        #expect(moved.status == 308 && moved.headers["location"] == "/api/v1/dlq/erp/00000000-0000-0000-0000-000000000000/replay?dryRun=true", "\(moved.status) \(moved.headers)")

        // Revoked while the daemon runs: refused within a second or two.
        let listed = try await paklog(["keys", "list", "--config", configPath])
        let id = try #require(listed.output.split(separator: "\n").first { $0.contains("key-orders:read") }?.split(separator: " ").first.map(String.init))
        #expect(!listed.output.contains(secret(tokens["orders:read"]!)), "list shows no secret")
        #expect(try await paklog(["keys", "revoke", id, "--config", configPath]).status == 0)
        let refused = await pollUntil(timeout: .seconds(10)) { (try? await status(.get, "/api/v1/orders", tokens["orders:read"])) == 401 }
        #expect(refused, "a revoked key is refused")
        #expect(try await paklog(["keys", "list", "--config", configPath]).output.contains("revoked="))
        // A key created while the daemon runs works within a second or two.
        let late = try await paklog(["keys", "create", "late", "--scopes", "orders:read", "--config", configPath])
        let lateToken = late.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let accepted = await pollUntil(timeout: .seconds(10)) { (try? await status(.get, "/api/v1/orders", lateToken)) == 200 }
        #expect(accepted)
        daemon.signal(SIGTERM)
        _ = await daemon.wait(timeout: .seconds(30))
        await client.shutdown()
    }
}
