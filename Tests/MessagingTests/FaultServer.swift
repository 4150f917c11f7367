import Codecs
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HTTPClient
import JSON
import Mapping

/// The Python fault-injection peer (Support/fault_server.py), started as a subprocess on a free
/// loopback port for one test and stopped after it.
final class FaultServer: Sendable {
    let port: Int
    private let process: Process
    private let input: Pipe
    let client: HTTPClient

    struct Request: Sendable {
        var path: String
        var webhookId: String?
        var webhookTimestamp: String?
        var webhookSignature: String?
        var body: String
        /// The body's exact bytes.
        var bodyBytes: [UInt8]
        var method: String
        var outcome: String
        var at: Date
        /// All request header fields, names lower-cased.
        var headers: [String: String]
    }

    /// Starts the server and waits for the port it prints, on a thread of its own: the
    /// cooperative pool has two threads here, and Python's start-up takes a tenth of a second
    /// or more that a blocked pool thread would take from every other test.
    init(arguments: [String] = []) async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Support/fault_server.py").path
        let started: Started = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.launch(script: script, arguments: arguments) })
            }
        }
        self.port = started.port
        self.process = started.process
        self.input = started.input
        self.client = HTTPClient()
    }

    /// What `launch` hands back across threads (Process and Pipe are not Sendable).
    private struct Started: @unchecked Sendable {
        let process: Process
        let input: Pipe
        let port: Int
    }

    private static func launch(script: String, arguments: [String]) throws -> Started {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script] + arguments
        let out = Pipe()
        process.standardOutput = out
        // The server exits when this pipe closes, so a killed test leaves no server behind.
        let input = Pipe()
        process.standardInput = input
        try process.run()
        var line: [UInt8] = []
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            guard let b = byte.first else { throw TestFailure("fault server exited before printing its port") }
            if b == UInt8(ascii: "\n") { break }
            line.append(b)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else { throw TestFailure("fault server printed no port") }
        return Started(process: process, input: input, port: port)
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func setMode(_ mode: String) async throws {
        _ = try await client.execute(HTTPRequest(method: .post, url: url("/_mode/\(mode)")))
    }

    func requests() async throws -> [Request] {
        let response = try await client.execute(HTTPRequest(method: .get, url: url("/_requests")))
        return try response.body.split(separator: UInt8(ascii: "\n")).map { line in
            let v = try JSONValue(parsing: line)
            return Request(path: v["path"]?.stringValue ?? "", webhookId: v["webhookId"]?.stringValue,
                           webhookTimestamp: v["webhookTimestamp"]?.stringValue, webhookSignature: v["webhookSignature"]?.stringValue,
                           body: v["body"]?.stringValue ?? "", bodyBytes: (try? Hex.decode(v["bodyHex"]?.stringValue ?? "")) ?? [],
                           method: v["method"]?.stringValue ?? "", outcome: v["outcome"]?.stringValue ?? "",
                           at: Date(timeIntervalSince1970: v["at"]?.doubleValue ?? 0),
                           headers: (v["headers"]?.objectValue ?? [:]).reduce(into: [:]) { $0[$1.key] = $1.value.stringValue })
        }
    }

    func stop() async {
        await client.shutdown()
        // SIGTERM may be blocked in the mask the child inherited from a test thread: closing its
        // stdin makes it exit by itself, SIGKILL makes sure.
        try? input.fileHandleForWriting.close()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
