import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOCore
import NIOHTTP2
import NIOSSL
import NIOTLS

/// The listener's child channel with TLS: the TLS handler from the context in force when the
/// connection arrives (so that SIGHUP's new certificate applies to new connections), then
/// HTTP/1.1 or HTTP/2 as ALPN decided (RFC 7301), with the same extra handlers (the webhook
/// ingress) on an HTTP/1.1 connection and on each HTTP/2 stream.
///
/// Hummingbird's `HTTP2UpgradeChannel` does the same with one context fixed at start; this one
/// differs only in asking `GatewayTLSContext` for it per connection.
public struct GatewayTLSChannel: HTTPChannelHandler {
    public struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<NIONegotiatedHTTPVersion<HTTP1Channel.Value, HTTP2Channel.Value>>
        public let channel: any Channel
    }

    private let tls: GatewayTLSContext
    private let http1: HTTP1Channel
    private let http2: HTTP2Channel
    public var responder: Responder { http1.responder }

    public init(tls: GatewayTLSContext, configuration: HTTP1Channel.Configuration, responder: @escaping Responder) {
        self.tls = tls
        self.http1 = HTTP1Channel(responder: responder, configuration: configuration)
        self.http2 = HTTP2Channel(responder: responder, configuration: .init(streamConfiguration: configuration))
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.context))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return channel.configureHTTP2AsyncSecureUpgrade { channel in
            http1.setup(channel: channel, logger: logger)
        } http2ConnectionInitializer: { channel in
            http2.setup(channel: channel, logger: logger)
        }
        .map { Value(negotiated: $0, channel: channel) }
    }

    public func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case .http1_1(let connection): await http1.handle(value: connection, logger: logger)
            case .http2(let connection): await http2.handle(value: connection, logger: logger)
            }
        } catch {
            // A failed handshake (a client certificate of no accepted CA, a TLS version below
            // 1.2, plain HTTP on the TLS port): the connection is closed; nothing was received.
            logger.debug("TLS connection refused", metadata: ["error": "\(error)"])
        }
    }
}

extension HTTPServerBuilder {
    /// The gateway's listener: HTTP/1.1 in plain, or HTTP/1.1 and HTTP/2 over TLS from `tls`;
    /// `handlers` are made for each connection (for each stream on HTTP/2).
    public static func gateway(tls: GatewayTLSContext?, handlers: @escaping @Sendable () -> [any RemovableChannelHandler]) -> HTTPServerBuilder {
        let configuration = HTTP1Channel.Configuration(additionalChannelHandlers: handlers())
        guard let tls else { return .http1(configuration: configuration) }
        return .init { responder in GatewayTLSChannel(tls: tls, configuration: configuration, responder: responder) }
    }
}
