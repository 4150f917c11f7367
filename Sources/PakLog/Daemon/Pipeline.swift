import AdapterKit
import Console
import EventStore
import Foundation
import Gateway
import HTTPClient
import Logging
import Messaging
import ServiceLifecycle
import Synchronization

/// Everything the daemon runs from one configuration: the sources (their HTTP ingress, served by
/// the gateway, and their services) and the messaging engine (route consumers, one dispatcher per
/// enabled endpoint). It knows no kind of source or endpoint: they come built from their kinds.
///
/// A reload builds the new configuration whole (or refuses it and changes nothing), then swaps
/// routes and the changed sources whose kind allows it; endpoint changes, and source changes
/// whose kind needs it, wait for a restart (logged).
///
/// The daemon's own scheduled jobs (`jobs`, the idempotency-key pruning) run on `scheduler`
/// beside the engine; sources run theirs from their services on the same scheduler.
final class Pipeline: Service, Sendable {
    let engine: MessagingEngine
    let scheduler: Scheduler
    private let jobs: [ScheduledJob]
    let httpIngress: HTTPIngress
    private let client: HTTPClient
    private let logger: Logger
    private let services: SourceServices
    /// The sources in force, by name, and the endpoints as started (what a reload compares with).
    private let current: Mutex<(sources: [String: RuntimeDefinitions.BuiltSource], endpoints: [EndpointSettings])>
    /// Each route's (first) transform as now configured, for dead-letter replays with `remap`.
    private let transforms: Mutex<[String: any MessageTransform]>

    init(configuration: PakLogConfiguration, store: any EventStore, logger: Logger, executor: (any TaskExecutor)? = Pipeline.backgroundExecutor,
         jobs: [ScheduledJob] = []) throws {
        self.logger = logger
        let client = HTTPClient(logger: logger)
        self.client = client
        let inbox = Inbox(store: store, logger: logger)
        let scheduler = Scheduler(store: store, logger: logger)
        self.scheduler = scheduler
        self.jobs = jobs
        let (definitions, routes) = try Self.build(configuration, inbox: inbox, client: client, scheduler: scheduler, logger: logger)
        engine = try Self.engine(configuration, definitions: definitions, routes: routes, store: store, logger: logger, executor: executor)
        httpIngress = HTTPIngress(receivers: definitions.sources.flatMap(\.source.httpIngress))
        services = SourceServices(logger: logger)
        current = Mutex((Dictionary(uniqueKeysWithValues: definitions.sources.map { ($0.settings.name, $0) }), configuration.endpoints))
        transforms = Mutex(Self.transforms(of: routes))
        for (name, reason) in definitions.disabledEndpoints.sorted(by: { $0.key < $1.key }) {
            logger.notice("endpoint disabled: \(reason)", metadata: ["endpoint": "\(name)"])
        }
    }

    static func build(_ configuration: PakLogConfiguration, inbox: Inbox, client: HTTPClient, scheduler: Scheduler,
                      logger: Logger) throws -> (RuntimeDefinitions, [RouteDefinition]) {
        let definitions = RuntimeDefinitions(configuration: configuration, inbox: inbox, client: client, scheduler: scheduler, logger: logger)
        var compiler = RouteCompiler(baseDirectory: configuration.baseDirectory, disabledEndpoints: Set(definitions.disabledEndpoints.keys),
                                     partners: configuration.partners)
        let routes = compiler.routes(configuration.routes)
        let problems = definitions.problems + compiler.problems
        guard problems.isEmpty else { throw PipelineError(problems: problems) }
        return (definitions, routes)
    }

    /// The engine over the built endpoints and routes; its own checks (a route naming an unknown
    /// endpoint, a name defined twice) are reported against the configuration file.
    static func engine(_ configuration: PakLogConfiguration, definitions: RuntimeDefinitions, routes: [RouteDefinition], store: any EventStore,
                       logger: Logger, executor: (any TaskExecutor)?) throws -> MessagingEngine {
        do {
            return try MessagingEngine(store: store, routes: routes, endpoints: definitions.endpoints, logger: logger, executor: executor)
        } catch {
            throw PipelineError(problems: ["\(configuration.file): \(error)"])
        }
    }

    /// What the gateway serves for the pipeline: the dead-letter console.
    var gatewayRoutes: [any GatewayRouteProvider] { [deadLetterRoutes] }

    /// The dead-letter operations, for the API and the operations console alike.
    var deadLetterRoutes: DeadLetterRoutes {
        DeadLetterRoutes(deadLetters: engine.deadLetters, store: engine.store) { [self] route in
            transforms.withLock { $0[route] }
        }
    }

    /// The overview's view of the pipeline now: routes, sources, endpoints with their
    /// dispatchers, scheduled jobs, readiness.
    func consoleStatus(certificates: [ConsoleStatus.Certificate]) async -> ConsoleStatus {
        ConsoleStatus(routes: Array(engine.routeNames), sources: current.withLock { Array($0.sources.keys) },
                      endpoints: engine.endpoints.map { ($0.name, engine.dispatcherStatus(endpoint: $0.name)) },
                      jobs: scheduler.status(), certificates: certificates, notReady: await notReadyReasons())
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
    static let backgroundExecutor = BackgroundExecutor(
        name: "paklog.engine", threads: ProcessInfo.processInfo.activeProcessorCount / 2, niceness: 5)

    /// Runs the sources' services and the engine until a graceful shutdown: sources stop first
    /// (nothing new comes in), then consumers commit the event in hand and dispatchers record
    /// their in-flight deliveries, then this returns.
    func run() async throws {
        for (name, built) in current.withLock({ $0.sources }) { await services.start(name, built.source.services) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.engine.run() }
            for job in jobs {
                group.addTask { await self.scheduler.run(job) }
            }
            group.addTask { try? await gracefulShutdown() }
            _ = try await group.next()
            await services.stopAll()
            group.cancelAll()
            try await group.waitForAll()
        }
        await client.shutdown()
    }

    /// Applies a new configuration's sources and routes, or throws and changes nothing.
    func reload(configuration: PakLogConfiguration) async throws {
        let (definitions, routes) = try Self.build(configuration, inbox: engine.inbox, client: client, scheduler: scheduler, logger: logger)
        let (old, oldEndpoints) = current.withLock { $0 }
        var next: [String: RuntimeDefinitions.BuiltSource] = [:]
        var restart: [String] = []
        for built in definitions.sources {
            let name = built.settings.name
            if let running = old[name], running.settings.type == built.settings.type,
               running.settings.configuration.isSame(as: built.settings.configuration) {
                next[name] = running
            } else if let running = old[name], running.settings.configuration.reload == .restartRequired {
                logger.warning("source changed; the change takes effect at the next restart", metadata: ["source": "\(name)"])
                next[name] = running
            } else {
                next[name] = built
                restart.append(name)
            }
        }
        let paths = HTTPIngress.duplicatePaths(next.values.flatMap(\.source.httpIngress))
        if !paths.isEmpty {
            throw PipelineError(problems: paths.map { "\(configuration.file): \($0) would be answered by two sources (one of them waits for a restart)" })
        }
        do {
            try engine.reload(routes: routes)
        } catch {
            throw PipelineError(problems: ["\(configuration.file): \(error)"])
        }
        transforms.withLock { $0 = Self.transforms(of: routes) }
        httpIngress.replace(next.values.flatMap(\.source.httpIngress))
        current.withLock { $0.sources = next }
        for name in old.keys where next[name] == nil { await services.stop(name) }
        for name in restart { await services.start(name, next[name]!.source.services) }

        let newEndpoints = Dictionary(configuration.endpoints.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        for e in oldEndpoints where newEndpoints[e.name].map({ !$0.isSame(as: e) }) ?? true {
            logger.warning("endpoint changed or removed; the change takes effect at the next restart", metadata: ["endpoint": "\(e.name)"])
        }
        for name in newEndpoints.keys where !oldEndpoints.contains(where: { $0.name == name }) {
            logger.warning("endpoint added; it starts at the next restart", metadata: ["endpoint": "\(name)"])
        }
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
