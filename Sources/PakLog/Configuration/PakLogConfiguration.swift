import AdapterKit
import EventStore
import Foundation
import Gateway
import Warehouse
import WarehouseService

/// The daemon's whole configuration, as read from one YAML file (see `ConfigurationLoader`).
public struct PakLogConfiguration: Sendable {
    public var storage = StorageSettings()
    public var http = HTTPSettings()
    public var logging = LoggingSettings()
    public var warehouse = WarehouseConfiguration()
    /// Trading partners: identifiers, transports, certificates (`partners:`).
    public var partners = PartnerDirectory()
    public var sources: [SourceSettings] = []
    public var endpoints: [EndpointSettings] = []
    public var routes: [RouteSettings] = []
    /// The file it was read from (`<embedded default>` for the shipped one).
    public var file: String = "<embedded default>"
    /// Relative paths in the file (mappings, `file:` secrets) are taken from here.
    public var baseDirectory: String = FileManager.default.currentDirectoryPath

    public init() {}
}

public struct StorageSettings: Sendable, Equatable {
    /// The SQLite database file.
    public var path: String = StorageSettings.defaultPath()
    public var durability: Durability = .full
    /// How long an idempotency key is remembered: the daily job `prune-idempotency-keys` deletes
    /// older ones, after which a redelivery under that key is accepted as a new message.
    public var idempotencyRetention: Duration = .seconds(30 * 86_400)

    public init() {}

    /// `$PAKLOG_DATA/paklog.sqlite`, or `./data/paklog.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let directory = environment["PAKLOG_DATA"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
        return directory + "/paklog.sqlite"
    }
}

public struct HTTPSettings: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// Bearer tokens accepted on every route except the health checks. With none configured the
    /// API answers 401 to everyone: authentication is never off by accident.
    public var apiTokens: [Secret] = []
    /// Per credential and route class (`http.rateLimit`): `requestsPerSecond` and `burst`, with
    /// `scopes:` overriding them for a route class. On by default.
    public var rateLimit = RateLimiter.Limit(requestsPerSecond: 100, burst: 200)
    public var rateLimits: [String: RateLimiter.Limit] = [:]
    /// JWT bearer tokens (`http.jwt`), besides API keys; nil: none accepted.
    public var jwt: JWTVerifier?
    /// TLS on the listener (`http.tls`); nil: plain HTTP, which the check allows on loopback only.
    public var tls: GatewayTLSSettings?
    /// The largest request bodies of the router's routes (`http.maxBodyBytes`, default 1 MiB;
    /// `http.maxImportBytes` for CSV imports, default 64 MiB).
    public var bodySizeLimits = BodySizeLimits()
    /// Browser pages of other origins allowed to call the API (`http.cors`); none by default.
    public var cors = CORSPolicy()

    public init() {}
}

public struct LoggingSettings: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        /// Human lines on a terminal, JSON lines otherwise (journald, files, pipes).
        case auto, text, json
    }
    public var level: String = "info"
    public var format: Format = .auto

    public init() {}
}

/// An inbound source: a partner-facing adapter instance of a registered kind.
public struct SourceSettings: Sendable {
    public var name: String
    /// The kind's `type:`.
    public var type: String
    public var configuration: any SourceConfiguration
    public var location: ConfigLocation
}

/// An outbound endpoint of a registered kind, with the dispatcher's settings.
public struct EndpointSettings: Sendable {
    public var name: String
    /// The kind's `type:`.
    public var type: String
    public var configuration: any EndpointConfiguration
    public var maximumConcurrentCalls: Int = 8
    public var redelivery = RedeliverySettings()
    public var circuitBreaker = CircuitBreakerSettings()
    /// Camel's `InOnly` (default) or `InOut` (each answer recorded in `reply-<name>`).
    public var exchangePattern = "InOnly"
    /// Messages with equal keys are delivered one at a time, in order.
    public var orderingKey: ExpressionSetting?
    /// `continue` (default) or `hold`: whether a dead letter holds its ordering key.
    public var onDeadLetter = "continue"
    /// Set when deliveries wait for an acknowledgment by another path.
    public var acknowledgment: AcknowledgmentSettings?
    public var location: ConfigLocation

    /// Whether `other` has the same settings, the kind's and the dispatcher's.
    func isSame(as other: EndpointSettings) -> Bool {
        type == other.type && configuration.isSame(as: other.configuration) && maximumConcurrentCalls == other.maximumConcurrentCalls
            && redelivery == other.redelivery && circuitBreaker == other.circuitBreaker && exchangePattern == other.exchangePattern
            && orderingKey == other.orderingKey && onDeadLetter == other.onDeadLetter && acknowledgment == other.acknowledgment
    }
}

/// An endpoint's `acknowledgment:` section.
public struct AcknowledgmentSettings: Sendable, Equatable {
    /// Over `{headers, body, reply}`: the key the acknowledgment will carry (default: the message id).
    public var key: ExpressionSetting?
    public var timeout: Duration = .seconds(600)
    /// `redeliver` (default) or `deadLetter`.
    public var onTimeout = "redeliver"
}

/// Camel's redelivery names.
public struct RedeliverySettings: Sendable, Equatable {
    public var maximumRedeliveries = 5
    public var redeliveryDelay: Duration = .seconds(1)
    public var backOffMultiplier = 2.0
    public var maximumRedeliveryDelay: Duration = .seconds(60)
    /// Fraction of each delay added or removed at random (0 … 1).
    public var jitter = 0.2
}

/// resilience4j's circuit-breaker names and defaults.
public struct CircuitBreakerSettings: Sendable, Equatable {
    public var slidingWindowType = "COUNT_BASED"
    public var slidingWindowSize = 100
    public var minimumNumberOfCalls = 100
    public var failureRateThreshold = 50.0
    public var slowCallRateThreshold = 100.0
    public var slowCallDurationThreshold: Duration = .seconds(60)
    public var waitDurationInOpenState: Duration = .seconds(60)
    public var permittedNumberOfCallsInHalfOpenState = 10
}

/// A route: where messages come from, what happens to them, where they go.
public struct RouteSettings: Sendable {
    public var name: String
    /// A source name, a topic of the log (`topic:order-events`) or a category (`category:order`).
    public var from: String
    public var when: ExpressionSetting?
    public var steps: [StepSettings]
    public var location: ConfigLocation
}

public indirect enum StepSettings: Sendable {
    /// `partner`: where an `output: x12` mapping's interchanges go (its envelope and counter).
    case transform(mappingPath: String, partner: String?, location: ConfigLocation)
    case split(ExpressionSetting)
    case aggregate(correlation: ExpressionSetting, completionSize: Int?, completionTimeout: Duration?, completionPredicate: ExpressionSetting?)
    case choice(whens: [(ExpressionSetting, [StepSettings])], otherwise: [StepSettings])
    case recipientList(ExpressionSetting)
    case wireTap([TargetSetting], location: ConfigLocation)
    case filter(ExpressionSetting)
    case to([TargetSetting], location: ConfigLocation)
}

/// One entry of a `to:` or `wireTap:`: `topic:order-events`, `endpoint:erp` (or `erp`),
/// `acknowledge:partner`, or `{endpoint: erp, orderingKey: body.orderNumber}`.
public struct TargetSetting: Sendable {
    public var text: String
    public var orderingKey: ExpressionSetting?
}

/// The `warehouse:` section: how the embedded core works here.
///
/// ```yaml
/// warehouse:
///   ssccCompanyPrefix: "0614141"     # GS1 company prefix for the SSCCs of packed cartons
///   layout: { aisles: 10, baysPerAisle: 40, aisleSpacing: 3, bayLength: 1.5, depotAisle: 0 }
///   tours: { maxOrders: 8, maxUnits: 200, maxStops: 12 }
///   backOrderPolicy: backorder        # backorder | ship-partial | ship-complete
///   carriers:                         # the label requested for a packed carton, by service level
///     GROUND: { carrier: fedex, service: FEDEX_GROUND }
///   labelTimeout: 5m                  # a label not recorded by then is requested again
///   waves:                            # the wave creator on the scheduler (absent: waves by command only)
///     every: 15m                      # groups allocated orders into waves this often
///     release: scheduled              # scheduled: each run releases created waves | manual: ReleaseWave
///     maxOrders: 50
///     maxLines: 500
///     maxUnits: 2000
///     cutoffWindow: 1h                # orders whose cut-offs fall in one such window wave together
///   imports: {folder: /var/lib/paklog/imports}   # bulk CSV imports (WarehouseImportSettings)
/// ```
public struct WarehouseConfiguration: Sendable, Equatable {
    public var settings = WarehouseSettings()
    public var labelTimeout: Duration = .seconds(300)
    public var waves = WaveScheduleSettings()
    public var imports = WarehouseImportSettings()
    public init() {}
}
