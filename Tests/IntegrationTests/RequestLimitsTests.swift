import Foundation
import HTTPClient
import JSON
import Testing

/// Body size limits and CORS through the daemon (issue 26): `http.maxBodyBytes` and
/// `http.maxImportBytes` answered 413 before a body is read or while it streams; `http.cors`
/// preflights answered by the Fetch standard and actual answers carrying the CORS fields.
@Suite("Body size limits and CORS through the daemon", .serialized)
struct RequestLimitsTests {
    let token = "limits-test-token"
    let allowed = "https://console.example.test"

    @Test("bodies over the limit get 413 (declared or chunked) and change nothing; preflights from an allowed origin get the CORS fields without a token, others 403; actual answers carry Allow-Origin and Vary: Origin",
          .timeLimit(.minutes(3)))
    func limitsAndCORS() async throws {
        let directory = try TemporaryDirectory()
        let port = freeLoopbackPort()
        let configPath = try directory.write("paklog.yaml", """
            storage: {path: \(directory.path)/paklog.sqlite, durability: normal}
            http:
              host: 127.0.0.1
              port: \(port)
              apiTokens: ["\(token)"]
              maxBodyBytes: 2000
              maxImportBytes: 5000
              cors: {allowedOrigins: ["\(allowed)"], maxAge: 300}
            logging: {level: warning, format: json}
            warehouse: {ssccCompanyPrefix: "0614141"}
            """)
        let client = HTTPClient()
        let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        defer { daemon.signal(SIGKILL) }
        try await waitUntilHealthy(client, port: port, daemon: daemon, timeout: .seconds(60))
        let base = "http://127.0.0.1:\(port)"
        let auth: HTTPHeaders = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]

        // A DefineItem padded past 2000 bytes: refused from its Content-Length.
        func item(_ sku: String, padding: Int) -> [UInt8] {
            (["commandId": .string("c-\(sku)"), "sku": .string(sku), "description": .string(String(repeating: "x", count: padding))] as JSONValue).serialized()
        }
        let declared = try await client.execute(HTTPRequest(method: .post, url: base + "/api/v1/commands/DefineItem", headers: auth, body: item("BIG", padding: 2500)))
        let declaredText = String(decoding: declared.body, as: UTF8.self)
        #expect(declared.status == 413 && declaredText.contains("a request body of \(item("BIG", padding: 2500).count) bytes is over the limit of 2000 bytes") && declaredText.contains("http.maxBodyBytes"), "\(declared.status) \(declaredText)")
        // The same without a length (chunked, from curl): refused once the bytes pass the limit.
        let bodyFile = try directory.write("big.json", String(decoding: item("CHUNKED", padding: 2500), as: UTF8.self))
        let curl = try ChildProcess("/usr/bin/curl", ["-s", "-w", "\n%{http_code}", "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/json",
                                                     "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + bodyFile, base + "/api/v1/commands/DefineItem"])
        _ = await curl.wait(timeout: .seconds(30))
        #expect(curl.standardOutput.hasSuffix("\n413") && curl.standardOutput.contains("the request body is over the limit of 2000 bytes"), "\(curl.standardOutput)")
        // Under the limit it passes; then neither refused item is in the log.
        let small = try await client.execute(HTTPRequest(method: .post, url: base + "/api/v1/commands/DefineItem", headers: auth, body: item("SMALL", padding: 100)))
        #expect(small.status == 200, "\(String(decoding: small.body, as: UTF8.self))")
        let position = (try? JSONValue(parsing: small.body))?["position"]?.doubleValue.map { Int($0) } ?? 0
        let (_, items) = try await apiCall(client, port: port, token: token, .get, "/api/v1/items?waitFor=\(position)")
        let skus = items["items"]?.arrayValue?.compactMap { $0["sku"]?.stringValue } ?? []
        #expect(skus == ["SMALL"], "\(items)")
        // Imports have their own, larger limit.
        let rows = "sku,description\n" + (0..<100).map { "SKU-\($0),an item of the import\n" }.joined()
        try #require(rows.utf8.count > 2000 && rows.utf8.count < 5000)
        let csv: HTTPHeaders = ["Authorization": "Bearer \(token)", "Content-Type": "text/csv"]
        let imported = try await client.execute(HTTPRequest(method: .post, url: base + "/api/v1/imports/items", headers: csv, body: Array(rows.utf8)))
        #expect(imported.status != 413, "under http.maxImportBytes: \(imported.status)")
        let tooBig = try await client.execute(HTTPRequest(method: .post, url: base + "/api/v1/imports/items", headers: csv, body: Array((rows + rows).utf8)))
        #expect(tooBig.status == 413 && String(decoding: tooBig.body, as: UTF8.self).contains("http.maxImportBytes"), "\(tooBig.status)")

        // A preflight carries no credentials (Fetch §4.8) and is answered all the same.
        let preflight = try await client.execute(HTTPRequest(method: "OPTIONS", url: base + "/api/v1/orders", headers: [
            "Origin": allowed, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type",
        ]))
        #expect(preflight.status == 204, "\(preflight.status) \(String(decoding: preflight.body, as: UTF8.self))")
        #expect(preflight.headers["access-control-allow-origin"] == allowed)
        #expect(preflight.headers["access-control-allow-methods"]?.contains("POST") == true)
        #expect(preflight.headers["access-control-allow-headers"]?.lowercased().contains("authorization") == true)
        #expect(preflight.headers["access-control-max-age"] == "300")
        #expect(preflight.headers.values(for: "vary").joined(separator: ",").contains("Origin"), "\(preflight.headers)")
        for (origin, method, requested) in [("https://evil.example.test", "GET", ""), (allowed, "DELETE", ""), (allowed, "GET", "x-secret")] {
            let refused = try await client.execute(HTTPRequest(method: "OPTIONS", url: base + "/api/v1/orders", headers: [
                "Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": requested,
            ]))
            #expect(refused.status == 403 && refused.headers["access-control-allow-origin"] == nil, "\(origin) \(method) \(requested): \(refused.status)")
        }
        // The actual request: the answer says the origin may read it, and what it may read.
        var fromConsole = auth
        fromConsole.add(name: "Origin", value: allowed)
        let actual = try await client.execute(HTTPRequest(method: .get, url: base + "/api/v1/orders", headers: fromConsole))
        #expect(actual.status == 200 && actual.headers["access-control-allow-origin"] == allowed, "\(actual.headers)")
        #expect(actual.headers["access-control-expose-headers"]?.contains("ETag") == true)
        let vary = actual.headers.values(for: "vary").joined(separator: ",")
        #expect(vary.contains("Origin") && vary.contains("Accept-Encoding"), "CORS and compression both in Vary: \(actual.headers)")
        var fromElsewhere = auth
        fromElsewhere.add(name: "Origin", value: "https://evil.example.test")
        let other = try await client.execute(HTTPRequest(method: .get, url: base + "/api/v1/orders", headers: fromElsewhere))
        #expect(other.status == 200 && other.headers["access-control-allow-origin"] == nil, "the browser blocks it; the server answers as to anyone")
        daemon.signal(SIGTERM)
        _ = await daemon.wait(timeout: .seconds(30))
        await client.shutdown()
    }
}
