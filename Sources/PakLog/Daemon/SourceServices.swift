import Logging
import ServiceLifecycle
import Synchronization

/// The services of the running sources (pollers, broker subscriptions), by source. They run as
/// tasks of their own beside the engine, so that a reload can stop one source's services and
/// start its replacement's without touching the others; a service that fails is logged and
/// started again after a pause, like a route consumer.
final class SourceServices: Sendable {
    private let tasks = Mutex<[String: [Task<Void, Never>]]>([:])
    private let logger: Logger

    init(logger: Logger) { self.logger = logger }

    /// Starts `services` for `source` (after stopping what ran for it before).
    func start(_ source: String, _ services: [any Service]) async {
        await stop(source)
        guard !services.isEmpty else { return }
        let logger = self.logger
        let started = services.map { service in
            Task {
                while !Task.isCancelled {
                    do {
                        try await service.run()
                        return
                    } catch {
                        if Task.isCancelled { return }
                        logger.error("source service failed; starting it again", metadata: ["source": "\(source)", "error": "\(error)"])
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
            }
        }
        tasks.withLock { $0[source] = started }
    }

    /// Cancels `source`'s services and waits until they have returned.
    func stop(_ source: String) async {
        let running = tasks.withLock { $0.removeValue(forKey: source) } ?? []
        for task in running { task.cancel() }
        for task in running { await task.value }
    }

    /// Stops every source's services.
    func stopAll() async {
        for source in tasks.withLock({ Array($0.keys) }) { await stop(source) }
    }
}
