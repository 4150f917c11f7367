import Codecs
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes
import NIOHTTPTypesHTTP2
import NIOSSL
import Synchronization

/// Answers the requests of HTTP ingress receivers (webhooks) inside the connection's channel
/// pipeline, ahead of Hummingbird's router; every other request passes through untouched.
///
/// Why not a router route: a webhook is the one request that arrives by the thousand, and
/// Hummingbird's per-request machinery (an async stream of parts, a writer, router and middleware)
/// cost more CPU than verifying, validating and appending the message (perf, 2 cores). Here a
/// request is collected by the handler and only the receiver's work runs as a task.
///
/// HTTP/1.1 pipelining keeps its order (RFC 9112 §9.3.2): while a webhook is being answered,
/// later requests are held (and past `holdLimit` bytes the socket is not read); a webhook that
/// arrives behind requests the router has not answered yet waits for their responses.
///
/// The gateway's chain reaches webhooks here, in the router's order: request id and trace
/// context (our span goes to the receiver as `traceparent`, and back on the response), the
/// access line, the per-route metrics, mutual TLS for partner routes, the path's rate limit and
/// the body limit.
final class HTTPIngressHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let ingress: HTTPIngress
    private let accessLogger: Logger

    private enum State {
        /// Between requests.
        case idle
        /// Passing a request on to the router.
        case forwarding
        /// Collecting a webhook's body.
        case collecting(any HTTPIngressReceiver, HTTPRequest, HTTPIngressPeer, ByteBuffer)
        /// The receiver is working on a webhook, or its answer is being written.
        case answering
    }

    private var state = State.idle
    /// Requests passed to the router whose responses have not been written completely.
    private var routerResponsesOwed = 0
    /// Parts that arrived while this handler could not take them yet, in order.
    private var held = CircularBuffer<HTTPRequestPart>()
    /// Roughly what `held` keeps in memory: body bytes, plus `partCost` per part.
    private var heldBytes = 0
    /// A `read` asked for while holding: issued once the handler takes parts again.
    private var readDeferred = false
    /// Where receivers' tasks run: this channel's loop.
    private var executor: EventLoopTaskExecutor?
    /// The connection's TLS handler (on an HTTP/2 stream: the parent connection's), nil on plain HTTP.
    private var tls: NIOSSLServerHandler?
    /// On an HTTP/2 stream, connection-specific fields are not allowed (RFC 9113 §8.2.2).
    private var isHTTP2 = false
    /// The webhook being answered: what its access line and metrics need.
    private var exchange: Exchange?

    private struct Exchange {
        var path: String
        var method: String
        var identity: RequestIdentity
        var started: UInt64
    }

    /// Held requests beyond this stop socket reads. Not stopping them at once spares the common
    /// case (one request at a time on a connection) two epoll_ctl calls per request.
    static let holdLimit = 256 * 1024
    private static let partCost = 512

    init(ingress: HTTPIngress, accessLogger: Logger) {
        self.ingress = ingress
        self.accessLogger = accessLogger
    }

    private func receiver(_ path: String) -> (any HTTPIngressReceiver)? { ingress.receiver(forPath: path) }

    private var isHolding: Bool {
        if case .answering = state { return true }
        return !held.isEmpty
    }

    func handlerAdded(context: ChannelHandlerContext) {
        executor = EventLoopTaskExecutor(context.eventLoop)
        let pipeline = context.pipeline.syncOperations
        if (try? pipeline.handler(type: HTTP2FramePayloadToHTTPServerCodec.self)) != nil {
            isHTTP2 = true
            // A stream shares its connection's event loop, so the parent's pipeline may be read here.
            tls = context.channel.parent.flatMap { try? $0.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self) }
        } else {
            tls = try? pipeline.handler(type: NIOSSLServerHandler.self)
        }
    }

    /// What TLS established for this connection (read per request: the handshake is over by
    /// the time a request's head arrives).
    private var peer: HTTPIngressPeer {
        guard let tls else { return .plain }
        let der = tls.peerCertificate.flatMap { try? $0.toDERBytes() }
        return HTTPIngressPeer(tls: true, clientCertificate: der.map { HTTPIngressPeer.fingerprint(der: $0) })
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if isHolding {
            hold(part)
            return
        }
        take(part, context: context)
    }

    private func hold(_ part: HTTPRequestPart) {
        held.append(part)
        if case .body(let chunk) = part { heldBytes += chunk.readableBytes }
        heldBytes += Self.partCost
    }

    private func unhold() -> HTTPRequestPart {
        let part = held.removeFirst()
        if case .body(let chunk) = part { heldBytes -= chunk.readableBytes }
        heldBytes -= Self.partCost
        return part
    }

    /// Back-pressure: no socket reads while too much is held.
    func read(context: ChannelHandlerContext) {
        if isHolding, heldBytes >= Self.holdLimit {
            readDeferred = true
        } else {
            context.read()
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        if case .end = unwrapOutboundIn(data) {
            routerResponsesOwed -= 1
            if routerResponsesOwed == 0 { release(context: context) }
        }
    }

    private func take(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch (state, part) {
        case (.idle, .head(let head)):
            guard let receiver = receiver(Self.path(of: head)) else {
                state = .forwarding
                routerResponsesOwed += 1
                context.fireChannelRead(wrapInboundOut(part))
                return
            }
            if routerResponsesOwed > 0 {
                // Pipelined behind requests the router still owes answers to.
                hold(part)
                return
            }
            let fields = head.headerFields
            exchange = Exchange(path: receiver.path, method: head.method.rawValue,
                                identity: RequestIdentity(traceparent: fields[Self.traceparent], tracestate: fields[Self.tracestate], requestId: fields[Self.requestId]),
                                started: DispatchTime.now().uptimeNanoseconds)
            var peer = self.peer
            if let requirement = receiver.clientCertificate {
                switch requirement.partner(of: peer) {
                case .success(let partner): peer.partner = partner
                case .failure(let refusal):
                    state = .answering
                    answer(Self.refusal(403, refusal.description), close: true, context: context)
                    return
                }
            }
            if receiver.rateLimit != nil {
                let decision = ingress.takeRate(path: receiver.path)
                if !decision.allowed {
                    state = .answering
                    var reply = Self.refusal(429, "rate limit of \(receiver.path) reached; retry in \(decision.retryAfter) s")
                    reply.headers += [("Retry-After", String(decision.retryAfter)), ("RateLimit-Policy", decision.policy), ("RateLimit", decision.state)]
                    answer(reply, close: true, context: context)
                    return
                }
            }
            let contentLength = fields[.contentLength].flatMap { Int($0) }
            if let early = receiver.precheck(method: head.method.rawValue, contentType: head.headerFields[.contentType], contentLength: contentLength) {
                // The body may still be on its way: answer now and close, as nginx does for 413.
                state = .answering
                answer(early, close: true, context: context)
                return
            }
            state = .collecting(receiver, head, peer, context.channel.allocator.buffer(capacity: min(contentLength ?? 4096, receiver.maxBodyBytes)))
        case (.collecting(let receiver, let head, let peer, var body), .body(var chunk)):
            state = .answering   // drop the buffer's second reference while appending
            guard body.readableBytes + chunk.readableBytes <= receiver.maxBodyBytes else {
                answer(receiver.oversize(bytesRead: body.readableBytes + chunk.readableBytes), close: true, context: context)
                return
            }
            body.writeBuffer(&chunk)
            state = .collecting(receiver, head, peer, body)
        case (.collecting(let receiver, let head, let peer, let body), .end):
            state = .answering
            // Our span in place of the caller's: the envelope and outbound calls carry it.
            var headers = head.headerFields.filter { $0.name != Self.traceparent }.map { ($0.name.canonicalName, $0.value) }
            if let identity = exchange?.identity { headers.append((RequestIdentity.traceparentField, identity.trace.traceparent)) }
            let method = head.method.rawValue
            let bytes = Array(body.readableBytesView)
            let loop = context.eventLoop
            let bound = NIOLoopBound((self, context), eventLoop: loop)
            Task(executorPreference: executor) {
                let reply = await receiver.receive(method: method, headers: headers, body: bytes, peer: peer)
                // On the loop already (the executor preference); the check only guards that.
                if loop.inEventLoop {
                    bound.value.0.answer(reply, close: false, context: bound.value.1)
                } else {
                    loop.execute { bound.value.0.answer(reply, close: false, context: bound.value.1) }
                }
            }
        case (.forwarding, .body), (.forwarding, .head):
            context.fireChannelRead(wrapInboundOut(part))
        case (.forwarding, .end):
            state = .idle
            context.fireChannelRead(wrapInboundOut(part))
        default:
            // A part out of order cannot come from NIO's HTTP/1 decoder; refuse the connection
            // rather than guess.
            context.close(promise: nil)
        }
    }

    private func answer(_ reply: HTTPIngressReply, close: Bool, context: ChannelHandlerContext) {
        let exchange = self.exchange
        self.exchange = nil
        if let exchange { record(exchange, status: reply.status) }
        guard context.channel.isActive else { return }
        var fields: HTTPFields = [.contentType: reply.contentType, .contentLength: String(reply.body.count)]
        for (name, value) in reply.headers {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        fields[.date] = HTTPDate.now()
        if let identity = exchange?.identity {
            fields[Self.traceparent] = identity.trace.traceparent
            fields[Self.requestId] = identity.requestId
        }
        if close, !isHTTP2 { fields[.connection] = "close" }
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .init(code: reply.status), headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: reply.body))), promise: nil)
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if close {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
            return
        }
        state = .idle
        release(context: context)
    }

    /// The webhook's access line and metrics.
    private func record(_ exchange: Exchange, status: Int) {
        let nanoseconds = DispatchTime.now().uptimeNanoseconds &- exchange.started
        IngressMetrics.shared.record(path: exchange.path, method: exchange.method, status: status, nanoseconds: nanoseconds)
        AccessLog.record(accessLogger, method: exchange.method, path: exchange.path, status: status,
                         seconds: Double(nanoseconds) / 1e9, requestId: exchange.identity.requestId, traceId: exchange.identity.trace.traceId,
                         quietWhenAccepted: true)
    }

    private static func refusal(_ status: Int, _ message: String) -> HTTPIngressReply {
        HTTPIngressReply(status: status, contentType: "text/plain; charset=utf-8", body: Array((message + "\n").utf8))
    }

    static let traceparent = HTTPField.Name(RequestIdentity.traceparentField)!
    static let tracestate = HTTPField.Name(RequestIdentity.tracestateField)!
    static let requestId = HTTPField.Name(RequestIdentity.requestIdField)!

    /// Takes held parts again, until one of them makes the handler hold once more.
    private func release(context: ChannelHandlerContext) {
        var took = false
        defer {
            // Handlers after this one (NIOAsyncChannel's) pass reads on at read-complete; parts
            // released outside a read cycle need one of their own.
            if took { context.fireChannelReadComplete() }
        }
        while !held.isEmpty {
            if case .answering = state { return }
            if case .idle = state, routerResponsesOwed > 0, case .head(let head)? = held.first,
               receiver(Self.path(of: head)) != nil {
                return
            }
            took = true
            take(unhold(), context: context)
        }
        if readDeferred, !isHolding || heldBytes < Self.holdLimit {
            readDeferred = false
            context.read()
        }
    }

    /// The request target's path, without the query (RFC 9112 §3.2).
    static func path(of head: HTTPRequest) -> String {
        guard let target = head.path else { return "" }
        if let query = target.firstIndex(of: "?") { return String(target[..<query]) }
        return target
    }
}

/// The `Date` field's value (RFC 9110 §5.6.7, IMF-fixdate), formatted once per second.
enum HTTPDate {
    private static let cache = Mutex((second: 0, text: ""))

    static func now() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return cache.withLock { cached in
            if cached.second == now.tv_sec { return cached.text }
            cached = (now.tv_sec, UTCTimestamp(secondsSince1970: Int64(now.tv_sec)).imfFixdate)
            return cached.text
        }
    }
}
