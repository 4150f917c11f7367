import Logging
import ServiceLifecycle
import UnixSignals

/// Re-reads the configuration on SIGHUP. A file that does not load (or whose mappings do not
/// compile) is refused with its reasons in the log, and the running version stays.
struct ReloadService: Service {
    let reload: @Sendable () async -> Void

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            await reload()
        }
    }
}
