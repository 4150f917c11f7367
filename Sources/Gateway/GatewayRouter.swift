import Hummingbird
import JSON
import Logging
import Prometheus

/// Builds the gateway's router: health checks (unauthenticated), `/metrics` and `/api/…` behind
/// bearer tokens, plus whatever routes the wiring provides.
public func makeGatewayRouter(services: GatewayServices) -> Router<BasicRequestContext> {
    let router = Router()
    // The chain, outermost first: trace and access log, metrics, then (around each handler)
    // compression of what the conditional request step lets through; authentication,
    // authorization, rate limits, body size limits and CORS sit on the authenticated groups.
    // CORS preflights are answered ahead of authentication: browsers send them without
    // credentials (see CORSPreflightMiddleware).
    router.add(middleware: AccessLogMiddleware(logger: services.accessLogger))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: CORSPreflightMiddleware(policy: services.cors))
    router.add(middleware: CompressionMiddleware())
    router.add(middleware: ConditionalGetMiddleware())

    router.get("/healthz") { _, _ -> Response in
        plainText(.ok, "ok\n")
    }
    router.get("/readyz") { _, _ -> Response in
        let reasons = await services.readiness()
        let detail = await services.readinessDetail().map { "\($0)\n" }.joined()
        if reasons.isEmpty { return plainText(.ok, "ready\n" + detail) }
        return plainText(.serviceUnavailable, "not ready:\n" + reasons.map { "- \($0)\n" }.joined() + detail)
    }

    let authenticated = router.group().add(middleware: BearerTokenMiddleware(authenticate: services.authenticate, limiter: services.rateLimiter))
        .add(middleware: BodySizeLimitMiddleware(limits: services.bodySizeLimits)).add(middleware: CORSMiddleware(policy: services.cors))
    authenticated.get("/metrics") { _, _ -> Response in
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        services.metrics.emit(into: &buffer)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }
    let api = router.group("api").add(middleware: BearerTokenMiddleware(authenticate: services.authenticate, limiter: services.rateLimiter,
                                                                        sessions: services.sessions))
        .add(middleware: BodySizeLimitMiddleware(limits: services.bodySizeLimits)).add(middleware: CORSMiddleware(policy: services.cors))
    api.get("v1/openapi.json") { _, _ -> Response in jsonResponse(.ok, OpenAPIDocument.serialized) }
    for provider in services.routes {
        provider.addPublicRoutes(to: router)
        provider.addAPIRoutes(to: api)
    }
    return router
}

/// A text/plain response.
public func plainText(_ status: HTTPResponse.Status, _ text: String) -> Response {
    Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
}

/// An application/json response from serialized bytes.
public func jsonResponse(_ status: HTTPResponse.Status, _ bytes: [UInt8], headers extra: HTTPFields = [:]) -> Response {
    var headers: HTTPFields = [.contentType: "application/json"]
    headers.append(contentsOf: extra)
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
}

/// `{"error": message}` with `status`.
public func jsonError(_ status: HTTPResponse.Status, _ message: String) -> Response {
    jsonResponse(status, (["error": .string(message)] as JSONValue).serialized())
}
