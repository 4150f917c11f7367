// The child process of IntegrationTests/StoreCrashTests.swift: it appends batches to an event
// store as fast as it can, from several concurrent tasks (so that group commit batches them), and
// writes one line per ACKNOWLEDGED batch to stdout:
//
//     ack <stream> <first position> <last position> <id>,<id>,…
//
// The parent kills it with SIGKILL at a random moment and checks every acknowledged event.
// Usage: StoreCrashChild <database path> <appenders> <events per batch>
import EventStore
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// One `write(2)` per line: lines from concurrent tasks never interleave (a pipe write of at most
/// PIPE_BUF bytes is atomic), and nothing waits in a user-space buffer when the kill comes.
func emit(_ line: String) {
    var bytes = Array(line.utf8)
    bytes.append(0x0A)
    precondition(bytes.count <= 4096, "an ack line must fit in one atomic pipe write")
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
            if written <= 0 { exit(3) }
            offset += written
        }
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let appenders = Int(arguments[2]), let batchSize = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: StoreCrashChild <database path> <appenders> <events per batch>\n".utf8))
    exit(2)
}
let store = try SQLiteEventStore(path: arguments[1], durability: .full, logger: Logger(label: "crash-child"))
emit("ready")

try await withThrowingTaskGroup(of: Void.self) { group in
    for appender in 0..<appenders {
        group.addTask {
            let stream = StreamName("crash-\(appender)")
            var batch = 0
            while true {
                batch += 1
                let events = (0..<batchSize).map { index in
                    NewEvent(type: "Appended", data: Array(#"{"appender":\#(appender),"batch":\#(batch),"index":\#(index)}"#.utf8))
                }
                let result = try await store.append(to: stream, events, expectedVersion: .any)
                emit("ack \(stream) \(result.positions.first!) \(result.positions.last!) \(events.map(\.id.uuidString).joined(separator: ","))")
            }
        }
    }
    try await group.waitForAll()
}
