import Foundation
import Messaging

/// What the daemon tells the console's overview about its parts, as it runs: the console knows
/// nothing of how they are wired.
public struct ConsoleStatus: Sendable {
    public var routes: [String]
    /// Source names (their envelopes are in `inbox-<name>`).
    public var sources: [String]
    /// Endpoint names with their dispatcher's state (nil when it has none yet).
    public var endpoints: [(name: String, status: DispatcherStatus?)]
    public var jobs: [SchedulerStatus]
    /// Partner certificates that expire soon (`CertificateExpiryCheck`), one line each.
    public var certificates: [String]
    /// Why `/readyz` says not ready (empty when ready).
    public var notReady: [String]

    public init(routes: [String], sources: [String], endpoints: [(name: String, status: DispatcherStatus?)], jobs: [SchedulerStatus],
                certificates: [String], notReady: [String]) {
        self.routes = routes
        self.sources = sources
        self.endpoints = endpoints
        self.jobs = jobs
        self.certificates = certificates
        self.notReady = notReady
    }
}
