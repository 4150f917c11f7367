import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started by a test, with its standard output and error collected line by line,
/// killed when the test is done with it.
final class ChildProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched from the test's own task; the output buffers are
    // guarded by `lock` because Foundation delivers pipe data on its own threads.
    let process = Process()
    private let lock = NSLock()
    private var stdoutBuffer = Data()
    private var stderrBuffer = Data()
    /// Pipe readers that have not seen end of file yet: after the exit, what the child wrote
    /// last may still be on its way into the buffers.
    private var openReaders = 2

    /// Held open for a child that exits when its standard input closes (fault_server.py), so it
    /// cannot outlive the test.
    private var inputPipe: Pipe?

    /// - Parameter holdingStandardInput: give the child a pipe as standard input that stays open
    ///   while this value lives, instead of /dev/null.
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil, holdingStandardInput: Bool = false) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if holdingStandardInput {
            let input = Pipe()
            inputPipe = input
            process.standardInput = input
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        // Each pipe is read by a thread of its own with blocking reads until end of file, not
        // by readability handlers: their dispatch sources, cancelled while the pipe closes,
        // are the suspected cause of the libdispatch crash in _dispatch_event_loop_drain (and
        // of lost child exits) that whole-suite runs have shown.
        for (handle, isOutput) in [(out.fileHandleForReading, true), (err.fileHandleForReading, false)] {
            Thread.detachNewThread { [weak self] in
                while true {
                    let d = handle.availableData
                    if d.isEmpty {
                        self?.lock.lock()
                        self?.openReaders -= 1
                        self?.lock.unlock()
                        return
                    }
                    guard let self else { continue }
                    self.lock.lock()
                    if isOutput { self.stdoutBuffer.append(d) } else { self.stderrBuffer.append(d) }
                    self.lock.unlock()
                }
            }
        }
        try process.run()
    }



    var pid: Int32 { process.processIdentifier }

    var standardOutput: String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: stdoutBuffer, as: UTF8.self)
    }

    var standardError: String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: stderrBuffer, as: UTF8.self)
    }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Waits for exit up to `timeout`, and then (up to 2 s more: a grandchild may hold a pipe)
    /// for the output to be read to its end; returns the exit status, or nil if still running.
    func wait(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { return nil }
        let drained = ContinuousClock.now + .seconds(2)
        while readersOpen, ContinuousClock.now < drained {
            try? await Task.sleep(for: .milliseconds(5))
        }
        return process.terminationStatus
    }

    private var readersOpen: Bool {
        lock.lock(); defer { lock.unlock() }
        return openReaders > 0
    }

    /// Waits until `condition` holds on the collected standard error (logs) or output.
    func waitFor(timeout: Duration, _ condition: (ChildProcess) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            if !process.isRunning { return condition(self) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(self)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it back, close).
func freeLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

extension ChildProcess {
    /// The port a peer announces on its standard output right after `marker` (nil when it did not
    /// within `timeout`).
    func announcedPort(after marker: String, timeout: Duration = .seconds(20)) async -> Int? {
        guard await waitFor(timeout: timeout, { $0.standardOutput.contains(marker) }) else { return nil }
        let output = standardOutput
        guard let range = output.range(of: marker) else { return nil }
        return Int(output[range.upperBound...].prefix { $0.isNumber })
    }
}
