import Foundation
import HTTPClient

#if canImport(Glibc)
import Glibc
#endif

/// The real `paklog serve` on an end-to-end configuration, which a test can stop, kill and start
/// again on the same store and port. Keeps the logs of every run.
final class GatewayDaemon {
    let configuration: EndToEndConfiguration
    let configPath: String
    private(set) var process: ChildProcess?
    private var earlierLogs: [String] = []
    private(set) var starts = 0

    init(configuration: EndToEndConfiguration, directory: TemporaryDirectory) throws {
        self.configuration = configuration
        configPath = try directory.write("paklog.yaml", configuration.yaml)
    }

    var port: Int { configuration.port }
    var webhookURL: String { configuration.webhookURL }
    var storePath: String { configuration.storePath }

    /// The daemon's log (standard error) of all runs so far, runs separated by a marker line.
    var log: String {
        (earlierLogs + [process?.standardError ?? ""]).enumerated()
            .map { "----- run \($0.offset + 1) -----\n\($0.element)" }.joined(separator: "\n")
    }

    /// Starts the daemon and waits until `/healthz` answers.
    func start(client: HTTPClient) async throws {
        if let old = process { earlierLogs.append(old.standardError) }
        let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        process = daemon
        starts += 1
        try await waitUntilHealthy(client, port: port, daemon: daemon, timeout: .seconds(60))
    }

    /// SIGKILL: no shutdown path runs, as in a power cut of the process.
    func kill() async {
        guard let daemon = process else { return }
        daemon.signal(SIGKILL)
        _ = await daemon.wait(timeout: .seconds(10))
    }

    /// SIGTERM and wait for the graceful exit; returns the exit status (nil if it hung).
    @discardableResult
    func stop() async -> Int32? {
        guard let daemon = process, daemon.process.isRunning else { return process?.process.terminationStatus }
        daemon.signal(SIGTERM)
        let status = await daemon.wait(timeout: .seconds(30))
        if status == nil { daemon.signal(SIGKILL) }
        return status
    }

    deinit {
        if let daemon = process, daemon.process.isRunning { daemon.signal(SIGKILL) }
    }
}
