import Foundation
import HTTPClient
import JSON
import OffThePool
import Testing

/// `GET /api/v1/events/stream` through the daemon (issue 26), read by curl as a foreign client.
@Suite("Server-Sent Events through the daemon", .serialized)
struct EventStreamTests {
    let token = "sse-test-token"

    /// What curl reads from the stream in `seconds`.
    func read(_ url: String, seconds: Int, headers: [String] = []) async throws -> String {
        try await offThePool { [token] in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            process.arguments = ["-sN", "--max-time", String(seconds), "-H", "Authorization: Bearer \(token)"] + headers.flatMap { ["-H", $0] } + [url]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// The `id:` of each event in an SSE text.
    func ids(_ text: String) -> [Int] {
        text.split(separator: "\n").compactMap { $0.hasPrefix("id: ") ? Int($0.dropFirst(4)) : nil }
    }

    @Test("events stream live as they are written, filtered by category or stream, resumed after Last-Event-ID, with heartbeats; an open stream ends when the daemon stops",
          .timeLimit(.minutes(3)))
    func liveResumableFiltered() async throws {
        let directory = try TemporaryDirectory()
        let port = freeLoopbackPort()
        let configPath = try directory.write("paklog.yaml", """
            storage: {path: \(directory.path)/paklog.sqlite, durability: normal}
            http: {host: 127.0.0.1, port: \(port), apiTokens: ["\(token)"]}
            logging: {level: warning, format: json}
            warehouse: {ssccCompanyPrefix: "0614141"}
            """)
        let client = HTTPClient()
        let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        defer { daemon.signal(SIGKILL) }
        try await waitUntilHealthy(client, port: port, daemon: daemon, timeout: .seconds(60))
        func command(_ type: String, _ body: JSONValue) async throws {
            let (status, answer) = try await apiCall(client, port: port, token: token, .post, "/api/v1/commands/\(type)", body)
            #expect(status == 200, "\(type): \(answer)")
        }
        let base = "http://127.0.0.1:\(port)/api/v1/events/stream"
        /// curl on the stream, read as it arrives, until `enough` ids came (or 30 s), then stopped.
        func stream(_ query: String, headers: [String] = [], until enough: Int, thenWait extra: Duration = .zero) async throws -> String {
            let curl = try ChildProcess("/usr/bin/curl", ["-sN", "-H", "Authorization: Bearer \(token)"] + headers.flatMap { ["-H", $0] } + [base + query])
            defer { curl.signal(SIGKILL) }
            _ = await curl.waitFor(timeout: .seconds(30)) { ids($0.standardOutput).count >= enough }
            try await Task.sleep(for: extra)
            return curl.standardOutput
        }
        // A reader that is already listening when the events are written.
        let listener = try ChildProcess("/usr/bin/curl", ["-sN", "-H", "Authorization: Bearer \(token)", base + "?category=item&heartbeat=1"])
        defer { listener.signal(SIGKILL) }
        _ = await listener.waitFor(timeout: .seconds(20)) { $0.standardOutput.contains("retry:") }
        for n in 1...3 { try await command("DefineItem", ["commandId": .string("i\(n)"), "sku": .string("SKU-\(n)")]) }
        try await command("DefineLocation", ["commandId": "l1", "location": "A-01-01", "zone": "A", "aisle": 0, "bay": 1])
        _ = await listener.waitFor(timeout: .seconds(30)) { ids($0.standardOutput).count >= 3 && $0.standardOutput.contains(": heartbeat") }
        try await Task.sleep(for: .seconds(1.5))
        listener.signal(SIGKILL)
        let liveText = listener.standardOutput
        let liveIds = ids(liveText)
        try #require(liveIds.count == 3, "the three items, nothing of the location: \(liveText)")
        #expect(liveText.contains("event: ItemDefined") && liveText.contains(#""stream":"item-SKU-2""#), "\(liveText)")
        #expect(liveText.contains(": heartbeat"), "a heartbeat within a quiet second")
        #expect(liveIds == liveIds.sorted())

        // Resumed after the first: the other two, not the first again.
        let resumed = ids(try await stream("?category=item&heartbeat=1", headers: ["Last-Event-ID: \(liveIds[0])"], until: 2, thenWait: .seconds(1.5)))
        #expect(resumed == Array(liveIds.dropFirst()), "\(resumed) after \(liveIds)")
        // One stream only.
        let one = try await stream("?stream=item-SKU-3&heartbeat=1", until: 1, thenWait: .seconds(1.5))
        #expect(ids(one) == [liveIds[2]], "\(one)")
        // No credentials: 401, as for every route.
        let anonymous = try await client.execute(HTTPRequest(method: .get, url: base))
        #expect(anonymous.status == 401)
        // An open stream does not hold up a graceful stop: it is ended, and the daemon exits.
        async let open = read(base + "?heartbeat=1", seconds: 30)
        try await Task.sleep(for: .seconds(1))
        daemon.signal(SIGTERM)
        let exited = await daemon.wait(timeout: .seconds(15))
        #expect(exited == 0, "the daemon stopped with a stream open: \(String(describing: exited))")
        #expect(ids(try await open).count >= 4, "the stream had shown the log before it ended")
        await client.shutdown()
    }
}
