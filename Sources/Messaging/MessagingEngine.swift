import EventStore
import Foundation
import Logging
import Synchronization

/// The integration engine, ready to wire into the daemon: one consumer per route and one
/// dispatcher per endpoint over the same event store.
///
/// ```swift
/// let engine = try MessagingEngine(store: store, routes: routes, endpoints: endpoints, logger: logger)
/// let receipt = try await engine.inbox.accept(envelope)       // transports call this, then ack
/// try await engine.run()                                        // until cancelled (ServiceGroup)
/// try engine.reload(routes: newRoutes)                          // SIGHUP: atomic swap or refusal
/// ```
public final class MessagingEngine: Sendable {
    public let store: any EventStore
    /// Where transports put what they receive.
    public let inbox: Inbox
    /// The dead-letter API for the CLI and REST.
    public let deadLetters: DeadLetters
    public let endpoints: [EndpointDefinition]

    private let table: RouteTable
    private let dispatchers: [String: Dispatcher]
    private let clock: any MessagingClock
    private let logger: Logger
    private let pollInterval: Duration
    private let executor: (any TaskExecutor)?
    /// The running `run()`'s wake-up for reloads (nil while not running).
    private let reloaded = Mutex<AsyncStream<Void>.Continuation?>(nil)
    private let running = Mutex<Set<String>>([])

    /// - Parameter executor: where route consumers and dispatchers run (their mapping and
    ///   bookkeeping); nil for the global executor. The daemon gives them threads of their own so
    ///   that they do not hold up the HTTP event loops.
    /// - Throws: `MessagingConfigurationError` listing every problem of the routes and endpoints.
    public init(store: any EventStore, routes: [RouteDefinition], endpoints: [EndpointDefinition], clock: any MessagingClock = SystemClock(),
                logger: Logger = Logger(label: "paklog.messaging"), pollInterval: Duration = .milliseconds(50),
                executor: (any TaskExecutor)? = nil) throws {
        var problems = endpoints.flatMap { $0.validationErrors() }
        let names = endpoints.map(\.name)
        for name in Set(names) where names.filter({ $0 == name }).count > 1 { problems.append("endpoint '\(name)' is defined more than once") }
        problems += Self.problems(of: routes, endpoints: Set(names))
        guard problems.isEmpty else { throw MessagingConfigurationError(problems: problems) }
        self.store = store
        self.inbox = Inbox(store: store, logger: logger)
        self.deadLetters = DeadLetters(store: store, clock: clock)
        self.endpoints = endpoints
        self.table = RouteTable(routes, endpoints: Set(names),
                                orderingKeys: Dictionary(endpoints.compactMap { e in e.ordering.key.map { (e.name, $0) } }, uniquingKeysWith: { a, _ in a }))
        self.clock = clock
        self.logger = logger
        self.pollInterval = pollInterval
        self.executor = executor
        self.dispatchers = Dictionary(uniqueKeysWithValues: endpoints.map {
            ($0.name, Dispatcher(definition: $0, store: store, clock: clock, logger: logger, pollInterval: pollInterval, executor: executor))
        })
    }

    /// The names of the routes in force.
    public var routeNames: Set<String> { table.names }

    /// Routes whose consumer has not yet read up to the head of the log since start-up.
    public var routesCatchingUp: [String] { table.catchingUp }

    /// What the endpoint's dispatcher is doing (nil for an unknown endpoint).
    public func dispatcherStatus(endpoint: String) -> DispatcherStatus? { dispatchers[endpoint]?.status }

    /// Replaces the route table atomically (SIGHUP). A table with any problem is refused whole and
    /// the running one stays. New routes start (from their stored checkpoint, or the start of the
    /// log), removed routes stop after the event in hand, changed routes use the new definition
    /// from their next event on.
    public func reload(routes: [RouteDefinition]) throws {
        let problems = Self.problems(of: routes, endpoints: Set(endpoints.map(\.name)))
        guard problems.isEmpty else { throw MessagingConfigurationError(problems: problems) }
        table.replace(with: routes)
        logger.notice("routes reloaded", metadata: ["routes": "\(routes.map(\.name).sorted())"])
        _ = reloaded.withLock { $0?.yield() }
    }

    /// Runs every dispatcher and route consumer until cancelled. On cancellation the consumers
    /// stop after committing the event in hand and the dispatchers finish and record their
    /// in-flight deliveries, then `run` returns.
    public func run() async throws {
        let (reloads, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        reloaded.withLock { $0 = wake }
        defer { reloaded.withLock { $0 = nil } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for dispatcher in dispatchers.values {
                group.addTask(executorPreference: executor) { [logger] in
                    // Its run loop survives store errors; only its start-up reads can fail.
                    while !Task.isCancelled {
                        do {
                            try await dispatcher.run()
                            return
                        } catch {
                            logger.error("dispatcher failed; restarting", metadata: ["endpoint": "\(dispatcher.definition.name)", "error": "\(error)"])
                            try? await Task.sleep(for: .seconds(1))
                        }
                    }
                }
            }
            startConsumers(in: &group)
            for await _ in reloads {
                startConsumers(in: &group)
            }
            group.cancelAll()
            try await group.waitForAll()
        }
    }

    private func startConsumers(in group: inout ThrowingTaskGroup<Void, any Error>) {
        for name in table.names.sorted() {
            let isNew = running.withLock { $0.insert(name).inserted }
            guard isNew else { continue }
            let consumer = RouteConsumer(name: name, table: table, store: store, clock: clock, logger: logger, pollInterval: pollInterval,
                                         executor: executor)
            group.addTask(executorPreference: executor) {
                defer { self.running.withLock { _ = $0.remove(name) } }
                try await consumer.run()
            }
        }
    }

    private static func problems(of routes: [RouteDefinition], endpoints: Set<String>) -> [String] {
        var problems = routes.flatMap { $0.validationErrors(knownEndpoints: endpoints) }
        let names = routes.map(\.name)
        for name in Set(names) where names.filter({ $0 == name }).count > 1 { problems.append("route '\(name)' is defined more than once") }
        return problems
    }
}

/// Why a configuration was refused: every problem, each naming its route or endpoint.
public struct MessagingConfigurationError: Error, Equatable, CustomStringConvertible {
    public var problems: [String]
    public var description: String { "invalid messaging configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n") }
}
