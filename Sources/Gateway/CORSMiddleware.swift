import Hummingbird
import HTTPTypes

/// Adds the CORS fields to the answer of an actual cross-origin request (one with `Origin`)
/// whose origin the `CORSPolicy` allows: `Access-Control-Allow-Origin` and
/// `Access-Control-Expose-Headers`, and `Vary: Origin` for caches whenever the answer depends on
/// the origin. In the chain after rate limiting and body size limits (issue 26's order); the
/// preflight is `CORSPreflightMiddleware`'s.
public struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: CORSPolicy

    public init(policy: CORSPolicy) { self.policy = policy }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard policy.isEnabled else { return try await next(request, context) }
        var response = try await next(request, context)
        if let origin = request.headers[.origin], let allowOrigin = policy.allowOrigin(for: origin) {
            response.headers[.accessControlAllowOrigin] = allowOrigin
            response.headers[.accessControlExposeHeaders] = CORSPolicy.exposedHeaders.joined(separator: ", ")
        }
        // With `*` the answer is the same for every origin; otherwise it depends on Origin.
        if policy.allowOrigin(for: "") != "*" { response.headers.addVary("Origin") }
        return response
    }
}
