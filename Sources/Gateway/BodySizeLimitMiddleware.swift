import Hummingbird
import HTTPTypes
import NIOCore

/// Refuses request bodies above the route's limit (`BodySizeLimits`) with 413 Content Too Large
/// (RFC 9110 §15.5.14) and a message naming the limit and its setting: before a byte of the body
/// is read when `Content-Length` says too much, else as soon as the bytes streamed in pass it
/// (chunked bodies). The one place the router's routes are bounded: they collect what passes.
public struct BodySizeLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: BodySizeLimits

    public init(limits: BodySizeLimits) { self.limits = limits }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let (limit, setting) = limits.limit(method: request.method, path: request.uri.path)
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            return Self.tooLarge("a request body of \(declared) bytes is over the limit of \(limit) bytes for this route (\(setting))")
        }
        var request = request
        request.body = RequestBody(asyncSequence: LimitedRequestBody(base: request.body, limit: limit))
        do {
            return try await next(request, context)
        } catch is BodyOverLimit {
            return Self.tooLarge("the request body is over the limit of \(limit) bytes for this route (\(setting))")
        }
    }

    /// The connection is closed after the answer: the rest of the body is not read.
    static func tooLarge(_ message: String) -> Response {
        var response = plainText(.contentTooLarge, message + "\n")
        response.headers[.connection] = "close"
        return response
    }
}

/// Thrown by `LimitedRequestBody` when the bytes pass the limit.
struct BodyOverLimit: Error {}

/// A request body that throws `BodyOverLimit` once more than `limit` bytes came.
struct LimitedRequestBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let limit: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        var seen = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let part = try await base.next() else { return nil }
            seen += part.readableBytes
            if seen > limit { throw BodyOverLimit() }
            return part
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), limit: limit) }
}
