import Foundation
import OffThePool

/// A peer server started as a child process for one test and stopped at its end.
///
/// Blocking process work (waiting for the first output line, waiting for exit) runs on a thread
/// of its own: not on the cooperative pool the client under test shares, and not on Dispatch's
/// global queue, which on Linux runs only as many blocking items at once as there are cores.
///
/// Children are stopped with SIGKILL: they inherit the signal mask of the pool thread that
/// spawned them, with SIGTERM blocked, and nginx in single-process mode never unblocks it.
final class PeerProcess: Sendable {
    private let process: Process
    /// Kept open for the child's lifetime: the fault server exits when its stdin reaches EOF, so
    /// it cannot outlive a crashed test process.
    private let stdinPipe: Pipe
    let firstLine: String

    private init(process: Process, stdinPipe: Pipe, firstLine: String) {
        self.process = process
        self.stdinPipe = stdinPipe
        self.firstLine = firstLine
    }

    /// Starts `executable` and waits for its first line of standard output, or for it to exit.
    static func start(_ executable: String, _ arguments: [String], waitForLine: Bool = true) async throws -> PeerProcess {
        try await offThePool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let stdinPipe = Pipe()
            let stdoutPipe = Pipe()
            process.standardInput = stdinPipe
            process.standardOutput = stdoutPipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            var line = ""
            if waitForLine {
                var buffer: [UInt8] = []
                let reader = stdoutPipe.fileHandleForReading
                while !buffer.contains(UInt8(ascii: "\n")) {
                    let data = reader.availableData
                    if data.isEmpty { break }
                    buffer += data
                }
                guard let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) else {
                    kill(process.processIdentifier, SIGKILL)
                    throw PeerError("\(executable) exited before reporting readiness")
                }
                line = String(decoding: buffer[..<newline], as: UTF8.self)
            }
            return PeerProcess(process: process, stdinPipe: stdinPipe, firstLine: line)
        }
    }

    func stop() async {
        await offThePool {
            if self.process.isRunning { kill(self.process.processIdentifier, SIGKILL) }
            try? self.stdinPipe.fileHandleForWriting.close()
            self.process.waitUntilExit()
        }
    }
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a shell script and throws when it fails. Output goes to files, not pipes: a server
/// spawned at the same moment by another test may inherit a pipe's write end and keep it open.
func shell(_ script: String) async throws {
    try await offThePool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PeerError("script failed (\(process.terminationStatus)): \(script)")
        }
    }
}
