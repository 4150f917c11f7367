/// A partner-facing HTTP endpoint that the gateway answers in the connection pipeline, ahead of
/// the router (see `HTTPIngressHandler`): webhook sources now, AS2 and other transports later.
/// An adapter implements it; the gateway knows nothing else of the adapter.
///
/// The handler calls `precheck` when a request's head arrives (answering at once and closing the
/// connection when it refuses), collects the body up to `maxBodyBytes` (answering `oversize`
/// past it), then calls `receive` once with the whole request. Nothing is read twice: a request
/// that reaches `receive` has passed `precheck` and the size limit.
public protocol HTTPIngressReceiver: Sendable {
    /// The request path it answers (exact match, query excluded), e.g. `/webhooks/orders`.
    var path: String { get }
    /// The largest body it reads.
    var maxBodyBytes: Int { get }
    /// Checks that can be made before the body is read; nil when reading may go on.
    func precheck(method: String, contentType: String?, contentLength: Int?) -> HTTPIngressReply?
    /// The answer for a body larger than `maxBodyBytes` that declared no (or a false) length.
    func oversize(bytesRead: Int) -> HTTPIngressReply
    /// Handles a complete request that passed `precheck` and the size limit. Header names keep
    /// their case as received.
    func receive(method: String, headers: [(String, String)], body: [UInt8]) async -> HTTPIngressReply
}

/// What an ingress receiver answers.
public struct HTTPIngressReply: Sendable, Equatable {
    public var status: Int
    /// Extra header fields (`Content-Length`, `Date` and the content type are set by the gateway).
    public var headers: [(String, String)]
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], contentType: String = "application/json", body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.contentType = contentType
        self.body = body
    }

    public static func == (a: HTTPIngressReply, b: HTTPIngressReply) -> Bool {
        a.status == b.status && a.contentType == b.contentType && a.body == b.body && a.headers.elementsEqual(b.headers) { $0 == $1 }
    }
}
