import Foundation

/// scripts/paging_peer.py on a free loopback port, for the poller's tests (the integration tests
/// have their own launcher around the daemon's child processes).
final class PagingPeer: Sendable {
    let process: Process
    let port: Int
    let directory: URL

    var url: String { "http://127.0.0.1:\(port)/orders" }

    init(items: Int, pageSize: Int, unkeyed: [Int] = []) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("paging-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let output = directory.appendingPathComponent("stdout")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [root.appendingPathComponent("scripts/paging_peer.py").path, "--port", "0", "--items", "\(items)",
                             "--page-size", "\(pageSize)", "--unkeyed", unkeyed.map(String.init).joined(separator: ","),
                             "--log", directory.appendingPathComponent("requests.jsonl").path]
        process.environment = ["PYTHONUNBUFFERED": "1"]
        // Its own files, not the test runner's pipes: a peer left behind must not keep them open.
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: output)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let marker = "paging peer listening on http://127.0.0.1:"
        for _ in 0..<400 {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let range = text.range(of: marker), let port = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                self.port = port
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(process.processIdentifier, SIGKILL)
        throw NotStarted()
    }

    struct NotStarted: Error {}

    /// The cursors of the requests so far, in order (nil: the first page).
    func requestedCursors() -> [String?] {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("requests.jsonl").path) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line -> (String, String?)? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], let event = object["event"] as? String else { return nil }
            return (event, object["cursor"] as? String)
        }.filter { $0.0 == "request" }.map(\.1)
    }

    /// SIGKILL, without waiting: the peer needs no clean exit.
    func stop() { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
