import Foundation
import OffThePool
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs the README's quickstart as written: the blocks marked `<!-- quickstart: background … -->`
/// are started as long-running shells, each line of a `<!-- quickstart: run -->` block is run
/// and must succeed. Only the environment differs: a temporary `PAKLOG_DATA`, a temporary working
/// folder for the files the commands write, and `PAKLOG_BINARY` so that the binary under test is
/// the one that runs.
@Suite("README quickstart", .serialized)
struct QuickstartTests {
    struct Block {
        var kind: String
        var lines: [String]
    }

    static func blocks() throws -> [Block] {
        let readme = try String(contentsOf: BuiltProducts.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var blocks: [Block] = []
        var pending: String?
        var current: Block?
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if current != nil {
                if line.hasPrefix("```") {
                    blocks.append(current!)
                    current = nil
                } else if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    current!.lines.append(line)
                }
            } else if line.hasPrefix("<!-- quickstart: ") {
                pending = String(line.dropFirst("<!-- quickstart: ".count).dropLast(" -->".count))
            } else if line.hasPrefix("```sh"), let kind = pending {
                current = Block(kind: kind, lines: [])
                pending = nil
            }
        }
        return blocks
    }

    @Test func everyQuickstartCommandRunsAsWritten() async throws {
        let blocks = try Self.blocks()
        #expect(blocks.map(\.kind) == ["background receiver", "background daemon", "run"])
        let work = try TemporaryDirectory()
        let root = BuiltProducts.repositoryRoot.path
        // The commands refer to scripts/ and Mappings/ relative to the repository root; the files
        // they write (headers.txt, receiver.jsonl) go to the work folder through these links.
        for entry in ["scripts", "Mappings"] {
            try FileManager.default.createSymbolicLink(atPath: work.path + "/" + entry, withDestinationPath: root + "/" + entry)
        }
        let environment = [
            "PAKLOG_DATA": work.path + "/data",
            "PAKLOG_BINARY": try BuiltProducts.executable("paklog"),
        ]
        var background: [ChildProcess] = []
        defer { background.forEach { $0.signal(SIGKILL) } }
        for block in blocks where block.kind.hasPrefix("background") {
            let script = block.lines.joined(separator: "\n").replacingOccurrences(of: "\nscripts/bootstrap.sh run", with: "\nexec scripts/bootstrap.sh run")
            background.append(try ChildProcess("/bin/bash", ["-c", script], environment: environment, directory: work.path))
        }
        let daemon = background[1]
        let healthy = await daemon.waitFor(timeout: .seconds(60)) { _ in
            (try? Self.run("curl -sf http://127.0.0.1:8080/readyz", in: work.path, environment: environment).status) == 0
        }
        #expect(healthy, "daemon did not become ready:\n\(daemon.standardError)")

        var outputs: [String] = []
        for line in blocks[2].lines {
            let path = work.path
            let result = try await offThePool { try Self.run(line, in: path, environment: environment) }
            #expect(result.status == 0, "\(line)\n\(result.output)")
            outputs.append(result.output)
        }
        #expect(outputs[1].contains("\"stream\":\"inbox-orders\""))
        #expect(outputs[3].contains("\"type\":\"CanonicalOrder\""))

        // The delivery reaches the receiver (signed, verified by it) and is recorded in the log.
        let delivered = await daemon.waitFor(timeout: .seconds(30)) { _ in
            (try? String(contentsOfFile: work.path + "/receiver.jsonl", encoding: .utf8))?.contains("\"status\": 200") == true
                || (try? String(contentsOfFile: work.path + "/receiver.jsonl", encoding: .utf8))?.contains("\"status\":200") == true
        }
        #expect(delivered, "receiver log:\n\(background[0].standardOutput)\n\(background[0].standardError)")
        let path = work.path
        let events = try await offThePool { try Self.run("scripts/paklog events read --all", in: path, environment: environment) }
        #expect(events.output.contains("\"type\":\"MessageDelivered\""), "\(events.output)")
    }

    /// Runs one command line with bash in `directory`; output is standard output and error.
    static func run(_ command: String, in directory: String, environment: [String: String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
