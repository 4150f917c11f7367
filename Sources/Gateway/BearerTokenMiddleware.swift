import Hummingbird
import HTTPTypes

/// Requires `Authorization: Bearer <token>` (RFC 6750 §2.1) naming a principal that has the
/// route's scope (`APIScopes`): 401 without a valid token, 403 when its scopes do not include
/// the route's. The token is checked by the injected function, which compares in constant
/// time; the token is never logged. With a `RateLimiter`, each credential has a bucket per route
/// class (429 when it is empty).
///
/// With `sessions`, a request without an `Authorization` header may instead carry the
/// operations console's session cookie (`ConsoleSessions`), for reading only (GET and HEAD): the
/// console's pages read the API (the live event feed's `EventSource` cannot send a header), while
/// every change goes through a console form with its CSRF token or a bearer token. Scopes and rate
/// limits apply to the session's principal as to its key.
public struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticate: @Sendable ([UInt8]) -> Principal?
    let limiter: RateLimiter?
    let sessions: ConsoleSessions?

    public init(authenticate: @escaping @Sendable ([UInt8]) -> Principal?, limiter: RateLimiter? = nil, sessions: ConsoleSessions? = nil) {
        self.authenticate = authenticate
        self.limiter = limiter
        self.sessions = sessions
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            if let sessions, request.method == .get || request.method == .head,
               let session = sessions.session(cookieHeader: request.headers[.cookie]) {
                return try await authorized(session.principal, request, context, next)
            }
            return unauthorized("missing Authorization header (expected: Bearer <token>)")
        }
        let bytes = Array(header.utf8)
        let scheme = Array("bearer ".utf8)
        guard bytes.count > scheme.count,
              zip(bytes.prefix(scheme.count), scheme).allSatisfy({ ($0 | 0x20) == $1 || $0 == $1 })
        else {
            return unauthorized("Authorization scheme must be Bearer")
        }
        guard let principal = authenticate(Array(bytes.dropFirst(scheme.count))) else {
            return unauthorized("invalid token")
        }
        return try await authorized(principal, request, context, next)
    }

    private func authorized(_ principal: Principal, _ request: Request, _ context: Context,
                            _ next: (Request, Context) async throws -> Response) async throws -> Response {
        let scope = APIScopes.required(method: request.method, path: request.uri.path)
        guard principal.may(scope) else {
            var response = plainText(.forbidden, "this key lacks the scope \(scope)\n")
            response.headers[.wwwAuthenticate] = "Bearer realm=\"paklog\", error=\"insufficient_scope\", scope=\"\(scope)\""
            return response
        }
        guard let limiter else { return try await next(request, context) }
        let decision = limiter.take(credential: principal.id, routeClass: scope)
        guard decision.allowed else {
            var response = plainText(.tooManyRequests, "rate limit of \(scope) reached for this key; retry in \(decision.retryAfter) s\n")
            response.headers[.retryAfter] = String(decision.retryAfter)
            response.headers[Self.policyField] = decision.policy
            response.headers[Self.stateField] = decision.state
            return response
        }
        var response = try await next(request, context)
        response.headers[Self.policyField] = decision.policy
        response.headers[Self.stateField] = decision.state
        return response
    }

    static var policyField: HTTPField.Name { HTTPField.Name("RateLimit-Policy")! }
    static var stateField: HTTPField.Name { HTTPField.Name("RateLimit")! }

    private func unauthorized(_ message: String) -> Response {
        var response = plainText(.unauthorized, message + "\n")
        response.headers[.wwwAuthenticate] = "Bearer realm=\"paklog\""
        return response
    }
}
