import WebhookAdapter
import EventStore
import Foundation
import HTTPTypes
import Logging
import Messaging
import StoreTestSupport
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing
@testable import Gateway

/// The ingress handler holds requests that arrive while it cannot take them (here: a webhook
/// pipelined behind a request the router has not answered). Socket reads go on until the held
/// parts pass `holdLimit`, and resume once they are taken.
@Suite("HTTP ingress: held requests and socket reads")
struct HTTPIngressHoldTests {
    /// Counts the `read` events that reach the socket end of the pipeline.
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = Any
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    @Test("reads continue below the hold limit, pause above it, and resume when the held parts are taken")
    func readsPauseOnlyPastTheLimit() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let receiver = try WebhookReceiver(
            source: "orders",
            configuration: WebhookSourceConfiguration(
                path: "/hook", maxBodyBytes: 4 * HTTPIngressHandler.holdLimit,
                signature: .standardWebhooks(StandardWebhooksScheme(secrets: [WebhookSecret.random()]))),
            inbox: Inbox(store: store), logger: Logger(label: "test.receiver"))
        let counter = ReadCounter()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(counter)
        try channel.pipeline.syncOperations.addHandler(HTTPIngressHandler(ingress: HTTPIngress(receivers: [receiver]), accessLogger: Logger(label: "test.access")))

        // A router request, not yet answered; a webhook behind it is held.
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .get, scheme: "http", authority: "x", path: "/healthz")))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .post, scheme: "http", authority: "x", path: "/hook",
                                                                  headerFields: [.contentType: "application/json"])))
        channel.read()
        #expect(counter.reads == 1, "one held head is far below the limit: reads go on")

        let body = channel.allocator.buffer(repeating: UInt8(ascii: " "), count: HTTPIngressHandler.holdLimit)
        try channel.writeInbound(HTTPRequestPart.body(body))
        channel.read()
        #expect(counter.reads == 1, "past the limit the read waits")

        // The router answers: the held webhook is taken (its body collected), and the read goes out.
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        #expect(counter.reads == 2)

        // Only the router's request went on down the pipeline.
        let forwarded = try [channel.readInbound(as: HTTPRequestPart.self), channel.readInbound(as: HTTPRequestPart.self),
                             channel.readInbound(as: HTTPRequestPart.self)]
        #expect(forwarded == [.head(HTTPRequest(method: .get, scheme: "http", authority: "x", path: "/healthz")), .end(nil), nil])
        _ = try channel.finish()
        await store.close()
    }
}
