import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// scripts/paging_peer.py (a paging HTTP API) as a separate process on a free port, recording
/// every request to a JSON-lines file that the test reads. Requests numbered in `hold` are never
/// answered: the client waits in the middle of a page until it is killed.
final class PagingPeerProcess: Sendable {
    let process: ChildProcess
    let port: Int
    let logPath: String

    var url: String { "http://127.0.0.1:\(port)/orders" }

    struct Record: Decodable, Equatable {
        var event: String
        var cursor: String?
    }

    init(directory: TemporaryDirectory, items: Int, pageSize: Int, delay: Double, unkeyed: [Int] = [], hold: [Int] = []) async throws {
        logPath = directory.path + "/paging-peer-\(UUID().uuidString.prefix(6)).jsonl"
        let script = BuiltProducts.repositoryRoot.appendingPathComponent("scripts/paging_peer.py").path
        process = try ChildProcess(
            "/usr/bin/python3",
            [script, "--port", "0", "--items", "\(items)", "--page-size", "\(pageSize)", "--delay", "\(delay)",
             "--unkeyed", unkeyed.map(String.init).joined(separator: ","),
             "--hold", hold.map(String.init).joined(separator: ","), "--log", logPath],
            environment: ["PYTHONUNBUFFERED": "1"])
        guard let port = await process.announcedPort(after: "paging peer listening on http://127.0.0.1:") else {
            throw NotStarted(output: process.standardOutput + process.standardError)
        }
        self.port = port
    }

    struct NotStarted: Error, CustomStringConvertible {
        let output: String
        var description: String { "paging_peer.py did not start:\n\(output)" }
    }

    /// Everything recorded so far (a line being written is skipped).
    func records() -> [Record] {
        guard let data = FileManager.default.contents(atPath: logPath) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? JSONDecoder().decode(Record.self, from: Data($0)) }
    }

    var requestCount: Int { records().filter { $0.event == "request" }.count }

    func stop() async {
        process.signal(SIGTERM)
        _ = await process.wait(timeout: .seconds(5))
    }

    deinit { if process.process.isRunning { process.signal(SIGKILL) } }
}
