import Logging
import ServiceLifecycle

/// Tells systemd how the daemon is doing: `WATCHDOG=1` at half of `WatchdogSec` while running,
/// `STOPPING=1` as soon as a graceful shutdown begins. `READY=1` is sent by the HTTP server once
/// it listens (see `PakLogDaemon`).
struct SystemdService: Service {
    let notifier: SystemdNotifier
    let watchdogInterval: Duration?
    let logger: Logger

    func run() async throws {
        guard notifier.isActive else {
            try? await gracefulShutdown()
            return
        }
        await withGracefulShutdownHandler {
            guard let interval = watchdogInterval else {
                try? await gracefulShutdown()
                return
            }
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                notifier.notify("WATCHDOG=1")
                try? await Task.sleep(for: interval)
            }
        } onGracefulShutdown: {
            notifier.notify("STOPPING=1")
        }
    }
}
