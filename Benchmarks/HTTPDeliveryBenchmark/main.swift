// HTTP delivery throughput of HTTPClient: POSTs of a ~2 KB JSON document to a local nginx that
// answers every request with 200, with connection reuse and with a fresh connection per request
// (CURLOPT_FORBID_REUSE), at concurrency 1 and 32.
//
//   swift run -c release HTTPDeliveryBenchmark [--seconds 4]
//
// nginx runs single-process (`master_process off`) from a temporary prefix on a free loopback
// port; it shares the machine's cores with this process, so the figures are for the pair.

import Foundation
import HTTPClient

struct Scenario {
    let name: String
    let reuse: Bool
    let concurrency: Int
}

struct Result {
    let scenario: Scenario
    let deliveries: Int
    let failures: Int
    let elapsed: Duration
    let latencies: [Duration]
    /// CPU time (user + system) this process spent, which the machine's load does not inflate
    /// the way it inflates wall time.
    let cpuSeconds: Double

    var cpuMicrosecondsPerDelivery: Double { deliveries > 0 ? cpuSeconds * 1e6 / Double(deliveries) : 0 }

    var perSecond: Double { Double(deliveries) / seconds(elapsed) }

    func percentile(_ p: Double) -> Duration {
        guard !latencies.isEmpty else { return .zero }
        let sorted = latencies.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}

func seconds(_ duration: Duration) -> Double {
    let (whole, fraction) = duration.components
    return Double(whole) + Double(fraction) / 1e18
}

func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func milliseconds(_ duration: Duration) -> String {
    String(format: "%.3f", seconds(duration) * 1000)
}

/// A ~2 KB order document, like the dispatcher's deliveries to carrier APIs.
func orderDocument() -> [UInt8] {
    var lines: [String] = []
    for index in 0..<20 {
        lines.append(
            #"{"line":\#(index + 1),"sku":"SKU-\#(100_000 + index * 37)","description":"Carton 40x30x20 brown","quantity":\#(index % 5 + 1),"unit":"EA"}"#
        )
    }
    let json =
        #"{"orderId":"PO-2026-000123","partner":"ACME-LOGISTICS","shipTo":{"name":"Warehouse 7","city":"Rotterdam","country":"NL"},"lines":["#
        + lines.joined(separator: ",") + "]}"
    return Array(json.utf8)
}

// MARK: nginx

func freePort() -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

func startNginx(prefix: String, port: Int) throws -> Process {
    try FileManager.default.createDirectory(atPath: prefix + "/logs", withIntermediateDirectories: true)
    let configuration = """
        daemon off;
        master_process off;
        pid \(prefix)/nginx.pid;
        error_log \(prefix)/logs/error.log warn;
        events { worker_connections 1024; }
        http {
            access_log off;
            keepalive_requests 1000000;
            keepalive_timeout 60s;
            client_body_buffer_size 16k;
            client_body_temp_path \(prefix)/body;
            proxy_temp_path \(prefix)/proxy;
            fastcgi_temp_path \(prefix)/fastcgi;
            uwsgi_temp_path \(prefix)/uwsgi;
            scgi_temp_path \(prefix)/scgi;
            server {
                listen 127.0.0.1:\(port);
                location / { return 200 "{\\"accepted\\":true}"; }
            }
        }
        """
    try configuration.write(toFile: prefix + "/nginx.conf", atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
    process.arguments = ["-c", prefix + "/nginx.conf", "-p", prefix]
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
}

func waitForNginx(_ client: HTTPClient, url: String) async throws {
    for _ in 0..<100 {
        if let response = try? await client.execute(HTTPRequest(url: url)), response.status == 200 { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw HTTPClientError(kind: .connectFailed, url: url, detail: "nginx did not come up")
}

// MARK: Runs

func run(_ scenario: Scenario, url: String, body: [UInt8], duration: Duration) async -> Result {
    let client = HTTPClient(
        configuration: .init(maxConnectionsPerHost: 64, reuseConnections: scenario.reuse))
    let request = HTTPRequest(
        method: .post, url: url, headers: ["Content-Type": "application/json"], body: body)
    // Warm-up: connections, caches, the loop thread.
    for _ in 0..<50 { _ = try? await client.execute(request) }

    let clock = ContinuousClock()
    let cpuAtStart = processCPUSeconds()
    let start = clock.now
    let deadline = start + duration
    let outcomes = await withTaskGroup(of: (Int, Int, [Duration]).self) { group in
        for _ in 0..<scenario.concurrency {
            group.addTask {
                var delivered = 0
                var failed = 0
                var latencies: [Duration] = []
                while clock.now < deadline {
                    do {
                        let response = try await client.execute(request)
                        if response.status == 200 {
                            delivered += 1
                            latencies.append(response.totalTime)
                        } else {
                            failed += 1
                        }
                    } catch {
                        failed += 1
                    }
                }
                return (delivered, failed, latencies)
            }
        }
        var total = (0, 0, [Duration]())
        for await outcome in group {
            total.0 += outcome.0
            total.1 += outcome.1
            total.2 += outcome.2
        }
        return total
    }
    let elapsed = clock.now - start
    let cpu = processCPUSeconds() - cpuAtStart
    await client.shutdown()
    return Result(
        scenario: scenario, deliveries: outcomes.0, failures: outcomes.1, elapsed: elapsed, latencies: outcomes.2,
        cpuSeconds: cpu)
}

var runSeconds = 4
if let index = CommandLine.arguments.firstIndex(of: "--seconds"), index + 1 < CommandLine.arguments.count,
    let value = Int(CommandLine.arguments[index + 1])
{
    runSeconds = value
}

let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("paklog-http-bench-\(UUID().uuidString)").path
let port = freePort()
let nginx = try startNginx(prefix: prefix, port: port)
defer {
    kill(nginx.processIdentifier, SIGKILL)  // SIGTERM may be blocked in the child's inherited mask
    nginx.waitUntilExit()
    try? FileManager.default.removeItem(atPath: prefix)
}
let url = "http://127.0.0.1:\(port)/deliveries"
let body = orderDocument()

let probe = HTTPClient()
try await waitForNginx(probe, url: url)
await probe.shutdown()

print("HTTPDeliveryBenchmark: POST \(body.count) B JSON to nginx \(url), \(runSeconds) s per scenario")
print("libcurl multi handle on one loop thread; cores: \(ProcessInfo.processInfo.activeProcessorCount)")
print("p50/p99: libcurl's total time per transfer; CPU: this process only (nginx excluded)")
print("")
let scenarios = [
    Scenario(name: "reuse, concurrency 1", reuse: true, concurrency: 1),
    Scenario(name: "reuse, concurrency 32", reuse: true, concurrency: 32),
    Scenario(name: "new connection each, concurrency 1", reuse: false, concurrency: 1),
    Scenario(name: "new connection each, concurrency 32", reuse: false, concurrency: 32),
]
var results: [String: Result] = [:]
print("scenario                               deliveries/s   p50 ms   p99 ms   client CPU us/delivery   failures")
for scenario in scenarios {
    let result = await run(scenario, url: url, body: body, duration: .seconds(runSeconds))
    results[scenario.name] = result
    print(
        scenario.name.padding(toLength: 38, withPad: " ", startingAt: 0)
            + String(format: "%13.0f", result.perSecond)
            + milliseconds(result.percentile(0.5)).leftPadded(9)
            + milliseconds(result.percentile(0.99)).leftPadded(9)
            + String(format: "%25.1f", result.cpuMicrosecondsPerDelivery)
            + "\(result.failures)".leftPadded(11))
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

func ratio(_ a: String, _ b: String, in results: [String: Result]) -> String {
    guard let x = results[a], let y = results[b], y.perSecond > 0 else { return "n/a" }
    return String(format: "%.2fx", x.perSecond / y.perSecond)
}
print("")
print("reuse vs new connection, concurrency 1:  " + ratio("reuse, concurrency 1", "new connection each, concurrency 1", in: results))
print("reuse vs new connection, concurrency 32: " + ratio("reuse, concurrency 32", "new connection each, concurrency 32", in: results))
print("concurrency 32 vs 1, with reuse:         " + ratio("reuse, concurrency 32", "reuse, concurrency 1", in: results))
print("concurrency 32 vs 1, new connections:    " + ratio("new connection each, concurrency 32", "new connection each, concurrency 1", in: results))
