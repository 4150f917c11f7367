import Codecs
import Foundation
import Synchronization

/// The operations console's logins: an opaque random session id (the cookie) mapped, in this
/// process only, to the principal whose API key logged in, with an expiry and the session's
/// CSRF token. The key itself is never kept or sent back; a restart logs everyone out.
///
/// Sessions are looked up by the SHA-256 of their id, so the table's hashing never works on the
/// secret itself; the CSRF token is compared in constant time.
public final class ConsoleSessions: Sendable {
    /// The cookie's name.
    public static let cookieName = "paklog_session"

    public struct Session: Sendable {
        public var principal: Principal
        /// Carried by every state-changing form of the session (a hidden field), checked by `checkCSRF`.
        public var csrfToken: String
        public var expires: Date
    }

    private let sessions = Mutex<[[UInt8]: Session]>([:])
    /// How long a login lasts (from the login, not renewed by use).
    public let lifetime: Duration
    private let now: @Sendable () -> Date

    /// Whether cookies carry `Secure` (RFC 6265 §4.1.2.5): set when the listener speaks TLS, so
    /// that the browser never sends the session over plain HTTP.
    public let secureCookies: Bool

    public init(lifetime: Duration = .seconds(8 * 3600), secureCookies: Bool = false, now: @escaping @Sendable () -> Date = { Date() }) {
        self.secureCookies = secureCookies
        self.lifetime = lifetime
        self.now = now
    }

    /// A new session for `principal`; returns its id (the cookie's value).
    public func create(for principal: Principal) -> String {
        let id = Self.token()
        let session = Session(principal: principal, csrfToken: Self.token(), expires: now().addingTimeInterval(Double(lifetime.components.seconds)))
        let at = now()
        sessions.withLock { table in
            table = table.filter { $0.value.expires > at }  // expired ones go on each login
            table[Self.handle(id)] = session
        }
        return id
    }

    /// The live session with `id`, or nil (unknown, expired or logged out).
    public func session(_ id: String) -> Session? {
        let key = Self.handle(id)
        let at = now()
        return sessions.withLock { table in
            guard let s = table[key] else { return nil }
            guard s.expires > at else { table[key] = nil; return nil }
            return s
        }
    }

    /// The session named by the `Cookie` header (RFC 6265 §5.4), or nil.
    public func session(cookieHeader: String?) -> Session? {
        guard let id = cookieHeader.flatMap({ Self.cookie(Self.cookieName, in: $0) }) else { return nil }
        return session(id)
    }

    /// True when `token` is the session's CSRF token.
    public func checkCSRF(_ session: Session, token: String?) -> Bool {
        guard let token else { return false }
        return ConstantTimeComparison.areEqual(Array(token.utf8), Array(session.csrfToken.utf8))
    }

    public func end(_ id: String) {
        let key = Self.handle(id)
        sessions.withLock { $0[key] = nil }
    }

    /// The `Set-Cookie` value for a session id: HttpOnly (no script reads it), SameSite=Strict
    /// (no other site's page sends it, RFC 6265bis §5.4.7), for the whole origin (the console and
    /// the event stream it reads).
    public func setCookie(_ id: String) -> String { cookie(Self.cookieName, id, maxAge: Int(lifetime.components.seconds)) }

    /// Expires the cookie at once.
    public var clearCookie: String { cookie(Self.cookieName, "", maxAge: 0) }

    /// A `Set-Cookie` value with the console's attributes; every console cookie is made here.
    public func cookie(_ name: String, _ value: String, path: String = "/", maxAge: Int) -> String {
        "\(name)=\(value); Path=\(path); HttpOnly; SameSite=Strict\(secureCookies ? "; Secure" : ""); Max-Age=\(maxAge)"
    }

    /// 32 random bytes as hex.
    public static func token() -> String { Hex.encode(SecureRandom.bytes(32)) }

    private static func handle(_ id: String) -> [UInt8] { Digest.hash(Array(id.utf8), .sha256) }

    /// The value of cookie `name` in a `Cookie` header (`a=1; b=2`).
    public static func cookie(_ name: String, in header: String) -> String? {
        for pair in header.split(separator: ";") {
            let trimmed = pair.drop { $0 == " " }
            guard let eq = trimmed.firstIndex(of: "="), trimmed[..<eq] == name else { continue }
            return String(trimmed[trimmed.index(after: eq)...])
        }
        return nil
    }
}
