import Foundation
import HTTPClient
import JSON
import OffThePool
import Testing

/// Rate limits through the daemon (issue 26): a token bucket per API key and route class.
@Suite("Rate limits through the daemon", .serialized)
struct RateLimitTests {
    func paklog(_ arguments: [String]) async throws -> String {
        let process = try ChildProcess(try BuiltProducts.executable("paklog"), arguments)
        _ = await process.wait(timeout: .seconds(30))
        return process.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a burst from wrk gets no more than the bucket holds plus its refill; 429s carry Retry-After and the RateLimit fields; other keys and route classes keep their own buckets",
          .timeLimit(.minutes(3)))
    func burstFromWrk() async throws {
        let directory = try TemporaryDirectory()
        let port = freeLoopbackPort()
        let configPath = try directory.write("paklog.yaml", """
            storage: {path: \(directory.path)/paklog.sqlite, durability: normal}
            http:
              host: 127.0.0.1
              port: \(port)
              # Slow refills: a loaded machine may take seconds between two of this test's requests.
              rateLimit: {requestsPerSecond: 0.25, burst: 10, scopes: {"dlq:read": {requestsPerSecond: 0.05, burst: 2}}}
            logging: {level: warning, format: json}
            warehouse: {ssccCompanyPrefix: "0614141"}
            """)
        let first = try await paklog(["keys", "create", "burster", "--scopes", "orders:read,dlq:read", "--config", configPath])
        let second = try await paklog(["keys", "create", "bystander", "--scopes", "orders:read", "--config", configPath])
        let client = HTTPClient()
        let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        defer { daemon.signal(SIGKILL) }
        try await waitUntilHealthy(client, port: port, daemon: daemon, timeout: .seconds(60))
        func get(_ path: String, _ token: String) async throws -> HTTPResponse {
            try await client.execute(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)\(path)", headers: ["Authorization": "Bearer \(token)"]))
        }

        // 2 s of 16 connections hammering one route with one key.
        let wrk = try await offThePool { () throws -> (String, Double) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
            process.arguments = ["-t2", "-c16", "-d2s", "-H", "Authorization: Bearer \(first)", "http://127.0.0.1:\(port)/api/v1/orders"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            let started = Date()
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (String(decoding: data, as: UTF8.self), Date().timeIntervalSince(started))
        }
        let report = wrk.0
        func number(after label: String) -> Int? {
            guard let range = report.range(of: label) else { return nil }
            return Int(report[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber })
        }
        let total = try #require(report.range(of: " requests in ").flatMap { r in Int(report[..<r.lowerBound].split(separator: " ").last ?? "") }, "\(report)")
        let refused = number(after: "Non-2xx or 3xx responses:") ?? 0
        let allowed = total - refused
        #expect(total > 40, "wrk sent a burst well past the bucket: \(report)")
        // The bucket's 10 plus 0.25/s over wrk's run (and the second it may straddle).
        #expect(allowed >= 10 && Double(allowed) <= 10 + 0.25 * (wrk.1 + 1), "allowed \(allowed) of \(total) in \(wrk.1) s\n\(report)")

        let limited = try await get("/api/v1/orders", first)
        #expect(limited.status == 429)
        let retry = Int(limited.headers["retry-after"] ?? "") ?? 0
        #expect(retry >= 1)
        #expect(limited.headers["ratelimit-policy"] == #""orders:read";q=10;w=40"#, "\(limited.headers)")
        #expect(limited.headers["ratelimit"]?.hasPrefix(#""orders:read";r=0;t="#) == true, "\(limited.headers)")
        // Another key, and another route class of the same key, have buckets of their own.
        let bystander = try await get("/api/v1/orders", second)
        #expect(bystander.status == 200)
        #expect(bystander.headers["ratelimit"]?.hasPrefix(#""orders:read";r=9;"#) == true, "\(bystander.headers)")
        let dlq = try await [get("/api/v1/dlq", first), get("/api/v1/dlq", first), get("/api/v1/dlq", first)].map(\.status)
        #expect(dlq == [200, 200, 429], "dlq:read holds 2: \(dlq)")
        #expect(retry <= 4, "one request every 4 s: \(retry)")
        // After Retry-After the key is let in again.
        try await Task.sleep(for: .seconds(retry))
        #expect(try await get("/api/v1/orders", first).status == 200)
        daemon.signal(SIGTERM)
        _ = await daemon.wait(timeout: .seconds(30))
        await client.shutdown()
    }
}
