import Messaging

/// A kind of outbound endpoint, named by `type:` in the `endpoints` section (`http`; later
/// `as2`, `sftp`, carriers …). It reads its own keys; the dispatcher's settings
/// (`maximumConcurrentCalls`, `redelivery`, `circuitBreaker`) are read by the daemon for every
/// kind alike.
public protocol EndpointKind: Sendable {
    /// The `type:` value that selects this kind.
    var type: String { get }
    /// The keys its section may have besides `type` and the dispatcher's.
    var keys: [String] { get }
    /// Reads the section. Problems are reported on the nodes; nil when the section is unusable.
    func configuration(_ section: ConfigurationSection) -> (any EndpointConfiguration)?
}

/// An endpoint's own settings as read from the configuration.
public protocol EndpointConfiguration: Sendable {
    /// What a reload does when the section changed. Default: `.restartRequired` (a dispatcher
    /// keeps its endpoint while it runs).
    var reload: ReloadBehavior { get }
    /// Why the endpoint is switched off (its address comes from an unset optional variable), or
    /// nil when it is on. Routes leave out destinations naming a disabled endpoint.
    var disabledReason: String? { get }
    /// The acknowledgment a delivery waits for when the section sets none (an `as2` endpoint's
    /// partner that answers with 997s or asynchronous MDNs, with the profile's deadline); nil:
    /// none.
    var defaultAcknowledgment: AcknowledgmentPolicy? { get }
    /// The trading partners (`partners:` profiles) this endpoint delivers to, for
    /// `paklog partners show`.
    var partnerNames: [String] { get }
    /// Builds what delivers. Throws what only shows now; the message is reported with the
    /// section's place.
    func makeEndpoint(_ context: EndpointContext) throws -> any Endpoint
    /// Whether `other` is the same settings.
    func isSame(as other: any EndpointConfiguration) -> Bool
}

extension EndpointConfiguration {
    public var reload: ReloadBehavior { .restartRequired }
    public var disabledReason: String? { nil }
    public var defaultAcknowledgment: AcknowledgmentPolicy? { nil }
    public var partnerNames: [String] { [] }
}

extension EndpointConfiguration where Self: Equatable {
    public func isSame(as other: any EndpointConfiguration) -> Bool { (other as? Self) == self }
}
