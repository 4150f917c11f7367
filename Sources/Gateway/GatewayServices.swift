import Hummingbird
import Logging
import Prometheus

/// What the HTTP gateway needs from the rest of the daemon, as values and closures, so that the
/// gateway knows nothing of how the daemon is wired.
public struct GatewayServices: Sendable {
    /// `/readyz`: nil when ready, or the reasons it is not.
    public var readiness: @Sendable () async -> [String]
    /// `/readyz`: lines shown after the verdict either way (scheduled jobs: last run, next run,
    /// failures).
    public var readinessDetail: @Sendable () async -> [String]
    /// Source of `/metrics`.
    public var metrics: PrometheusCollectorRegistry
    /// The principal of an API bearer token (checked in constant time), nil for a token that is
    /// none of the accepted ones.
    public var authenticate: @Sendable (_ token: [UInt8]) -> Principal?
    /// Extra route groups (webhooks, REST API) added by the wiring.
    public var routes: [any GatewayRouteProvider]
    /// Per credential and route class; nil: unlimited.
    public var rateLimiter: RateLimiter?
    /// Where each request's access line goes.
    public var accessLogger: Logger
    /// The largest request bodies of the router's routes (`http.maxBodyBytes`, `http.maxImportBytes`).
    public var bodySizeLimits: BodySizeLimits
    /// Cross-origin access from browsers (`http.cors`); none by default.
    public var cors: CORSPolicy
    /// The operations console's logins; with them, `/api` GETs also accept a console session.
    public var sessions: ConsoleSessions?

    public init(
        readiness: @escaping @Sendable () async -> [String],
        readinessDetail: @escaping @Sendable () async -> [String] = { [] },
        metrics: PrometheusCollectorRegistry,
        authenticate: @escaping @Sendable (_ token: [UInt8]) -> Principal?,
        routes: [any GatewayRouteProvider] = [],
        rateLimiter: RateLimiter? = nil,
        accessLogger: Logger = Logger(label: "paklog.access"),
        bodySizeLimits: BodySizeLimits = BodySizeLimits(),
        cors: CORSPolicy = CORSPolicy(),
        sessions: ConsoleSessions? = nil
    ) {
        self.bodySizeLimits = bodySizeLimits
        self.cors = cors
        self.sessions = sessions
        self.rateLimiter = rateLimiter
        self.accessLogger = accessLogger
        self.readiness = readiness
        self.readinessDetail = readinessDetail
        self.metrics = metrics
        self.authenticate = authenticate
        self.routes = routes
    }
}

/// A set of routes the gateway mounts. `public` routes are reachable without a token (partner
/// webhooks carry their own signatures); `api` routes sit behind bearer authentication.
public protocol GatewayRouteProvider: Sendable {
    func addPublicRoutes(to router: Router<BasicRequestContext>)
    func addAPIRoutes(to group: RouterGroup<BasicRequestContext>)
}

extension GatewayRouteProvider {
    public func addPublicRoutes(to router: Router<BasicRequestContext>) {}
    public func addAPIRoutes(to group: RouterGroup<BasicRequestContext>) {}
}
