import Adapters
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// Serves every configured webhook source at its path. The receivers can be replaced at run time
/// (SIGHUP: rotated secrets, new limits); a path that was not served at start-up needs a restart.
public final class WebhookRoutes: GatewayRouteProvider {
    private let receivers: Mutex<[String: WebhookReceiver]>
    private let paths: [String]

    public init(receivers: [WebhookReceiver]) {
        self.receivers = Mutex(Dictionary(receivers.map { ($0.configuration.path, $0) }, uniquingKeysWith: { $1 }))
        paths = receivers.map(\.configuration.path)
    }

    /// Swaps in new receivers; returns the paths that will not be served until a restart.
    @discardableResult
    public func replace(_ new: [WebhookReceiver]) -> [String] {
        let table = Dictionary(new.map { ($0.configuration.path, $0) }, uniquingKeysWith: { $1 })
        receivers.withLock { $0 = table }
        return table.keys.filter { !paths.contains($0) }.sorted()
    }

    public func addPublicRoutes(to router: Router<BasicRequestContext>) {
        for path in paths {
            for method in [HTTPRequest.Method.post, .put, .patch, .get, .delete] {
                router.on(RouterPath(path), method: method) { [self] request, context in
                    try await handle(path: path, request: request, context: context)
                }
            }
        }
    }

    private func handle(path: String, request: Request, context: BasicRequestContext) async throws -> Response {
        guard let receiver = receivers.withLock({ $0[path] }) else {
            return plainText(.notFound, "no webhook source at \(path)\n")
        }
        let contentLength = request.headers[.contentLength].flatMap { Int($0) }
        if let early = receiver.precheck(method: request.method.rawValue, contentType: request.headers[.contentType], contentLength: contentLength) {
            return Self.response(early)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: receiver.configuration.maxBodyBytes)
        } catch {
            return Self.response(receiver.oversize(bytesRead: receiver.configuration.maxBodyBytes + 1))
        }
        let headers = request.headers.map { ($0.name.canonicalName, $0.value) }
        let reply = await receiver.receive(method: request.method.rawValue, headers: headers, body: Array(buffer.readableBytesView))
        return Self.response(reply)
    }

    static func response(_ reply: WebhookReceiver.Reply) -> Response {
        var fields = HTTPFields()
        for (name, value) in reply.headers {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        return jsonResponse(HTTPResponse.Status(code: reply.status), reply.body, headers: fields)
    }
}
