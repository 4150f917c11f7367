import Logging
import NIOCore
import Synchronization

/// The HTTP ingress receivers in force, by path, served by `HTTPIngressHandler` in every HTTP
/// connection. The table can be replaced at run time (SIGHUP: rotated secrets, new limits, new
/// or removed paths); each request looks its path up when its head arrives.
public final class HTTPIngress: Sendable {
    private let receivers: Mutex<[String: any HTTPIngressReceiver]>
    /// Buckets of the receivers with a `rateLimit`, by path; rebuilt (full) when limits change.
    private let limiter: Mutex<RateLimiter>

    /// - Precondition: no two receivers share a path (the configuration check refuses that).
    public init(receivers: [any HTTPIngressReceiver] = []) {
        self.receivers = Mutex(Self.table(receivers))
        self.limiter = Mutex(Self.limiter(receivers))
    }

    /// Swaps in new receivers.
    public func replace(_ new: [any HTTPIngressReceiver]) {
        let table = Self.table(new)
        let limits = Self.limits(new)
        receivers.withLock { $0 = table }
        limiter.withLock { if $0.limits != limits { $0 = Self.limiter(new) } }
    }

    /// One request from `path`'s bucket.
    func takeRate(path: String) -> RateLimiter.Decision {
        limiter.withLock { $0 }.take(credential: "webhook", routeClass: path)
    }

    private static func limits(_ receivers: [any HTTPIngressReceiver]) -> [String: RateLimiter.Limit] {
        Dictionary(receivers.compactMap { r in r.rateLimit.map { (r.path, $0) } }, uniquingKeysWith: { $1 })
    }

    private static func limiter(_ receivers: [any HTTPIngressReceiver]) -> RateLimiter {
        // Paths without a limit never ask.
        RateLimiter(defaultLimit: .init(requestsPerSecond: 1e9, burst: Int.max / 2), limits: limits(receivers))
    }

    /// The receiver serving `path`, if any.
    public func receiver(forPath path: String) -> (any HTTPIngressReceiver)? {
        receivers.withLock { $0[path] }
    }

    /// A new handler for one connection's pipeline (after HTTP/1 decoding or on an HTTP/2
    /// stream, before the router); its access lines go to `accessLogger`.
    public func channelHandler(accessLogger: Logger = Logger(label: "paklog.access")) -> any RemovableChannelHandler {
        HTTPIngressHandler(ingress: self, accessLogger: accessLogger)
    }

    /// Paths claimed by more than one of `receivers`, sorted.
    public static func duplicatePaths(_ receivers: [any HTTPIngressReceiver]) -> [String] {
        Dictionary(grouping: receivers, by: \.path).filter { $0.value.count > 1 }.keys.sorted()
    }

    private static func table(_ receivers: [any HTTPIngressReceiver]) -> [String: any HTTPIngressReceiver] {
        precondition(duplicatePaths(receivers).isEmpty, "two HTTP ingress receivers share a path: \(duplicatePaths(receivers))")
        return Dictionary(receivers.map { ($0.path, $0) }, uniquingKeysWith: { $1 })
    }
}
