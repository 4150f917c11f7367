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

    static var traceparentField: HTTPField.Name { HTTPField.Name(RequestIdentity.traceparentField)! }
    static var tracestateField: HTTPField.Name { HTTPField.Name(RequestIdentity.tracestateField)! }
    static var requestIdField: HTTPField.Name { HTTPField.Name(RequestIdentity.requestIdField)! }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let identity = RequestIdentity(traceparent: request.headers[Self.traceparentField], tracestate: request.headers[Self.tracestateField],
                                       requestId: request.headers[Self.requestIdField])
        let trace = identity.trace
        let requestId = identity.requestId
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
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        AccessLog.record(logger, method: request.method.rawValue, path: request.uri.path, status: status, seconds: seconds, requestId: requestId, traceId: trace.traceId)
    }
}

/// The access line, one per request, for the router's routes and the webhook ingress alike.
enum AccessLog {
    /// - Parameter quietWhenAccepted: a webhook answered 2xx is written at debug only: it is in
    ///   the event log already (its envelope, trace id and time), and a line per webhook at
    ///   thousands per second cost the ingest a fifth of its rate (the lines and the store's
    ///   fsyncs share the disk). Refusals, the lines an operator looks for, stay at info.
    static func record(_ logger: Logger, method: String, path: String, status: Int, seconds: Double, requestId: String, traceId: String,
                       quietWhenAccepted: Bool = false) {
        // Probes ask every few seconds: their lines only at debug.
        let probe = path == "/healthz" || path == "/readyz"
        let level: Logger.Level = probe || (quietWhenAccepted && (200..<300).contains(status)) ? .debug : .info
        guard logger.logLevel <= level else { return }
        logger.log(level: level, "request", metadata: [
            "method": "\(method)", "path": "\(path)", "status": "\(status)",
            "durationMs": "\((seconds * 1_000_000).rounded() / 1000)", "requestId": "\(requestId)", "traceId": "\(traceId)",
        ])
    }
}
