import Foundation
import HTTPClient
import JSON
import OffThePool
import Testing

/// The OpenAPI document at `/api/v1/openapi.json` against foreign tools (issue 26): it validates
/// with openapi-spec-validator, and schemathesis, driving the live daemon from it, finds no 5xx
/// and no answer that breaks the document. Both from PyPI, in the virtual environment
/// `scripts/peers/openapi.sh` makes (`scripts/bootstrap.sh test` runs it).
@Suite("OpenAPI document through the daemon", .serialized)
struct OpenAPITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var peer: String {
        (ProcessInfo.processInfo.environment["PAKLOG_PEERS"].map { URL(fileURLWithPath: $0) } ?? repository.appendingPathComponent(".build/peers"))
            .appendingPathComponent("openapi/bin").path
    }

    /// A tool of the virtual environment, or a failure that says how to get it.
    static func tool(_ name: String) throws -> String {
        let path = peer + "/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ToolMissing(description: "\(path) is missing: run scripts/peers/openapi.sh (scripts/bootstrap.sh test does)")
        }
        return path
    }

    struct ToolMissing: Error, CustomStringConvertible { let description: String }

    func paklog(_ arguments: [String]) async throws -> ChildProcess {
        let process = try ChildProcess(try BuiltProducts.executable("paklog"), arguments)
        _ = await process.wait(timeout: .seconds(30))
        return process
    }

    @Test("the served document validates as OpenAPI 3.1 (and a broken one does not); schemathesis finds no 5xx and no answer outside the document",
          .timeLimit(.minutes(4)))
    func documentValidatesAndTheDaemonKeepsIt() async throws {
        let validator = try Self.tool("python")
        let schemathesis = try Self.tool("schemathesis")
        let directory = try TemporaryDirectory()
        let port = freeLoopbackPort()
        // Rate limits far above what schemathesis sends: the run is about answers, not 429s.
        let configPath = try directory.write("paklog.yaml", """
            storage: {path: \(directory.path)/paklog.sqlite, durability: normal}
            http:
              host: 127.0.0.1
              port: \(port)
              rateLimit: {requestsPerSecond: 10000, burst: 10000}
            logging: {level: warning, format: json}
            warehouse:
              ssccCompanyPrefix: "0614141"
              imports:
            \(["orders", "items", "locations", "stock"].map { "    \($0): {mapping: \(Self.repository.path)/Mappings/imports/\($0).yaml}" }.joined(separator: "\n"))
            """)
        let created = try await paklog(["keys", "create", "schemathesis", "--scopes", "admin", "--config", configPath])
        let key = created.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(key.hasPrefix("plk_"), "\(created.standardError)")
        let client = HTTPClient()
        let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        defer { daemon.signal(SIGKILL) }
        try await waitUntilHealthy(client, port: port, daemon: daemon, timeout: .seconds(60))

        // A little data, so that queries and aggregates answer rows, not only empty pages.
        let seed: [(String, String, JSONValue)] = [
            ("/api/v1/commands/DefineItem", "", ["commandId": "i1", "sku": "MUG"]),
            ("/api/v1/commands/DefineLocation", "", ["commandId": "l1", "location": "A-01-01", "zone": "A", "aisle": 0, "bay": 1]),
            ("/api/v1/commands/ReceiveStock", "", ["commandId": "r1", "sku": "MUG", "location": "A-01-01", "quantity": 10]),
            ("/api/v1/orders", "", ["commandId": "o1", "orderId": "O-1", "channel": "web", "externalReference": "shop-1", "serviceLevel": "GROUND",
                                    "shipTo": ["name": "Ada", "address1": "1 Main St", "city": "Springfield", "postalCode": "12345", "country": "US"],
                                    "lines": [["sku": "MUG", "quantity": 2]]]),
        ]
        for (path, _, body) in seed {
            let (status, answer) = try await apiCall(client, port: port, token: key, .post, path, body)
            #expect(status == 200 || status == 201, "\(path): \(answer)")
        }

        let (status, document) = try await apiCall(client, port: port, token: key, .get, "/api/v1/openapi.json")
        #expect(status == 200 && document["openapi"] == "3.1.0", "\(status)")
        let documentPath = try directory.write("openapi.json", String(decoding: document.serialized(pretty: true), as: UTF8.self))
        let valid = try ChildProcess(validator, ["-m", "openapi_spec_validator", documentPath])
        #expect(await valid.wait(timeout: .seconds(60)) == 0, "openapi-spec-validator: \(valid.standardOutput)\(valid.standardError)")
        // The validator does look: the same document without its info object (required,
        // OpenAPI 3.1 §4.8.1) is refused.
        guard case .object(var top) = document else { Issue.record("the document is not an object"); return }
        top["info"] = nil
        let broken = String(decoding: JSONValue.object(top).serialized(), as: UTF8.self)
        let brokenPath = try directory.write("broken.json", broken)
        let invalid = try ChildProcess(validator, ["-m", "openapi_spec_validator", brokenPath])
        #expect(await invalid.wait(timeout: .seconds(60)).map { $0 != 0 } == true, "a broken document is refused: \(invalid.standardOutput)")

        // The event stream never ends by itself (EventStreamTests reads it); everything else is run.
        // No stateful phase: the document declares no links between operations. One worker:
        // with two, CPython 3.11's ast.parse, which hypothesis calls from both threads, now and
        // then fails with "AST constructor recursion depth mismatch" (a race in CPython, not in us).
        let run = try ChildProcess(schemathesis, [
            "run", "http://127.0.0.1:\(port)/api/v1/openapi.json", "--header", "Authorization: Bearer \(key)",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--exclude-path", "/api/v1/events/stream", "--max-examples", "12", "--seed", "26", "--workers", "1",
            "--phases", "examples,coverage,fuzzing", "--request-timeout", "10", "--max-redirects", "0", "--no-color",
        ], environment: ["SCHEMATHESIS_TELEMETRY": "false", "NO_COLOR": "1"], directory: directory.path)  // its .schemathesis/ cache stays out of the work tree
        let exit = await run.wait(timeout: .seconds(150))
        if exit == nil { run.signal(SIGKILL) }
        #expect(exit == 0, "schemathesis:\n\(run.standardOutput)\n\(run.standardError)")
        #expect(run.standardOutput.contains("passed"), "\(run.standardOutput)")
        #expect(!daemon.standardError.contains("\(key)"), "the key is not logged")
        // This daemon has no http.cors: a preflight gets no CORS field, so a browser blocks the call.
        let preflight = try await client.execute(HTTPRequest(method: "OPTIONS", url: "http://127.0.0.1:\(port)/api/v1/orders",
                                                             headers: ["Origin": "https://console.example.test", "Access-Control-Request-Method": "GET"]))
        #expect(preflight.headers["access-control-allow-origin"] == nil && preflight.status != 204, "no cross-origin access by default: \(preflight.status)")
        daemon.signal(SIGTERM)
        _ = await daemon.wait(timeout: .seconds(30))
        await client.shutdown()
    }
}
