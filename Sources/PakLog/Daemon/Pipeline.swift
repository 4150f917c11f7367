import Adapters
import EventStore
import Foundation
import Gateway
import HTTPClient
import Logging
import Messaging
import ServiceLifecycle
import Synchronization

/// Everything the daemon runs from one configuration: webhook receivers (served by the gateway)
/// and the messaging engine (route consumers, one dispatcher per enabled endpoint). A reload
/// swaps receivers (webhook paths included) and routes atomically; endpoint and listener changes
/// need a restart (logged).
final class Pipeline: Service, Sendable {
    let engine: MessagingEngine
    let webhookIngress: WebhookIngress
    private let client: HTTPClient
    private let logger: Logger
    private let endpointNames: Mutex<[String]>
    /// Each route's (first) transform as now configured, for dead-letter replays with `remap`.
    private let transforms: Mutex<[String: any MessageTransform]>

    init(configuration: PakLogConfiguration, store: any EventStore, logger: Logger) throws {
        self.logger = logger
        let client = HTTPClient(logger: logger)
        self.client = client
        let inbox = Inbox(store: store, logger: logger)
        let (definitions, routes) = try Self.build(configuration, inbox: inbox, client: client, logger: logger)
        do {
            engine = try MessagingEngine(store: store, routes: routes, endpoints: definitions.endpoints, logger: logger,
                                         executor: Self.backgroundExecutor)
        } catch {
            throw PipelineError(problems: ["\(configuration.file): \(error)"])
        }
        webhookIngress = WebhookIngress(receivers: definitions.receivers)
        endpointNames = Mutex(configuration.endpoints.map(\.name))
        transforms = Mutex(Self.transforms(of: routes))
        for name in definitions.disabledEndpoints.sorted() {
            logger.notice("endpoint disabled: its URL comes from an unset variable", metadata: ["endpoint": "\(name)"])
        }
    }

    private static func build(_ configuration: PakLogConfiguration, inbox: Inbox, client: HTTPClient, logger: Logger) throws -> (RuntimeDefinitions, [RouteDefinition]) {
        let definitions = RuntimeDefinitions(configuration: configuration, inbox: inbox, client: client, logger: logger)
        var compiler = RouteCompiler(baseDirectory: configuration.baseDirectory, disabledEndpoints: definitions.disabledEndpoints)
        let routes = compiler.routes(configuration.routes)
        let problems = definitions.problems + compiler.problems
        guard problems.isEmpty else { throw PipelineError(problems: problems) }
        return (definitions, routes)
    }

    /// What the gateway serves for the pipeline: the webhook sources and the dead-letter console.
    var gatewayRoutes: [any GatewayRouteProvider] {
        [DeadLetterRoutes(deadLetters: engine.deadLetters, store: engine.store) { [self] route in
            transforms.withLock { $0[route] }
        }]
    }

    private static func transforms(of routes: [RouteDefinition]) -> [String: any MessageTransform] {
        var table: [String: any MessageTransform] = [:]
        for route in routes {
            for case .transform(let t) in route.steps {
                table[route.name] = t
                break
            }
        }
        return table
    }

    /// Where the engine's tasks run: half the cores, at nice +5 relative to the HTTP threads.
    private static let backgroundExecutor = BackgroundExecutor(
        name: "paklog.engine", threads: ProcessInfo.processInfo.activeProcessorCount / 2, niceness: 5)

    /// Runs the engine until a graceful shutdown: consumers commit the event in hand, dispatchers
    /// record their in-flight deliveries, then this returns.
    func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.engine.run() }
            group.addTask { try? await gracefulShutdown() }
            _ = try await group.next()
            group.cancelAll()
            try await group.waitForAll()
        }
        await client.shutdown()
    }

    /// Applies a new configuration's receivers and routes, or throws and changes nothing.
    func reload(configuration: PakLogConfiguration) async throws {
        let (definitions, routes) = try Self.build(configuration, inbox: engine.inbox, client: client, logger: logger)
        do {
            try engine.reload(routes: routes)
        } catch {
            throw PipelineError(problems: ["\(configuration.file): \(error)"])
        }
        transforms.withLock { $0 = Self.transforms(of: routes) }
        webhookIngress.replace(definitions.receivers)
        let changed = endpointNames.withLock { names in
            defer { names = configuration.endpoints.map(\.name) }
            return names != configuration.endpoints.map(\.name)
        }
        if changed { logger.warning("endpoint changes take effect at the next restart") }
    }

    /// Why the pipeline is not ready (empty when it is).
    func notReadyReasons() async -> [String] {
        engine.routesCatchingUp.map { "route '\($0)' is catching up with the log" }
            + engine.endpoints.compactMap { e in
                engine.dispatcherStatus(endpoint: e.name)?.loaded == false ? "dispatcher '\(e.name)' is still loading its outbox" : nil
            }
    }
}

/// A configuration that is valid YAML but cannot run (a mapping that does not compile, a secret
/// in the wrong format …); each problem names its place in the file.
struct PipelineError: Error, CustomStringConvertible {
    let problems: [String]
    var description: String { problems.joined(separator: "\n") }
}
