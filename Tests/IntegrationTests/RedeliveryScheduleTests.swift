import JSON
import WebhookAdapter
import EventStore
import Foundation
import HTTPClient
import Logging
import Mapping
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The retry schedule lives in the log: a daemon killed with SIGKILL between two attempts resumes
/// the same schedule after a restart (next attempt number, not before its recorded due time).
@Suite("Redelivery schedule survives SIGKILL", .serialized)
struct RedeliveryScheduleTests {
    static func config(port: Int, data: String, deadPort: Int) -> String {
        """
        storage:
          path: \(data)/paklog.sqlite
        http:
          host: 127.0.0.1
          port: \(port)
        logging:
          format: json
        sources:
          orders:
            type: webhook
            path: /webhooks/orders
            signature:
              scheme: standard-webhooks
              secrets: ["\(Self.secret)"]
        endpoints:
          partner:
            type: http
            url: http://127.0.0.1:\(deadPort)/down
            timeout: 2s
            connectTimeout: 1s
            redelivery:
              maximumRedeliveries: 6
              redeliveryDelay: 1500ms
              backOffMultiplier: 2
              maximumRedeliveryDelay: 20s
              jitter: 0
        routes:
          - name: orders-out
            from: orders
            steps:
              - to: [endpoint:partner]
        """
    }

    static let secret = "whsec_cmVkZWxpdmVyeS1zY2hlZHVsZS10ZXN0LXNlY3JldA=="

    struct Attempt: Equatable {
        var attempt: Int
        var at: Double
        var nextAttemptAt: Double?
    }

    /// The `DeliveryAttemptFailed` events of the endpoint, read from the store file.
    static func attempts(storePath: String) async throws -> [Attempt] {
        let store = try SQLiteEventStore(path: storePath, logger: Logger(label: "test"))
        defer { Task { await store.close() } }
        let events = try await store.readStream("outbox-partner", from: 0, direction: .forward, maxCount: 1000)
        return try events.filter { $0.type == "DeliveryAttemptFailed" }.map { e in
            let data = try JSONValue(parsing: e.data)
            return Attempt(attempt: data["attempt"]?.intValue ?? -1, at: data["at"]?.doubleValue ?? 0, nextAttemptAt: data["nextAttemptAt"]?.doubleValue)
        }
    }

    @Test func aKilledDaemonResumesTheRecordedSchedule() async throws {
        let dir = try TemporaryDirectory()
        let port = freeLoopbackPort()
        let configPath = try dir.write("paklog.yaml", Self.config(port: port, data: dir.path, deadPort: freeLoopbackPort()))
        let binary = try BuiltProducts.executable("paklog")
        var daemon = try ChildProcess(binary, ["serve", "--config", configPath])
        let client = HTTPClient()
        defer { Task { await client.shutdown() } }
        try await waitUntilHealthy(client, port: port, daemon: daemon)

        let body = Array(#"{"id": 42, "line_items": []}"#.utf8)
        let signed = try WebhookSigner(secret: WebhookSecret(standardWebhooks: Self.secret))
            .sign(id: "msg_schedule_1", timestamp: Int64(Date().timeIntervalSince1970), body: body)
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        for (name, value) in signed.fields { headers.add(name: name, value: value) }
        let response = try await client.execute(HTTPRequest(method: .post, url: "http://127.0.0.1:\(port)/webhooks/orders", headers: headers, body: body))
        #expect(response.status == 202)

        // Two failed attempts are recorded (1.5 s apart, then 3 s to the third); kill the daemon
        // in between. The store is the truth, read beside the running daemon.
        let storePath = dir.path + "/paklog.sqlite"
        var recorded: [Attempt] = []
        let until = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < until {
            recorded = try await Self.attempts(storePath: storePath)
            if recorded.count >= 2 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        daemon.signal(SIGKILL)
        _ = await daemon.wait(timeout: .seconds(10))
        let before = try await Self.attempts(storePath: storePath)
        try #require(recorded.count >= 2, "daemon log:\n\(daemon.standardError)")
        let last = try #require(before.last)
        let due = try #require(last.nextAttemptAt)

        daemon = try ChildProcess(binary, ["serve", "--config", configPath])
        defer { daemon.signal(SIGKILL) }
        try await waitUntilHealthy(client, port: port, daemon: daemon)
        var after: [Attempt] = []
        let deadline = ContinuousClock.now + .seconds(40)
        while ContinuousClock.now < deadline {
            after = try await Self.attempts(storePath: storePath)
            if after.count > before.count { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        try #require(after.count > before.count, "no attempt after the restart; daemon log:\n\(daemon.standardError)")
        let resumed = after[before.count]
        // The schedule goes on: the next attempt number, and not before the recorded due time.
        #expect(resumed.attempt == last.attempt + 1)
        #expect(resumed.at >= due)
        #expect(Array(after.prefix(before.count)) == before)
    }
}
