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
    /// Every partner certificate (ours included), soonest expiry first.
    public var certificates: [Certificate]
    /// Why `/readyz` says not ready (empty when ready).
    public var notReady: [String]

    public init(routes: [String], sources: [String], endpoints: [(name: String, status: DispatcherStatus?)], jobs: [SchedulerStatus],
                certificates: [Certificate], notReady: [String]) {
        self.routes = routes
        self.sources = sources
        self.endpoints = endpoints
        self.jobs = jobs
        self.certificates = certificates
        self.notReady = notReady
    }
}

extension ConsoleStatus {
    /// One certificate of a partner profile.
    public struct Certificate: Sendable {
        public var partner: String
        /// `signing`, `encryption`, `ours` … as the profile names it.
        public var role: String
        public var subject: String
        public var notAfter: Date
        public var fingerprintSHA256: String

        public init(partner: String, role: String, subject: String, notAfter: Date, fingerprintSHA256: String) {
            self.partner = partner
            self.role = role
            self.subject = subject
            self.notAfter = notAfter
            self.fingerprintSHA256 = fingerprintSHA256
        }
    }
}
