import Foundation
import Synchronization
import Testing
@testable import Gateway

@Suite("API access: keys, scopes, rate limits")
struct AccessTests {
    @Test func aKeyAcceptsItsOwnSecretOnlyAndNotOnceRevoked() throws {
        var (key, token) = APIKey.issue(name: "erp", scopes: ["orders:read"])
        #expect(token.hasPrefix("plk_\(key.id)_"))
        let (id, secret) = try #require(APIKey.parse(Array(token.utf8)))
        #expect(id == key.id)
        #expect(key.accepts(secret: secret))
        #expect(!key.accepts(secret: secret + "x"))
        #expect(!key.hash.isEmpty && key.hash != Array(secret.utf8), "only a hash is kept")
        let (other, _) = APIKey.issue(name: "erp", scopes: ["orders:read"])
        #expect(other.salt != key.salt, "each key its own salt")
        key.revokedAt = Date()
        #expect(!key.accepts(secret: secret))
        for bad in ["", "plk_", "plk_short_x", "Bearer plk_0123456789ab_", "xyz_0123456789ab_secret"] { #expect(APIKey.parse(Array(bad.utf8)) == nil, "\(bad)") }
    }

    @Test func routesAskForTheirScopeAndUnknownRoutesForAdmin() {
        #expect(APIScopes.required(method: .get, path: "/api/v1/orders?waitFor=3") == "orders:read")
        #expect(APIScopes.required(method: .post, path: "/api/v1/orders") == "orders:write")
        #expect(APIScopes.required(method: .post, path: "/api/v1/dlq/erp/1/replay") == "dlq:replay")
        #expect(APIScopes.required(method: .post, path: "/api/dlq/erp/1/replay") == "dlq:replay")
        #expect(APIScopes.required(method: .delete, path: "/api/v1/orders") == "admin")
        #expect(APIScopes.required(method: .get, path: "/api/v1/projections") == "admin")
        for rule in APIScopes.rules { #expect(APIScopes.required(method: rule.method, path: rule.example) == rule.scope, "\(rule)") }
        #expect(Principal(id: "k", name: "k", scopes: ["admin"]).may("dlq:replay"))
        #expect(!Principal(id: "k", name: "k", scopes: ["dlq:read"]).may("dlq:replay"))
    }

    @Test func aBucketHoldsItsBurstAndRefillsAtItsRate() {
        let clock = Mutex(0.0)
        let limiter = RateLimiter(defaultLimit: .init(requestsPerSecond: 2, burst: 3), limits: ["dlq:replay": .init(requestsPerSecond: 0.5, burst: 1)],
                                  now: { clock.withLock { $0 } })
        let first = (0..<4).map { _ in limiter.take(credential: "a", routeClass: "orders:read") }
        #expect(first.map(\.allowed) == [true, true, true, false])
        #expect(first[0].policy == #""orders:read";q=3;w=2"#)
        #expect(first[0].state == #""orders:read";r=2;t=1"#)
        #expect(first[3].retryAfter == 1)
        #expect(limiter.take(credential: "b", routeClass: "orders:read").allowed, "another credential has its own bucket")
        clock.withLock { $0 = 0.5 }
        #expect(limiter.take(credential: "a", routeClass: "orders:read").allowed, "half a second at 2/s is one request")
        #expect(!limiter.take(credential: "a", routeClass: "orders:read").allowed)
        #expect(limiter.take(credential: "a", routeClass: "dlq:replay").allowed)
        let replay = limiter.take(credential: "a", routeClass: "dlq:replay")
        #expect(!replay.allowed && replay.retryAfter == 2 && replay.policy == #""dlq:replay";q=1;w=2"#)
    }
}
