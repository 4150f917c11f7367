import Hummingbird
import HTTPTypes

/// Answers CORS preflight requests (Fetch §4.8: `OPTIONS` with `Origin` and
/// `Access-Control-Request-Method`) by the `CORSPolicy`. It sits ahead of authentication, as it
/// must: a browser sends a preflight without credentials, so a preflight refused with 401 would
/// fail every cross-origin call. The answer says only what the policy allows; the actual request
/// then passes the whole chain, and `CORSMiddleware` (after rate limiting) adds its headers.
/// Without allowed origins every request passes through untouched.
public struct CORSPreflightMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: CORSPolicy

    public init(policy: CORSPolicy) { self.policy = policy }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard policy.isEnabled, request.method == .options, let origin = request.headers[.origin],
              let method = request.headers[.accessControlRequestMethod] else { return try await next(request, context) }
        var headers: HTTPFields = [.vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"]
        guard let allowOrigin = policy.allowOrigin(for: origin) else {
            return Self.refused(headers, "the origin \(origin) may not call this API (http.cors.allowedOrigins)")
        }
        guard CORSPolicy.allowedMethods.contains(method) else {
            return Self.refused(headers, "the method \(method) is not one of \(CORSPolicy.allowedMethods.joined(separator: ", "))")
        }
        let allowed = Set(CORSPolicy.allowedHeaders.map { $0.lowercased() })
        let requested = (request.headers[.accessControlRequestHeaders] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        if let other = requested.first(where: { !allowed.contains($0) }) {
            return Self.refused(headers, "the header \(other) is not one of \(CORSPolicy.allowedHeaders.joined(separator: ", "))")
        }
        headers[.accessControlAllowOrigin] = allowOrigin
        headers[.accessControlAllowMethods] = CORSPolicy.allowedMethods.joined(separator: ", ")
        headers[.accessControlAllowHeaders] = CORSPolicy.allowedHeaders.joined(separator: ", ")
        headers[.accessControlMaxAge] = String(policy.maxAge)
        return Response(status: .noContent, headers: headers)
    }

    /// A refused preflight: no Access-Control-Allow-* field, so the browser blocks the call; the
    /// text says why to whoever looks at it.
    static func refused(_ headers: HTTPFields, _ message: String) -> Response {
        var response = plainText(.forbidden, message + "\n")
        response.headers.append(contentsOf: headers)
        return response
    }
}
