import EventStore
import Foundation
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Kills a process that appends to the event store with SIGKILL at random moments and checks,
/// after reopening, that every acknowledged append is there and that no batch is partly written.
@Suite("Event store crash safety", .timeLimit(.minutes(3)))
struct StoreCrashTests {
    static let appenders = 6
    static let batchSize = 5

    /// The child binary sits beside the test bundle in the build products directory; building the
    /// tests builds it (IntegrationTests depends on the StoreCrashChild target).
    static func childBinary() throws -> URL {
        var candidates: [URL] = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
        ]
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        for directory in candidates {
            let binary = directory.appendingPathComponent("StoreCrashChild")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        }
        throw ChildMissing(searched: candidates.map(\.path))
    }

    struct ChildMissing: Error, CustomStringConvertible {
        var searched: [String]
        var description: String {
            "StoreCrashChild executable not found next to the tests (looked in \(searched.joined(separator: ", "))); build it with the test products"
        }
    }

    struct Acknowledged {
        var stream: String
        var first: Int64
        var last: Int64
        var ids: [UUID]
    }

    /// Collects the child's stdout on a thread of its own (blocking reads stay off the
    /// cooperative pool).
    final class OutputCollector: Sendable {
        private let lines = Mutex<(complete: [String], partial: [UInt8], ended: Bool)>(([], [], false))

        init(_ handle: FileHandle) {
            let thread = Thread { [self] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    lines.withLock { state in
                        for byte in chunk {
                            if byte == 0x0A {
                                state.complete.append(String(decoding: state.partial, as: UTF8.self))
                                state.partial = []
                            } else {
                                state.partial.append(byte)
                            }
                        }
                    }
                }
                lines.withLock { $0.ended = true }
            }
            thread.start()
        }

        var completeLines: [String] { lines.withLock { $0.complete } }
        var ended: Bool { lines.withLock { $0.ended } }
    }

    @Test("every acknowledged append survives SIGKILL, and no batch is partly written", arguments: 1...4)
    func killAtRandomMoment(round: Int) async throws {
        let child = try Self.childBinary()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("events.sqlite").path

        let process = Process()
        process.executableURL = child
        process.arguments = [path, String(Self.appenders), String(Self.batchSize)]
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let output = OutputCollector(stdout.fileHandleForReading)

        // Kill after a random number of acknowledged batches, plus a random few milliseconds so
        // that the kill also lands inside commits, not only right after an acknowledgement.
        let acksBeforeKill = Int.random(in: 20...400)
        while output.completeLines.count < acksBeforeKill + 1 {
            if !process.isRunning { Issue.record("child exited early with status \(process.terminationStatus)"); return }
            try await Task.sleep(for: .milliseconds(2))
        }
        try await Task.sleep(for: .milliseconds(Int.random(in: 0...25)))
        kill(process.processIdentifier, SIGKILL)
        while process.isRunning || !output.ended { try await Task.sleep(for: .milliseconds(5)) }
        #expect(process.terminationReason == .uncaughtSignal)

        let lines = output.completeLines
        #expect(lines.first == "ready")
        let acknowledged = try lines.dropFirst().map { line -> Acknowledged in
            let fields = line.split(separator: " ")
            guard fields.count == 5, fields[0] == "ack", let first = Int64(fields[2]), let last = Int64(fields[3]) else {
                throw ParseFailure(line: line)
            }
            return Acknowledged(stream: String(fields[1]), first: first, last: last,
                                ids: fields[4].split(separator: ",").compactMap { UUID(uuidString: String($0)) })
        }
        #expect(acknowledged.count >= acksBeforeKill)

        let store = try SQLiteEventStore(path: path, logger: Logger(label: "crash-test"))
        var log: [RecordedEvent] = []
        var after: Int64 = 0
        while true {
            let page = try await store.readAll(after: after, filter: .all, maxCount: 2000)
            log += page.events
            if page.events.isEmpty { break }
            after = page.scannedThrough
        }
        await store.close()

        // 1. Every acknowledged batch is present, at its acknowledged positions, in its stream.
        let byPosition = Dictionary(uniqueKeysWithValues: log.map { ($0.position, $0) })
        for ack in acknowledged {
            let stored = (ack.first...ack.last).compactMap { byPosition[$0] }
            #expect(stored.map(\.id) == ack.ids, "acknowledged batch at \(ack.first)...\(ack.last) of \(ack.stream) is missing or different")
            #expect(stored.allSatisfy { $0.stream.rawValue == ack.stream })
        }
        // 2. The log has no gaps, and each stream's versions are contiguous from 0.
        #expect(log.map(\.position) == (0..<log.count).map { Int64($0) + 1 })
        var versions: [StreamName: Int64] = [:]
        for event in log {
            #expect(event.streamVersion == (versions[event.stream] ?? -1) + 1, "stream \(event.stream) skips at version \(event.streamVersion)")
            versions[event.stream] = event.streamVersion
        }
        // 3. No batch is partly written: each stored (stream, batch) group holds the whole batch.
        struct Body: Decodable { var appender: Int; var batch: Int; var index: Int }
        var groups: [String: [Int]] = [:]
        for event in log {
            let body = try JSONDecoder().decode(Body.self, from: Data(event.data))
            groups["\(body.appender)/\(body.batch)", default: []].append(body.index)
        }
        for (group, indexes) in groups {
            #expect(indexes == Array(0..<Self.batchSize), "batch \(group) is partly written: \(indexes)")
        }
        // The store held more than the acknowledged batches only by batches committed but not yet
        // acknowledged when the kill came; never fewer.
        #expect(groups.count >= acknowledged.count)
    }

    struct ParseFailure: Error, CustomStringConvertible {
        var line: String
        var description: String { "unreadable line from StoreCrashChild: '\(line)'" }
    }
}
