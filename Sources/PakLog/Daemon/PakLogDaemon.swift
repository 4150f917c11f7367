import AdapterKit
import BusinessKeys
import Console
import Codecs
import EventStore
import Foundation
import Gateway
import Hummingbird
import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import WarehouseService

/// The running daemon: opens the store, serves HTTP, runs the integration pipeline, and shuts
/// down in order on SIGTERM/SIGINT (stop accepting, drain in-flight work, save checkpoints,
/// close the store).
public enum PakLogDaemon {
    /// Runs until a shutdown signal; returns the process exit code.
    ///
    /// - Parameter kinds: the source and endpoint kinds the configuration may use.
    public static func serve(source: ConfigurationSource, kinds: KindRegistry = .builtIn) async -> Int32 {
        // Tasks run on the HTTP event loops instead of hopping between them and the cooperative
        // pool for every request: about 1.5× the webhook ingest rate on two cores. Long CPU work
        // (route consumers) is kept off the loops by `BackgroundExecutor`.
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let config: PakLogConfiguration
        do {
            config = try source.load(kinds: kinds)
        } catch {
            FileHandle.standardError.write(Data("paklog: configuration refused:\n\(error)\n".utf8))
            return 2
        }
        let level = Logger.Level(rawValue: config.logging.level) ?? .info
        LoggingSystem.bootstrap(LoggingBootstrap.factory(format: config.logging.format, level: level))
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = {
            var l = Logger(label: "paklog")
            l.logLevel = level
            return l
        }()

        let store: SQLiteEventStore
        do {
            let directory = URL(fileURLWithPath: config.storage.path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            store = try SQLiteEventStore(path: config.storage.path, durability: config.storage.durability, logger: logger)
        } catch {
            logger.critical("cannot open the event store", metadata: ["path": "\(config.storage.path)", "error": "\(error)"])
            return 1
        }
        logger.info("event store open", metadata: ["path": "\(config.storage.path)", "durability": "\(config.storage.durability.rawValue)"])

        let imports = config.warehouse.imports.load(baseDirectory: config.baseDirectory)
        guard imports.problems.isEmpty else {
            logger.critical("configuration refused", metadata: ["reasons": "\(imports.problems.joined(separator: "\n"))"])
            await store.close()
            return 2
        }
        for kind in imports.unavailable {
            logger.notice("imports of \(kind) are off: the shipped \(kind.defaultMappingPath) is not installed here; set warehouse.imports.\(kind).mapping")
        }
        let warehouse: WarehouseRuntime
        do {
            warehouse = try WarehouseRuntime(store: store, settings: config.warehouse.settings, labelTimeout: config.warehouse.labelTimeout,
                                             waves: config.warehouse.waves, readModelsPath: config.storage.path + ".readmodels", logger: logger,
                                             imports: WarehouseImportSetup(mappings: imports.mappings, folder: config.warehouse.imports.folder,
                                                                           pollInterval: config.warehouse.imports.pollInterval, delimiter: config.warehouse.imports.delimiter,
                                                                           executor: Pipeline.backgroundExecutor))
        } catch {
            logger.critical("cannot open the warehouse read models", metadata: ["path": "\(config.storage.path).readmodels", "error": "\(error)"])
            await store.close()
            return 1
        }
        let keys: BusinessKeyIndex
        do {
            keys = try BusinessKeyIndex(path: config.storage.path + ".keys", store: store, logger: logger)
        } catch {
            logger.critical("cannot open the business key index", metadata: ["path": "\(config.storage.path).keys", "error": "\(error)"])
            await store.close()
            return 1
        }
        let pipeline: Pipeline
        do {
            pipeline = try Pipeline(configuration: config, store: store, logger: logger,
                                    jobs: [IdempotencyKeyPruning.job(store: store, retention: config.storage.idempotencyRetention, logger: logger)] + warehouse.jobs
                                        + [CertificateExpiryCheck.job(partners: config.partners, logger: logger)].compactMap { $0 })
        } catch {
            logger.critical("configuration refused", metadata: ["reasons": "\(error)"])
            await store.close()
            return 2
        }

        let tls: GatewayTLSContext?
        do { tls = try config.http.tls.map { try GatewayTLSContext(settings: $0) } } catch {
            logger.critical("configuration refused", metadata: ["reasons": "\(error)"])
            await store.close()
            return 2
        }
        if let loaded = tls?.loaded {
            logger.info("TLS on the listener", metadata: ["certificate": "\(loaded.subject)", "notAfter": "\(loaded.notAfter)",
                                                         "clientCA": "\(loaded.settings.clientCA.count)", "http2": "\(loaded.settings.http2)"])
        }
        let host = config.http.host
        if tls == nil, !(host.hasPrefix("127.") || host == "::1" || host == "localhost") {
            // Allowed for a TLS-terminating proxy in front, but it should be a decision.
            logger.warning("listening without TLS on a non-loopback address: tokens and partner data cross the network in clear unless a proxy terminates TLS (http.tls)",
                           metadata: ["host": "\(host)"])
        }
        let notifier = SystemdNotifier()
        let tokens = config.http.apiTokens.map { Array($0.reveal().utf8) }
        let apiKeys = APIKeyRegistry(store: store)
        try? await apiKeys.refresh()
        let sessions = ConsoleSessions(secureCookies: tls != nil)
        // `http.apiTokens` are admin tokens; API keys (`paklog keys`) and JWTs (`http.jwt`)
        // carry their scopes. The console's login checks its key the same way.
        let authenticate: @Sendable ([UInt8]) -> Principal? = { [jwt = config.http.jwt] token in
            if let n = tokens.firstIndex(where: { ConstantTimeComparison.areEqual($0, token) }) {
                return Principal(id: "api-token-\(n)", name: "api-token", scopes: [APIScopes.admin])
            }
            if let jwt, JWTVerifier.looksLikeJWT(token) { return try? jwt.verify(token).get() }
            return apiKeys.principal(for: token)
        }
        let console = ConsoleRoutes(services: ConsoleServices(
            authenticate: authenticate, sessions: sessions, store: store, deadLetters: pipeline.deadLetterRoutes, index: keys, metrics: registry,
            status: { [partners = config.partners] in await pipeline.consoleStatus(certificates: CertificateExpiryCheck.all(partners)) }))
        let services = GatewayServices(
            readiness: {
                var reasons: [String] = []
                do { _ = try await store.headPosition() } catch { reasons.append("event store: \(error)") }
                reasons += await pipeline.notReadyReasons()
                return reasons
            },
            readinessDetail: { [partners = config.partners] in
                pipeline.scheduler.statusLines() + CertificateExpiryCheck.statusLines(partners) + CertificateExpiryCheck.statusLines(listener: tls?.loaded)
            },
            metrics: registry,
            authenticate: authenticate,
            routes: pipeline.gatewayRoutes + [warehouse.routes, warehouse.importRoutes, EventStreamRoutes(store: store), WhereRoutes(index: keys), console],
            rateLimiter: RateLimiter(defaultLimit: config.http.rateLimit, limits: config.http.rateLimits),
            accessLogger: {
                var access = logger
                access[metadataKey: "log"] = "access"
                return access
            }(),
            bodySizeLimits: config.http.bodySizeLimits,
            cors: config.http.cors,
            sessions: sessions)
        let app = Application(
            router: makeGatewayRouter(services: services),
            server: .gateway(tls: tls) { [ingress = pipeline.httpIngress, access = services.accessLogger] in [ingress.channelHandler(accessLogger: access)] },
            configuration: .init(address: .hostname(config.http.host, port: config.http.port), serverName: "paklog"),
            onServerRunning: { channel in
                logger.info("listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
                notifier.notify("READY=1\nSTATUS=listening")
            },
            logger: logger)

        let reload = ReloadService {
            logger.info("SIGHUP: reloading configuration")
            do {
                let next = try source.load(kinds: kinds)
                if (next.http.tls == nil) != (tls == nil) {
                    logger.warning("http.tls switched on or off: that takes a restart; the listener keeps its scheme")
                }
                if let tls, let settings = next.http.tls {
                    // New connections get the new certificate, key and client CAs; open ones keep theirs.
                    try tls.reload(settings)
                    logger.info("TLS files reloaded", metadata: ["certificate": "\(tls.loaded.subject)", "notAfter": "\(tls.loaded.notAfter)"])
                }
                try await pipeline.reload(configuration: next)
                logger.info("configuration reloaded")
            } catch {
                logger.error("reload refused; the running configuration stays", metadata: ["reasons": "\(error)"])
            }
        }
        // Shutdown runs in reverse order: the HTTP server stops accepting first, then the
        // pipeline drains and saves checkpoints, then the systemd notifier goes.
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: SystemdService(notifier: notifier, watchdogInterval: SystemdNotifier.watchdogInterval(), logger: logger)),
                    .init(service: reload),
                    .init(service: APIKeyFollower(registry: apiKeys)),
                    .init(service: pipeline),
                    .init(service: warehouse),
                    .init(service: BusinessKeyIndexService(index: keys, logger: logger)),
                    .init(service: app),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        var exitCode: Int32 = 0
        do {
            try await group.run()
        } catch {
            logger.error("stopped with an error", metadata: ["error": "\(error)"])
            exitCode = 1
        }
        await store.close()
        logger.info("stopped")
        return exitCode
    }
}
