import EventStore
import Foundation
import HTTPClient
import Logging
import Testing

/// The `http-poll` source and the scheduler in the real daemon, killed with SIGKILL and started
/// again on the same store (issue 22).
@Suite("Poller and scheduler across crashes", .serialized)
struct PollerCrashTests {
    func config(port: Int, storePath: String, sources: String = "") -> String {
        """
        storage:
          path: \(storePath)
          durability: full
        http:
          host: 127.0.0.1
          port: \(port)
          apiTokens: ["poller-test-token"]
        logging:
          level: info
          format: json
        \(sources)
        """
    }

    /// The `/readyz` line of `job`, once it shows a last run.
    func jobLine(_ client: HTTPClient, port: Int, job: String) async -> String? {
        guard let r = try? await client.execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/readyz")) else { return nil }
        let line = String(decoding: r.body, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("job '\(job)':") }
        guard let line, !line.contains("last run never") else { return nil }
        return String(line)
    }

    @Test("SIGKILL twice while the poller waits for a page: after the restarts every item is stored exactly once",
          .timeLimit(.minutes(3)))
    func pollerKilledMidPage() async throws {
        let directory = try TemporaryDirectory()
        let items = 60
        // The peer never answers its 4th and 8th requests: each daemon is killed while it waits for
        // a page, however late this test gets to run (under parallel load it can lag by seconds).
        let peer = try await PagingPeerProcess(directory: directory, items: items, pageSize: 5, delay: 0.05,
                                               unkeyed: [23], hold: [4, 8])
        let port = freeLoopbackPort()
        let storePath = directory.path + "/paklog.sqlite"
        let configPath = try directory.write("paklog.yaml", config(port: port, storePath: storePath, sources: """
            sources:
              erp:
                type: http-poll
                url: \(peer.url)
                every: 1h
                items: body.orders
                itemKey: id
                nextPage: body.next
                cursorParameter: page_info
            """))
        let client = HTTPClient()
        var logs: [String] = []
        for killAfterRequests in [4, 4] {
            let before = peer.requestCount
            let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
            try await waitUntilHealthy(client, port: port, daemon: daemon)
            let reached = await pollUntil(timeout: .seconds(60), interval: .milliseconds(5)) { peer.requestCount >= before + killAfterRequests }
            #expect(reached, "the poller did not read pages:\n\(daemon.standardError.suffix(3000))")
            daemon.signal(SIGKILL)
            _ = await daemon.wait(timeout: .seconds(10))
            logs.append(daemon.standardError)
        }
        let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        try await waitUntilHealthy(client, port: port, daemon: daemon)
        let finished = await pollUntil(timeout: .seconds(90)) { await jobLine(client, port: port, job: "poll-erp") != nil }
        #expect(finished, "the poll never completed:\n\(daemon.standardError.suffix(3000))")
        daemon.signal(SIGTERM)
        _ = await daemon.wait(timeout: .seconds(30))
        await client.shutdown()
        await peer.stop()

        let store = try await StoreContents.read(path: storePath)
        let keys = store.inboxKeys(source: "erp")
        let expected = Set((1...items).filter { $0 != 23 }.map { "ord-\($0)" })
        #expect(keys.count == Set(keys).count, "an item stored twice: \(keys.sorted())")
        #expect(Set(keys) == expected, "missing: \(expected.subtracting(keys).sorted()); logs:\n\(logs.joined().suffix(2000))")
        #expect(store.stream("dlq-source-erp").count == 1, "the item without an id is kept once as a dead letter")
        // The crashes made the poller ask for some pages again; what it stored is unaffected.
        let cursors = peer.records().filter { $0.event == "request" }.map(\.cursor)
        #expect(cursors.count > items / 5)
    }

    @Test("a daily job whose slots fell into the downtime fires once after the start, for the latest slot, and not again after a restart",
          .timeLimit(.minutes(2)))
    func missedDailyJobFiresOnce() async throws {
        let directory = try TemporaryDirectory()
        let port = freeLoopbackPort()
        let storePath = directory.path + "/paklog.sqlite"
        let configPath = try directory.write("paklog.yaml", config(port: port, storePath: storePath))
        // A pruning job that last fired (slot 0) three and a half days ago: slots 1, 2 and 3 came
        // while the daemon was down.
        let day: Int64 = 86_400_000
        let anchor = Int64(Date().timeIntervalSince1970 * 1000) - 7 * day / 2
        let seeded = try SQLiteEventStore(path: storePath, durability: .full, logger: Logger(label: "test.seed"))
        try await seeded.append(AppendTransaction(appends: [], cursors: [CursorUpdate(
            name: "schedule-prune-idempotency-keys",
            value: Array(#"{"anchor":\#(anchor),"every":\#(day),"lastSlot":0,"firedAt":\#(anchor)}"#.utf8), expected: .absent)]))
        await seeded.close()

        let client = HTTPClient()
        var daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        try await waitUntilHealthy(client, port: port, daemon: daemon)
        // The action logs before its slot commits, and the firing is counted after the commit:
        // the counter, not the log line, says the slot is in the store (waiting for the log line
        // let a loaded machine read 0 and kill the daemon before the commit).
        var firings: [Substring] = []
        let fired = await pollUntil(timeout: .seconds(30)) {
            guard let metrics = try? await client.execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/metrics",
                                                                      headers: ["Authorization": "Bearer poller-test-token"])) else { return false }
            firings = String(decoding: metrics.body, as: UTF8.self).split(separator: "\n")
                .filter { $0.hasPrefix("paklog_scheduler_firings_total{") && $0.contains("prune-idempotency-keys") }
            return firings.map { $0.split(separator: " ").last } == ["1"]
        }
        #expect(fired && daemon.standardError.contains("idempotency keys pruned"), "the job did not fire:\n\(daemon.standardError.suffix(3000))")
        #expect(firings.map { $0.split(separator: " ").last } == ["1"], "\(firings)")
        daemon.signal(SIGKILL)
        _ = await daemon.wait(timeout: .seconds(10))
        #expect(try await lastSlot(storePath) == 3, "the latest due slot, not 1 and 2 first")

        daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        try await waitUntilHealthy(client, port: port, daemon: daemon)
        // The restarted daemon has read the job's cursor once /readyz shows its next run.
        _ = await pollUntil(timeout: .seconds(30)) { await jobLine(client, port: port, job: "prune-idempotency-keys") != nil }
        daemon.signal(SIGTERM)
        _ = await daemon.wait(timeout: .seconds(30))
        await client.shutdown()
        #expect(try await lastSlot(storePath) == 3)
        #expect(!daemon.standardError.contains("idempotency keys pruned"), "fired again after the restart")
    }

    /// The pruning job's last fired slot, read from its cursor.
    func lastSlot(_ storePath: String) async throws -> Int? {
        let store = try SQLiteEventStore(path: storePath, durability: .normal, logger: Logger(label: "test.read"))
        let cursor = try await store.loadCursor("schedule-prune-idempotency-keys")
        await store.close()
        guard let cursor, let object = try JSONSerialization.jsonObject(with: Data(cursor.value)) as? [String: Any] else { return nil }
        return object["lastSlot"] as? Int
    }
}
