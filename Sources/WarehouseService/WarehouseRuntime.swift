import EventStore
import Foundation
import Gateway
import Logging
import Messaging
import ServiceLifecycle
import Warehouse

/// The warehouse core inside the daemon: its command bus, the consumer of route-issued commands,
/// the fulfillment saga and its deadline check (a job on the engine's scheduler), and its API.
public final class WarehouseRuntime: Service, Sendable {
    public let bus: CommandBus
    public let saga: FulfillmentSaga
    public let readModels: WarehouseReadModels
    public let waves: WaveScheduler
    /// Bulk imports by CSV: over the API (`importRoutes`) and from the watched folder, if any.
    public let importer: WarehouseImporter
    public let importFolder: WarehouseImportFolder?
    private let consumer: WarehouseCommandConsumer
    private let logger: Logger

    /// - Parameters:
    ///   - waves: when the wave creator runs and whether it releases.
    ///   - readModelsPath: the read models' SQLite file (beside the log).
    ///   - imports: the import mappings and the watched folder.
    public init(store: any EventStore, settings: WarehouseSettings, labelTimeout: Duration, waves: WaveScheduleSettings = WaveScheduleSettings(),
                readModelsPath: String, logger: Logger, imports: WarehouseImportSetup = WarehouseImportSetup()) throws {
        bus = CommandBus(store: store, settings: settings, logger: logger)
        let importer = WarehouseImporter(bus: bus, mappings: imports.mappings, executor: imports.executor)
        self.importer = importer
        importFolder = imports.folder.map { WarehouseImportFolder(root: $0, importer: importer, pollInterval: imports.pollInterval, delimiter: imports.delimiter, logger: logger) }
        readModels = try WarehouseReadModels(path: readModelsPath, store: store, logger: logger)
        self.waves = WaveScheduler(bus: bus, readModels: readModels, settings: waves, logger: logger)
        saga = FulfillmentSaga(bus: bus, labelTimeout: labelTimeout, logger: logger)
        consumer = WarehouseCommandConsumer(bus: bus, logger: logger)
        self.logger = logger
    }

    /// What the gateway serves for the core.
    public var routes: WarehouseRoutes { WarehouseRoutes(bus: bus, readModels: readModels, waves: waves) }

    /// `POST /api/v1/imports/{kind}`.
    public var importRoutes: WarehouseImportRoutes { WarehouseImportRoutes(importer: importer) }

    /// The saga's deadline check, every 30 seconds, and the wave creator when it is scheduled.
    public var jobs: [ScheduledJob] {
        let (saga, waves) = (self.saga, self.waves)
        var jobs = [ScheduledJob(name: "warehouse-deadlines", schedule: .every(.seconds(30)), retryDelay: .seconds(30)) { firing in
            try await saga.tick(now: firing.firedAt)
            return nil
        }]
        if let every = waves.settings.every {
            // A slot fired again (after a crash) has the same time, so the same wave and command ids.
            jobs.append(ScheduledJob(name: "warehouse-waves", schedule: .every(every), retryDelay: .seconds(30)) { firing in
                _ = try await waves.run(runId: WaveScheduler.runId(firing.scheduledAt), release: waves.settings.release)
                return nil
            })
        }
        return jobs
    }

    /// Runs the consumer and the saga until a graceful shutdown; a failure of either is retried
    /// after a pause (its checkpoint did not move past what failed).
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.keepRunning("warehouse commands") { try await self.consumer.run() } }
            group.addTask { await self.keepRunning("fulfillment saga") { try await self.saga.run() } }
            group.addTask { await self.keepRunning("warehouse read models") { try await self.readModels.run() } }
            if let folder = importFolder { group.addTask { await self.keepRunning("import folder \(folder.root)") { try await folder.run() } } }
            group.addTask { try? await gracefulShutdown() }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    private func keepRunning(_ what: String, _ body: @Sendable () async throws -> Void) async {
        while !Task.isCancelled {
            do { try await body() } catch is CancellationError { return } catch {
                if Task.isCancelled { return }
                logger.error("\(what) stopped; starting again in 5 s", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(5))
            }
        }
    }
}
