import AS2Adapter
import AdapterKit
import HTTPPollAdapter
import SFTPAdapter
import WebhookAdapter

extension KindRegistry {
    /// The source and endpoint kinds this binary ships. Adding an adapter adds its target to
    /// `Package.swift` and one entry here; nothing else in the daemon names a kind.
    public static let builtIn = KindRegistry(
        sources: [
            WebhookSourceKind(),
            HTTPPollSourceKind(),
            AS2SourceKind(),
            SFTPSourceKind(),
        ],
        endpoints: [
            HTTPEndpointKind(),
            AS2EndpointKind(),
            SFTPEndpointKind(),
        ])
}
