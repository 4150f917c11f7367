import Foundation
import HTTPClient
import JSON
import Mapping

/// Settings of the generic `http` endpoint.
public struct HTTPEndpointConfiguration: Sendable {
    /// Absolute `http`/`https` URL the mapped body is sent to.
    public var url: String
    /// When set, the URL is filled in from each message (`{body.orderId}`); `url` is its source.
    public var urlTemplate: URLTemplate?
    /// Query parameters added to the URL, values filled in from each message.
    public var query: [(name: String, value: URLTemplate)]
    /// Default POST. GET, HEAD and DELETE send no body.
    public var method: HTTPMethod
    /// Sent with every request (a forwarded message header of the same name wins). `Content-Type`
    /// defaults to `application/json`.
    public var headers: [String: String]
    /// Per-request timeout (connection set-up included). Default 30 s.
    public var timeout: Duration
    /// Time to establish a connection (TLS handshake included); nil: the client's default.
    public var connectTimeout: Duration?
    /// When set, requests carry its signature headers (Standard Webhooks: `webhook-id`,
    /// `webhook-timestamp`, `webhook-signature`).
    public var signer: (any OutboundMessageSigner)?
    /// Names (any case) of message headers passed on to the partner. Default none: a message's
    /// headers start as the inbound transport's (signatures, tokens, `Content-Length` of another
    /// body), which must not leak to a partner.
    public var forwardedHeaders: Set<String>

    /// An endpoint whose URL is `url` as it is.
    public init(url: String, method: HTTPMethod = .post, headers: [String: String] = [:], timeout: Duration = .seconds(30),
                connectTimeout: Duration? = nil, signer: (any OutboundMessageSigner)? = nil, forwardedHeaders: Set<String> = []) {
        self.url = url
        self.urlTemplate = nil
        self.query = []
        self.method = method
        self.headers = headers
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.signer = signer
        self.forwardedHeaders = Set(forwardedHeaders.map { $0.lowercased() })
    }

    /// An endpoint whose URL and query values are templates filled in from each message (see
    /// `URLTemplate`).
    /// - Throws: `URLTemplateError` for a hole that does not compile.
    public init(urlTemplate: String, query: [(String, String)] = [], method: HTTPMethod = .post, headers: [String: String] = [:],
                timeout: Duration = .seconds(30), connectTimeout: Duration? = nil, signer: (any OutboundMessageSigner)? = nil,
                forwardedHeaders: Set<String> = []) throws {
        self.init(url: urlTemplate, method: method, headers: headers, timeout: timeout, connectTimeout: connectTimeout, signer: signer,
                  forwardedHeaders: forwardedHeaders)
        let template = try URLTemplate(urlTemplate)
        self.urlTemplate = template.isConstant ? nil : template
        self.query = try query.map { ($0.0, try URLTemplate($0.1)) }
    }
}

/// Delivers outbox messages as HTTP requests with the message's JSON body, classifying answers
/// as `DeliveryOutcome.classify` says and transport failures as retryable.
public struct HTTPEndpoint: Endpoint {
    public let configuration: HTTPEndpointConfiguration
    private let client: HTTPClient
    private let now: @Sendable () -> Date

    public init(configuration: HTTPEndpointConfiguration, client: HTTPClient, now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.client = client
        self.now = now
    }

    /// The Standard-Webhooks id of a message: stable for all of its redeliveries.
    public static func webhookID(of message: OutboxMessage) -> String { "msg_" + message.id.uuidString.lowercased() }

    public func deliver(_ message: OutboxMessage) async throws -> DeliveryOutcome {
        let sendsBody = ![HTTPMethod.get, .head, .delete].contains(configuration.method)
        let body = sendsBody ? (message.raw?.bytes ?? message.body.serialized()) : []
        let url: String
        do {
            url = try target(of: message)
        } catch {
            // The message lacks what its URL needs: no attempt can fill it in.
            return .permanent(reason: "\(error)", statusCode: nil)
        }
        var headers = HTTPHeaders()
        // Only the endpoint's configured headers go out. A message's headers are what its
        // transport received (Content-Length, Host, the partner's signature and credentials …):
        // forwarding them would corrupt the request and leak one partner's data to another.
        var merged = configuration.headers
        let forwarded = Set(configuration.forwardedHeaders.map { $0.lowercased() })
        for (name, value) in message.headers where forwarded.contains(name.lowercased()) {
            merged = merged.filter { $0.key.lowercased() != name.lowercased() }
            merged[name] = value
        }
        // A configured Content-Type wins; else a raw body's own media type, else JSON's.
        if sendsBody, !merged.keys.contains(where: { $0.lowercased() == "content-type" }) {
            merged["Content-Type"] = message.raw?.mediaType ?? "application/json"
        }
        for name in merged.keys.sorted() { headers.add(name: name, value: merged[name]!) }
        if let signer = configuration.signer {
            let timestamp = Int64(now().timeIntervalSince1970)
            let signed: [(String, String)]
            do {
                signed = try signer.signatureHeaders(id: Self.webhookID(of: message), timestamp: timestamp, body: body)
            } catch {
                // Signing fails the same way on every attempt: retrying cannot help.
                return .permanent(reason: "cannot sign the delivery: \(error)", statusCode: nil)
            }
            for (name, value) in signed { headers.replaceOrAdd(name: name, value: value) }
        }
        let request = HTTPRequest(method: configuration.method, url: url, headers: headers, body: body,
                                  timeout: configuration.timeout, connectTimeout: configuration.connectTimeout)
        let response: HTTPResponse
        do {
            response = try await client.execute(request)
        } catch let error as HTTPClientError {
            // A client shutting down says nothing about the partner: leave the attempt unrecorded.
            if error.kind == .shutdown { throw CancellationError() }
            return error.isTransient
                ? .retryable(reason: error.description, statusCode: nil, retryAfter: nil)
                : .permanent(reason: error.description, statusCode: nil)
        }
        let replyHeaders = response.headers.combinedByLowercasedName
        let reply = EndpointReply(statusCode: response.status, headers: replyHeaders, body: response.body, mediaType: replyHeaders["content-type"])
        return DeliveryOutcome.classify(httpStatus: response.status, retryAfter: response.retryAfter?.delay(now: now()), body: response.body, reply: reply)
    }

    /// The URL for `message`: the template filled in, then the query parameters.
    func target(of message: OutboxMessage) throws -> String {
        guard configuration.urlTemplate != nil || !configuration.query.isEmpty else { return configuration.url }
        let document: JSONValue = ["headers": .stringMap(message.headers), "body": message.body]
        var url = try configuration.urlTemplate?.expand(document) ?? configuration.url
        for (index, (name, value)) in configuration.query.enumerated() {
            url += (index == 0 && !url.contains("?")) ? "?" : "&"
            url += PercentEncoding.encodingAllButUnreserved(name) + "=" + (try value.expand(document))
        }
        return url
    }
}
