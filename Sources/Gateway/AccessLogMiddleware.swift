import Hummingbird
import HTTPTypes
import Logging
import Messaging

/// The first link of the chain for the router's routes: a request id and the W3C trace context
/// (the caller's `traceparent` continued with a span of ours, or a new trace), returned on the
/// response (`X-Request-Id`, `traceparent`), and one access log line per request: method, path
/// without its query (queries can carry secrets), status, duration, ids. Never a header's
/// value: `Authorization` and signatures stay out of the log.
public struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    static var traceparentField: HTTPField.Name { HTTPField.Name("traceparent")! }
    static var requestIdField: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let trace = (request.headers[Self.traceparentField].flatMap { TraceContext(traceparent: $0) } ?? TraceContext.started()).child()
        let requestId = request.headers[Self.requestIdField].flatMap(Self.usableRequestId) ?? trace.traceId + "-" + String(trace.traceparent.utf8.dropFirst(36).prefix(16))!
        var status: Int
        var response: Response
        do {
            response = try await next(request, context)
            status = Int(response.status.code)
        } catch let error as HTTPResponseError {
            status = Int(error.status.code)
            log(request, status: status, started: started, requestId: requestId, trace: trace)
            throw error
        } catch {
            log(request, status: 500, started: started, requestId: requestId, trace: trace)
            throw error
        }
        response.headers[Self.traceparentField] = trace.traceparent
        response.headers[Self.requestIdField] = requestId
        log(request, status: status, started: started, requestId: requestId, trace: trace)
        return response
    }

    private func log(_ request: Request, status: Int, started: ContinuousClock.Instant, requestId: String, trace: TraceContext) {
        let elapsed = started.duration(to: .now)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        // Probes ask every few seconds: their lines only at debug.
        let probe = request.uri.path == "/healthz" || request.uri.path == "/readyz"
        logger.log(level: probe ? .debug : .info, "request", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(status)",
            "durationMs": "\((milliseconds * 1000).rounded() / 1000)", "requestId": "\(requestId)", "traceId": "\(trace.traceId)",
        ])
    }

    /// A caller's request id, if it is short visible ASCII (it goes into logs and headers).
    static func usableRequestId(_ text: String) -> String? {
        let b = Array(text.utf8)
        guard !b.isEmpty, b.count <= 128, b.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        return text
    }
}
