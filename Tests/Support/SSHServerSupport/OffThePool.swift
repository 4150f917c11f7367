import Foundation

/// Runs blocking work (process spawns, waits for a port) on a thread of its own and awaits it:
/// on the cooperative pool, which has one thread per core, it would hold up every other test.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

extension SSHTestServer {
    /// ``init(passwordAuthentication:)`` from async code, off the cooperative pool.
    public static func start(passwordAuthentication: Bool = false) async throws -> SSHTestServer {
        try await offThePool { try SSHTestServer(passwordAuthentication: passwordAuthentication) }
    }
}
