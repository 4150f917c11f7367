import Adapters
import EventStore
import Foundation
import Gateway
import HTTPClient
import Logging
import Messaging
import ServiceLifecycle
import Synchronization

/// Everything the daemon runs from one configuration: webhook receivers (served by the gateway),
/// routes, and one dispatcher per enabled endpoint. A reload swaps receivers and routes
/// atomically; endpoint and listener changes take effect at the next restart (logged).
final class Pipeline: Service, Sendable {
    let store: any EventStore
    let webhookRoutes: WebhookRoutes
    private let client: HTTPClient
    private let inbox: Inbox
    private let logger: Logger
    private let dispatchers: [Dispatcher]
    private let current: Mutex<PakLogConfiguration>

    init(configuration: PakLogConfiguration, store: any EventStore, logger: Logger) throws {
        self.store = store
        self.logger = logger
        client = HTTPClient(logger: logger)
        inbox = Inbox(store: store, logger: logger)
        let definitions = RuntimeDefinitions(configuration: configuration, inbox: inbox, client: client, logger: logger)
        guard definitions.problems.isEmpty else { throw PipelineError(problems: definitions.problems) }
        webhookRoutes = WebhookRoutes(receivers: definitions.receivers)
        dispatchers = definitions.endpoints.map { Dispatcher(definition: $0, store: store, logger: logger) }
        current = Mutex(configuration)
        for name in definitions.disabledEndpoints.sorted() {
            logger.notice("endpoint disabled: its URL comes from an unset variable", metadata: ["endpoint": "\(name)"])
        }
    }

    var gatewayRoutes: any GatewayRouteProvider { webhookRoutes }

    /// Runs the dispatchers until a graceful shutdown; in-flight deliveries finish and are recorded.
    func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for dispatcher in dispatchers {
                group.addTask { try await dispatcher.run() }
            }
            group.addTask { try? await gracefulShutdown() }
            // The first child to return is the shutdown waiter (or a failed dispatcher): either way
            // stop the rest, which finish their in-flight work on cancellation.
            _ = try await group.next()
            group.cancelAll()
            try await group.waitForAll()
        }
        await client.shutdown()
    }

    /// Applies a new configuration's receivers and routes, or throws and changes nothing.
    func reload(configuration: PakLogConfiguration) async throws {
        let definitions = RuntimeDefinitions(configuration: configuration, inbox: inbox, client: client, logger: logger)
        guard definitions.problems.isEmpty else { throw PipelineError(problems: definitions.problems) }
        let unserved = webhookRoutes.replace(definitions.receivers)
        for path in unserved {
            logger.warning("a new webhook path is served only after a restart", metadata: ["path": "\(path)"])
        }
        let old = current.withLock { c in
            defer { c = configuration }
            return c
        }
        if old.endpoints.map(\.name) != configuration.endpoints.map(\.name) {
            logger.warning("endpoint changes take effect at the next restart")
        }
    }

    /// Why the pipeline is not ready (empty when it is).
    func notReadyReasons() async -> [String] {
        dispatchers.compactMap { d in
            d.status.loaded ? nil : "dispatcher '\(d.definition.name)' is still loading its outbox"
        }
    }
}

/// A configuration that is valid YAML but cannot run (a mapping that does not compile, a secret
/// in the wrong format …); each problem names its place in the file.
struct PipelineError: Error, CustomStringConvertible {
    let problems: [String]
    var description: String { problems.joined(separator: "\n") }
}
