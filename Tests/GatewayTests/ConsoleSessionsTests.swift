import Foundation
import Synchronization
import Testing
@testable import Gateway

@Suite("Console sessions")
struct ConsoleSessionsTests {
    let operator_ = Principal(id: "k1", name: "ops", scopes: ["dlq:read"])

    @Test func aSessionIsFoundByItsCookieAmongOthersAndByNothingElse() throws {
        let sessions = ConsoleSessions()
        let id = sessions.create(for: operator_)
        #expect(id.count == 64, "32 random bytes as hex")
        #expect(sessions.session(cookieHeader: "theme=dark; \(ConsoleSessions.cookieName)=\(id); other=1")?.principal == operator_)
        #expect(sessions.session(cookieHeader: "\(ConsoleSessions.cookieName)=\(id.dropLast())0") == nil)
        #expect(sessions.session(cookieHeader: "x\(ConsoleSessions.cookieName)=\(id)") == nil, "only the cookie of that exact name")
        #expect(sessions.session(cookieHeader: nil) == nil)
        #expect(sessions.create(for: operator_) != id, "each login its own id")
    }

    @Test func theCookieIsHttpOnlyAndSameSiteStrictAndHoldsOnlyTheId() {
        let sessions = ConsoleSessions(lifetime: .seconds(600))
        let id = sessions.create(for: operator_)
        let cookie = sessions.setCookie(id)
        #expect(cookie.hasPrefix("\(ConsoleSessions.cookieName)=\(id);"))
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Max-Age=600") && cookie.contains("Path=/"))
        #expect(sessions.clearCookie.contains("Max-Age=0"))
        #expect(!cookie.contains("Secure"), "over plain HTTP the browser would drop a Secure cookie")
        let overTLS = ConsoleSessions(lifetime: .seconds(600), secureCookies: true)
        #expect(overTLS.setCookie(overTLS.create(for: operator_)).contains("; Secure") && overTLS.clearCookie.contains("; Secure"))
    }

    @Test func aSessionEndsAtItsExpiryAndAtLogout() throws {
        let now = Mutex(Date(timeIntervalSince1970: 1_000_000))
        let sessions = ConsoleSessions(lifetime: .seconds(60), now: { now.withLock { $0 } })
        let id = sessions.create(for: operator_)
        now.withLock { $0 += 59 }
        #expect(sessions.session(id) != nil)
        now.withLock { $0 += 2 }
        #expect(sessions.session(id) == nil, "expired after its lifetime")
        let other = sessions.create(for: operator_)
        sessions.end(other)
        #expect(sessions.session(other) == nil, "logged out")
    }

    @Test func theCSRFTokenIsTheSessionsOwn() throws {
        let sessions = ConsoleSessions()
        let a = try #require(sessions.session(sessions.create(for: operator_)))
        let b = try #require(sessions.session(sessions.create(for: operator_)))
        #expect(a.csrfToken != b.csrfToken)
        #expect(sessions.checkCSRF(a, token: a.csrfToken))
        #expect(!sessions.checkCSRF(a, token: b.csrfToken))
        #expect(!sessions.checkCSRF(a, token: nil))
        #expect(!sessions.checkCSRF(a, token: ""))
    }
}
