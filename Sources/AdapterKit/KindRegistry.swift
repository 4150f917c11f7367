/// The source and endpoint kinds a daemon knows, by `type:`. The binary's registry is
/// `KindRegistry.builtIn` (one line per adapter, in the `PakLog` target); tests make their own.
public struct KindRegistry: Sendable {
    public let sources: [String: any SourceKind]
    public let endpoints: [String: any EndpointKind]

    /// - Precondition: no two kinds of one list share a `type`.
    public init(sources: [any SourceKind], endpoints: [any EndpointKind]) {
        self.sources = Dictionary(sources.map { ($0.type, $0) }) { first, second in
            preconditionFailure("two source kinds are registered as '\(first.type)'")
        }
        self.endpoints = Dictionary(endpoints.map { ($0.type, $0) }) { first, second in
            preconditionFailure("two endpoint kinds are registered as '\(first.type)'")
        }
    }

    /// This registry with more kinds (a test's, say).
    public func adding(sources: [any SourceKind] = [], endpoints: [any EndpointKind] = []) -> KindRegistry {
        KindRegistry(sources: Array(self.sources.values) + sources, endpoints: Array(self.endpoints.values) + endpoints)
    }
}
