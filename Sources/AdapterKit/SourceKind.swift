import Gateway
import ServiceLifecycle

/// A kind of inbound source, named by `type:` in the `sources` section (`webhook`; later
/// `sftp`, `mqtt`, `as2` …). It reads its section and builds the running source. The daemon
/// holds no list of kinds: each is registered once, in `KindRegistry`.
///
/// ```swift
/// struct FeedKind: SourceKind {
///     let type = "feed"
///     let keys = ["interval"]
///     func configuration(_ section: ConfigurationSection) -> (any SourceConfiguration)? {
///         FeedConfiguration(interval: section.mapping.optional("interval")?.duration() ?? .seconds(5))
///     }
/// }
/// ```
public protocol SourceKind: Sendable {
    /// The `type:` value that selects this kind.
    var type: String { get }
    /// The keys its section may have besides `type`; others are refused with a suggestion.
    var keys: [String] { get }
    /// Reads the section. Problems are reported on the nodes; nil when the section is unusable.
    func configuration(_ section: ConfigurationSection) -> (any SourceConfiguration)?
}

/// A source's settings as read from the configuration: compared on reload, built when the
/// daemon starts or a reload applies them.
public protocol SourceConfiguration: Sendable {
    /// What a reload does when the section changed. Default: `.rebuild`.
    var reload: ReloadBehavior { get }
    /// The trading partners (`partners:` profiles) this source receives from, for
    /// `paklog partners show`.
    var partnerNames: [String] { get }
    /// Whether its routes demand a TLS client certificate (then `http.tls.clientCA` must be set).
    var requiresClientCertificate: Bool { get }
    /// Builds the running source. Throws what only shows now (a key in the wrong format, an
    /// expression that does not compile); the message is reported with the section's place.
    func makeSource(_ context: SourceContext) throws -> any Source
    /// Whether `other` is the same settings (then a reload keeps the running source).
    func isSame(as other: any SourceConfiguration) -> Bool
}

extension SourceConfiguration {
    public var reload: ReloadBehavior { .rebuild }
    public var partnerNames: [String] { [] }
    public var requiresClientCertificate: Bool { false }
}

extension SourceConfiguration where Self: Equatable {
    public func isSame(as other: any SourceConfiguration) -> Bool { (other as? Self) == self }
}

/// A running source: what it answers on the gateway's listener and what it runs beside it.
public protocol Source: Sendable {
    /// Requests it answers in the HTTP connection pipeline (webhook paths).
    var httpIngress: [any HTTPIngressReceiver] { get }
    /// Work it does while the daemon runs (a poller, a subscription to a broker), started with
    /// the daemon and stopped by cancellation (a reload that replaces the source) or by graceful
    /// shutdown. A service returns once stopped; it must not acknowledge a partner's message
    /// before the inbox has accepted it.
    var services: [any Service] { get }
}

extension Source {
    public var httpIngress: [any HTTPIngressReceiver] { [] }
    public var services: [any Service] { [] }
}
