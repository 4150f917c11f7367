import Codecs
import Hummingbird
import HTTPTypes
import NIOCore

/// Conditional requests for queries (RFC 9110 §8.8.3, §13.1.2): a GET or HEAD answered 200 gets
/// a strong `ETag` (the SHA-256 of its body, shortened); a request whose `If-None-Match` names it
/// (or `*`) gets 304 Not Modified without a body. A client polling a read model pays for the
/// body only when it changed.
public struct ConditionalGetMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard request.method == .get || request.method == .head, response.status == .ok, response.headers[.eTag] == nil,
              let body = try await response.collectedBody() else { return response }
        let tag = "\"" + Base64.encode(Digest.hash(body.readableBytesView, .sha256).prefix(18), alphabet: .url, padding: false) + "\""
        response.headers[.eTag] = tag
        if let condition = request.headers[.ifNoneMatch], Self.matches(condition, tag) {
            var notModified = Response(status: .notModified, headers: response.headers)
            notModified.headers[.contentLength] = nil
            return notModified
        }
        response.body = ResponseBody(byteBuffer: body)
        return response
    }

    /// `If-None-Match: *` or a list naming `tag` (weak comparison, §8.8.3.2: `W/` ignored).
    static func matches(_ field: String, _ tag: String) -> Bool {
        field.split(separator: ",").contains { item in
            let t = item.trimmingCharacters(in: .whitespaces)
            return t == "*" || (t.hasPrefix("W/") ? String(t.dropFirst(2)) : t) == tag
        }
    }
}
