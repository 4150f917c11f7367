import Hummingbird

/// Requires `Authorization: Bearer <token>` (RFC 6750 §2.1). The token is checked by the
/// injected function, which compares in constant time; the token is never logged.
public struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticate: @Sendable ([UInt8]) -> Bool

    public init(authenticate: @escaping @Sendable ([UInt8]) -> Bool) {
        self.authenticate = authenticate
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            return unauthorized("missing Authorization header (expected: Bearer <token>)")
        }
        let bytes = Array(header.utf8)
        let scheme = Array("bearer ".utf8)
        guard bytes.count > scheme.count,
              zip(bytes.prefix(scheme.count), scheme).allSatisfy({ ($0 | 0x20) == $1 || $0 == $1 })
        else {
            return unauthorized("Authorization scheme must be Bearer")
        }
        guard authenticate(Array(bytes.dropFirst(scheme.count))) else {
            return unauthorized("invalid token")
        }
        return try await next(request, context)
    }

    private func unauthorized(_ message: String) -> Response {
        var response = plainText(.unauthorized, message + "\n")
        response.headers[.wwwAuthenticate] = "Bearer realm=\"paklog\""
        return response
    }
}
