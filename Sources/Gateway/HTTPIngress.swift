import NIOCore
import Synchronization

/// The HTTP ingress receivers in force, by path, served by `HTTPIngressHandler` in every HTTP
/// connection. The table can be replaced at run time (SIGHUP: rotated secrets, new limits, new
/// or removed paths); each request looks its path up when its head arrives.
public final class HTTPIngress: Sendable {
    private let receivers: Mutex<[String: any HTTPIngressReceiver]>

    /// - Precondition: no two receivers share a path (the configuration check refuses that).
    public init(receivers: [any HTTPIngressReceiver] = []) {
        self.receivers = Mutex(Self.table(receivers))
    }

    /// Swaps in new receivers.
    public func replace(_ new: [any HTTPIngressReceiver]) {
        let table = Self.table(new)
        receivers.withLock { $0 = table }
    }

    /// The receiver serving `path`, if any.
    public func receiver(forPath path: String) -> (any HTTPIngressReceiver)? {
        receivers.withLock { $0[path] }
    }

    /// A new handler for one connection's pipeline (after HTTP/1 decoding, before the router).
    public func channelHandler() -> any RemovableChannelHandler {
        HTTPIngressHandler { [self] path in receiver(forPath: path) }
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
