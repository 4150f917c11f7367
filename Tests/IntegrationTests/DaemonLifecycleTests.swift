import Foundation
import HTTPClient
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `paklog` binary under a stand-in for systemd.
@Suite("Daemon lifecycle", .serialized)
struct DaemonLifecycleTests {
    static func minimalConfig(port: Int, data: String, token: String = "test-token") -> String {
        """
        storage:
          path: \(data)/paklog.sqlite
        http:
          host: 127.0.0.1
          port: \(port)
          apiTokens: ["\(token)"]
        logging:
          format: json
        """
    }

    @Test func notifiesReadyWhenListeningAndStoppingOnSIGTERM() async throws {
        let dir = try TemporaryDirectory()
        let port = freeLoopbackPort()
        let configPath = try dir.write("paklog.yaml", Self.minimalConfig(port: port, data: dir.path))
        let notify = try NotifySocket(directory: dir.path)
        let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath],
                                      environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "2000000"])

        let ready = notify.receive(until: "READY=1", timeout: .seconds(30))
        #expect(ready != nil, "no READY=1; daemon log:\n\(daemon.standardError)")

        let client = HTTPClient()
        let health = try await client.execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/healthz"))
        #expect(health.status == 200)
        // WatchdogSec=2s → WATCHDOG=1 about every second.
        #expect(notify.receive(until: "WATCHDOG=1", timeout: .seconds(5)) != nil)

        daemon.signal(SIGTERM)
        #expect(notify.receive(until: "STOPPING=1", timeout: .seconds(10)) != nil)
        #expect(await daemon.wait(timeout: .seconds(20)) == 0, "daemon log:\n\(daemon.standardError)")
        await client.shutdown()
    }

    @Test func everyRouteButHealthNeedsAToken() async throws {
        let dir = try TemporaryDirectory()
        let port = freeLoopbackPort()
        let configPath = try dir.write("paklog.yaml", Self.minimalConfig(port: port, data: dir.path, token: "s3cr3t-token"))
        let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        defer { daemon.signal(SIGKILL) }
        let client = HTTPClient()
        defer { Task { await client.shutdown() } }
        try await waitUntilHealthy(client, port: port, daemon: daemon)

        let ready = try await client.execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/readyz"))
        #expect(ready.status == 200)
        let anonymous = try await client.execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/metrics"))
        #expect(anonymous.status == 401)
        let wrong = try await client.execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/metrics", headers: ["Authorization": "Bearer nope"]))
        #expect(wrong.status == 401)
        let metrics = try await client.execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/metrics", headers: ["Authorization": "Bearer s3cr3t-token"]))
        #expect(metrics.status == 200)
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(text.contains("hb_requests"), "metrics:\n\(text)")
        #expect(!daemon.standardError.contains("s3cr3t-token"))
    }

    @Test func sighupKeepsTheRunningConfigurationWhenTheNewOneIsBroken() async throws {
        let dir = try TemporaryDirectory()
        let port = freeLoopbackPort()
        let configPath = try dir.write("paklog.yaml", Self.minimalConfig(port: port, data: dir.path))
        let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        defer { daemon.signal(SIGKILL) }
        let client = HTTPClient()
        defer { Task { await client.shutdown() } }
        try await waitUntilHealthy(client, port: port, daemon: daemon)

        _ = try dir.write("paklog.yaml", Self.minimalConfig(port: port, data: dir.path) + "\nroutes: 42\n")
        daemon.signal(SIGHUP)
        let refused = await daemon.waitFor(timeout: .seconds(10)) { $0.standardError.contains("reload refused") }
        #expect(refused, "daemon log:\n\(daemon.standardError)")
        #expect(daemon.standardError.contains("paklog.yaml:"))
        let health = try await client.execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/healthz"))
        #expect(health.status == 200)

        _ = try dir.write("paklog.yaml", Self.minimalConfig(port: port, data: dir.path))
        daemon.signal(SIGHUP)
        #expect(await daemon.waitFor(timeout: .seconds(10)) { $0.standardError.contains("configuration reloaded") })
    }

    @Test func configCheckNamesEveryProblem() async throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("bad.yaml", "storage:\n  durabilty: full\nhttp:\n  port: eighty\n")
        let check = try ChildProcess(try BuiltProducts.executable("paklog"), ["config", "check", path])
        #expect(await check.wait(timeout: .seconds(20)) == 2)
        #expect(check.standardError.contains("bad.yaml:2:3: storage.durabilty: unknown key 'durabilty'"))
        #expect(check.standardError.contains("bad.yaml:4:9: http.port: expected an integer"))
    }
}

/// Polls `/healthz` until it answers 200.
/// The default is patience, not a bound: at the end of a full run on two cores a daemon that logged
/// "listening" at once was not answered within 30 s (the test process's own task pool was busy).
func waitUntilHealthy(_ client: HTTPClient, port: Int, daemon: ChildProcess, timeout: Duration = .seconds(90), tls: TLSConfiguration? = nil) async throws {
    let deadline = ContinuousClock.now + timeout
    let url = "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)/healthz"
    while ContinuousClock.now < deadline {
        if let r = try? await client.execute(HTTPRequest(method: "GET", url: url, tls: tls)), r.status == 200 { return }
        guard daemon.process.isRunning else { break }
        try await Task.sleep(for: .milliseconds(50))
    }
    struct NotHealthy: Error, CustomStringConvertible { let log: String; var description: String { "daemon never became healthy:\n\(log)" } }
    throw NotHealthy(log: daemon.standardError)
}
