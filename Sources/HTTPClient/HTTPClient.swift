import Logging
import Synchronization

/// An HTTP/1.1 and HTTP/2 client over libcurl's multi interface.
///
/// All transfers of one client run on one dedicated thread that owns a libcurl multi handle, so
/// connections are kept and reused across requests (HTTP/2 requests to one origin share a
/// connection) and callers never block Swift's cooperative thread pool. Create one client per
/// process or per group of partners with the same settings, and call ``shutdown()`` when done.
///
/// ```swift
/// let client = HTTPClient(configuration: .init(
///     connectTimeout: .seconds(5),
///     tls: .init(caBundlePath: "/etc/paklog/partner-ca.pem",
///                pinnedPublicKeys: ["sha256//r8Yk…="])))
/// let response = try await client.execute(HTTPRequest(
///     method: .post, url: "https://partner.example/orders",
///     headers: ["Content-Type": "application/json"], body: Array(json.utf8)))
/// if response.status == 503, let retryAfter = response.retryAfter { … }
/// await client.shutdown()
/// ```
///
/// Cancelling the calling task aborts its transfer (the easy handle leaves the multi handle) and
/// ``execute(_:)`` throws `CancellationError`.
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration
    private let loop: CurlEventLoop
    private let nextID = Atomic<UInt64>(1)
    private let logger: Logger

    /// Starts the client's event loop thread.
    public init(configuration: HTTPClientConfiguration = .init(), logger: Logger = Logger(label: "paklog.http-client")) {
        self.configuration = configuration
        self.logger = logger
        loop = CurlEventLoop(configuration: configuration)
    }

    deinit {
        // Without shutdown() the thread still has to go; it fails whatever is in flight.
        loop.beginStopping()
    }

    /// Sends `request` and returns the complete response, whatever its status code.
    ///
    /// - Throws: ``HTTPClientError`` when no response arrived (timeout, connect or TLS failure,
    ///   lost connection, body over the size limit, invalid request, client shut down);
    ///   `CancellationError` when the calling task was cancelled.
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        if let problem = RequestValidation.problem(in: request) {
            throw HTTPClientError(kind: .invalidRequest, url: request.url, detail: problem)
        }
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let gate = CancellationGate()
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                    let job = TransferJob(
                        id: id, request: request, totalTimeout: request.timeout ?? configuration.totalTimeout,
                        tls: request.tls ?? configuration.tls, continuation: continuation)
                    switch gate.submit({ loop.submit(job) }) {
                    case .submitted:
                        break
                    case .cancelledBefore:
                        continuation.resume(throwing: CancellationError())
                    case .refused:
                        continuation.resume(throwing: HTTPClientError(kind: .shutdown, url: request.url))
                    }
                }
            } onCancel: {
                if gate.cancel() { loop.cancel(id: id) }
            }
        } catch let error as HTTPClientError {
            logger.debug(
                "HTTP request failed",
                metadata: [
                    "http.method": "\(request.method)", "http.url": "\(error.url)", "http.error": "\(error.kind)",
                    "curl.code": "\(error.curlCode.map(String.init) ?? "-")",
                ])
            throw error
        }
    }

    /// Stops the client: requests not finished yet fail with ``HTTPClientError/Kind/shutdown``,
    /// later ones are refused, and all connections are closed. Returns when the event loop
    /// thread has released libcurl. Calling it again does nothing.
    public func shutdown() async {
        await loop.stop()
    }
}

/// Orders a request's submission against its task's cancellation, so that a cancellation is
/// never lost: before submission it stops the submission, after it reaches the loop behind the
/// job itself (both happen under this lock).
private final class CancellationGate: Sendable {
    enum Outcome { case submitted, cancelledBefore, refused }
    private enum State { case pending, submitted, cancelled }
    private let state = Mutex(State.pending)

    func submit(_ enqueue: () -> Bool) -> Outcome {
        state.withLock { state in
            if state == .cancelled { return .cancelledBefore }
            guard enqueue() else { return .refused }
            state = .submitted
            return .submitted
        }
    }

    /// Returns whether the request was already handed to the loop and must be cancelled there.
    func cancel() -> Bool {
        state.withLock { state in
            defer { state = .cancelled }
            return state == .submitted
        }
    }
}
