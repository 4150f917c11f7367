import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// scripts/receiver.py (the quickstart's receiver) as a separate process on a free port, recording
/// every request it gets to a JSON-lines file that the test reads.
final class ReceiverProcess: Sendable {
    let process: ChildProcess
    let port: Int
    let logPath: String
    let secret: String

    var url: String { "http://127.0.0.1:\(port)/deliveries" }

    /// A fresh `whsec_` secret of 32 random bytes.
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "whsec_" + Data(key).base64EncodedString()
    }

    /// Starts the receiver; `arguments` adds fault injection (`--fail-rate`, `--down-after` …).
    init(directory: TemporaryDirectory, secret: String = ReceiverProcess.newSecret(), arguments: [String] = []) async throws {
        self.secret = secret
        logPath = directory.path + "/receiver-\(UUID().uuidString.prefix(6)).jsonl"
        let script = BuiltProducts.repositoryRoot.appendingPathComponent("scripts/receiver.py").path
        process = try ChildProcess(
            "/usr/bin/python3",
            [script, "--port", "0", "--log", logPath, "--record-field", "orderId", "--control"] + arguments,
            environment: ["PAKLOG_RECEIVER_SECRET": secret, "PYTHONUNBUFFERED": "1"])
        guard let port = await process.announcedPort(after: "receiver listening on http://127.0.0.1:") else {
            throw NotStarted(output: process.standardOutput + process.standardError)
        }
        self.port = port
    }

    struct NotStarted: Error, CustomStringConvertible {
        let output: String
        var description: String { "receiver.py did not start:\n\(output)" }
    }

    /// Everything recorded so far (a line being written is skipped).
    func records() -> [ReceiverRecord] {
        guard let data = FileManager.default.contents(atPath: logPath) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            try? JSONDecoder().decode(ReceiverRecord.self, from: Data(line))
        }
    }

    /// Stops it with SIGTERM; returns its summary line.
    func stop() async -> String {
        process.signal(SIGTERM)
        _ = await process.wait(timeout: .seconds(5))
        // The pipe may still hold the last line right after the exit.
        _ = await pollUntil(timeout: .seconds(2), interval: .milliseconds(20)) { process.standardOutput.contains("summary:") }
        return process.standardOutput.split(separator: "\n").last { $0.hasPrefix("summary:") }.map(String.init) ?? "(no summary)"
    }

    deinit { process.signal(SIGKILL) }
}

/// One request the receiver got (a line of its --log file).
struct ReceiverRecord: Decodable, Sendable {
    var webhookId: String?
    var receivedAt: Double
    var status: Int
    var attempt: Int
    var duplicate: Bool
    /// The body's `orderId` (the canonical order the mapping produced).
    var field: String?
    var reason: String?
}

/// What the receiver's records say, per canonical order.
struct ReceiverTally {
    let records: [ReceiverRecord]

    /// Orders answered 200 at least once.
    var deliveredOrderIds: Set<String> { Set(records.filter { $0.status == 200 }.compactMap(\.field)) }
    /// Requests that repeated a webhook-id already answered 200 (redeliveries the receiver dedupes).
    var duplicateDeliveries: Int { records.filter(\.duplicate).count }
    /// All requests after the first one of their webhook-id (whatever the answer).
    var redeliveries: Int { records.filter { $0.attempt > 1 }.count }
    /// Distinct webhook-ids per order: must be exactly one, or redeliveries could not be recognised.
    var webhookIdsByOrder: [String: Set<String>] {
        var map: [String: Set<String>] = [:]
        for r in records { if let f = r.field, let id = r.webhookId { map[f, default: []].insert(id) } }
        return map
    }
    var badSignatures: [ReceiverRecord] { records.filter { $0.status == 401 } }
}
