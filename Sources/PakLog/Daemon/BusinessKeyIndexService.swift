import BusinessKeys
import Logging
import ServiceLifecycle

/// Keeps the "where is it?" index following the log while the daemon runs; a failure (the
/// index file unwritable, say) is logged and the index starts again from its checkpoint.
/// It runs on the engine's background threads, not on the HTTP event loops: catching up with a
/// long log is CPU work (the keys are read from every event's JSON).
struct BusinessKeyIndexService: Service {
    let index: BusinessKeyIndex
    let logger: Logger
    var executor: (any TaskExecutor)? = Pipeline.backgroundExecutor

    func run() async {
        await cancelWhenGracefulShutdown {
            await withTaskExecutorPreference(executor) { await follow() }
        }
    }

    private func follow() async {
        while !Task.isCancelled {
            do { try await index.run() } catch is CancellationError { return } catch {
                if Task.isCancelled { return }
                logger.error("business key index stopped; starting again in 5 s", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(5))
            }
        }
    }
}
