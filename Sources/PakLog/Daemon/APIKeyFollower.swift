import Gateway
import ServiceLifecycle

/// Keeps the gateway's API keys current while the daemon runs: a key created or revoked with
/// `paklog keys` counts within a second.
struct APIKeyFollower: Service {
    let registry: APIKeyRegistry

    func run() async throws {
        try await cancelWhenGracefulShutdown { await registry.follow() }
    }
}
