import Foundation
import OffThePool

extension SSHTestServer {
    /// ``init(passwordAuthentication:)`` from async code, off the cooperative pool.
    public static func start(passwordAuthentication: Bool = false) async throws -> SSHTestServer {
        try await offThePool { try SSHTestServer(passwordAuthentication: passwordAuthentication) }
    }
}
