import Adapters
import NIOCore
import Synchronization

/// The configured webhook sources, by path, served by `WebhookIngressHandler` in every HTTP
/// connection. The table can be replaced at run time (SIGHUP: rotated secrets, new limits, new
/// or removed paths); each request looks its path up when its head arrives.
public final class WebhookIngress: Sendable {
    private let receivers: Mutex<[String: WebhookReceiver]>

    public init(receivers: [WebhookReceiver]) {
        self.receivers = Mutex(Self.table(receivers))
    }

    /// Swaps in new receivers.
    public func replace(_ new: [WebhookReceiver]) {
        let table = Self.table(new)
        receivers.withLock { $0 = table }
    }

    /// The receiver serving `path`, if any.
    public func receiver(forPath path: String) -> WebhookReceiver? {
        receivers.withLock { $0[path] }
    }

    /// A new handler for one connection's pipeline (after HTTP/1 decoding, before the router).
    public func channelHandler() -> any RemovableChannelHandler {
        WebhookIngressHandler { [self] path in receiver(forPath: path) }
    }

    private static func table(_ receivers: [WebhookReceiver]) -> [String: WebhookReceiver] {
        Dictionary(receivers.map { ($0.configuration.path, $0) }, uniquingKeysWith: { $1 })
    }
}
