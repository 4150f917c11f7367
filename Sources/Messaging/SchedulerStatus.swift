import Codecs
import Foundation

/// How a scheduled job is doing, for `/readyz` and the operator.
public struct SchedulerStatus: Sendable, Equatable {
    public var job: String
    /// When its last firing committed (since this process started, or as stored in its cursor).
    public var lastRun: Date?
    /// When it is next due (nil: a timer that is not armed, or has fired).
    public var nextRun: Date?
    /// Firings that failed since this process started.
    public var failures: Int
    /// The latest failure's message, cleared by the next success.
    public var lastError: String?

    public init(job: String, lastRun: Date? = nil, nextRun: Date? = nil, failures: Int = 0, lastError: String? = nil) {
        self.job = job
        self.lastRun = lastRun
        self.nextRun = nextRun
        self.failures = failures
        self.lastError = lastError
    }

    /// One line for a status page: `job 'prune-idempotency-keys': last run 2026-05-01T03:00:00.000Z, next run …, failures 0`.
    public var line: String {
        func time(_ date: Date?) -> String {
            date.map { UTCTimestamp(millisecondsSince1970: Int64(($0.timeIntervalSince1970 * 1000).rounded(.down))).rfc3339 } ?? "never"
        }
        var text = "job '\(job)': last run \(time(lastRun)), next run \(nextRun == nil ? "none" : time(nextRun)), failures \(failures)"
        if let lastError { text += ", last error: \(lastError)" }
        return text
    }
}
