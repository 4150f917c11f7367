import EventStore
import Foundation
import HTTPClient
import JSON
import Mapping
import StoreTestSupport
import Testing
@testable import Messaging

/// Request-reply, error-events, acknowledgments and byte payloads through the engine, against the
/// real HTTP peer of Support/fault_server.py.
@Suite("Exchange patterns: request-reply, error-events, acknowledgments, byte payloads", .serialized)
struct ExchangePatternTests {
    func order(_ id: String) -> Envelope {
        Envelope(source: "shop", headers: ["Content-Type": "application/json"], body: Array(#"{"orderId":"\#(id)","weight":2.5}"#.utf8),
                 idempotencyKey: "order-\(id)")
    }

    func events(_ store: some EventStore, _ stream: StreamName) async throws -> [RecordedEvent] {
        try await store.readStream(stream, from: 0, direction: .forward, maxCount: 10_000)
    }

    func run(_ engine: MessagingEngine, timeout: Duration = .seconds(30), until condition: () async throws -> Bool) async throws -> Bool {
        let task = Task { try await engine.run() }
        let reached = try await eventually(timeout: timeout, condition)
        task.cancel()
        try await task.value
        return reached
    }

    let tracking = Topic(category: "tracking")!

    @Test("an InOut call's answer becomes a reply event that a second route maps; a permanent failure names the order on error-events")
    func requestReplyAndErrorEvents() async throws {
        let server = try await FaultServer()
        let client = HTTPClient()
        let testStore = try TestStore()
        let store = try testStore.open()
        let carrier = EndpointDefinition(name: "carrier", endpoint: HTTPEndpoint(configuration: HTTPEndpointConfiguration(url: server.url("/label")), client: client),
                                         exchangePattern: .inOut)
        let strict = EndpointDefinition(name: "strict", endpoint: HTTPEndpoint(configuration: HTTPEndpointConfiguration(url: server.url("/reject")), client: client),
                                        exchangePattern: .inOut)
        let labels = RouteDefinition(name: "labels", from: .adapter("shop"), steps: [
            .choice([ChoiceBranch(when: try RouteExpression("body.orderId = 'B-2'"), steps: [.to([.endpoint("strict")])])],
                    otherwise: [.to([.endpoint("carrier")])]),
        ])
        let replies = RouteDefinition(name: "label-replies", from: .stream(ReplyEvent.stream(forEndpoint: "carrier")), steps: [
            .transform(try JSONataTransform(name: "label-created", version: "1",
                                            #"{"orderId": request.orderId, "trackingNumber": body.trackingNumber, "status": statusCode, "carrierRequest": headers.`x-carrier-request`}"#)),
            .to([.topic(tracking, eventType: "LabelCreated")]),
        ])
        let engine = try MessagingEngine(store: store, routes: [labels, replies], endpoints: [carrier, strict], pollInterval: .milliseconds(10))
        let first = try await engine.inbox.accept(order("A-1"))
        _ = try await engine.inbox.accept(order("B-2"))
        let done = try await run(engine) {
            let created = try await events(store, tracking.writerStream(route: "label-replies"))
            let failed = try await events(store, DeliveryFailure.stream(forEndpoint: "strict"))
            return created.count == 1 && failed.count == 1
        }
        #expect(done)

        let reply = try #require(try await events(store, ReplyEvent.stream(forEndpoint: "carrier")).first)
        let queued = try #require(try await events(store, OutboxEvent.stream(forEndpoint: "carrier")).first { $0.type == OutboxEvent.queuedType })
        #expect(reply.type == ReplyEvent.type)
        #expect(reply.metadata.causationId == queued.id.uuidString.lowercased(), "the reply is caused by the queued message")
        #expect(reply.metadata.correlationId == first.messageId.uuidString.lowercased(), "and correlated to the order that started it")
        let created = try #require(try await events(store, tracking.writerStream(route: "label-replies")).first)
        #expect(try JSONValue(parsing: created.data) == ["orderId": "A-1", "trackingNumber": "1ZTESTA-1", "status": 200, "carrierRequest": "req-A-1"])
        #expect(created.metadata.correlationId == first.messageId.uuidString.lowercased())

        let failure = try #require(try await events(store, DeliveryFailure.stream(forEndpoint: "strict")).first)
        let f = try JSONFieldReader(eventType: failure.type, data: failure.data)
        #expect(failure.type == DeliveryFailure.type)
        #expect(try f.string("endpoint") == "strict")
        #expect(try f.int("attempts") == 1)
        #expect(try f.string("reason").contains("HTTP 422"))
        let failedBody = try f.value("body")
        let originalOrder: JSONValue = ["orderId": "B-2", "weight": 2.5]
        #expect(failedBody == originalOrder, "the error names the original order")
        let failedCorrelation = try f.optionalString("correlationId")
        #expect(failedCorrelation != nil && failure.metadata.correlationId == failedCorrelation)
        #expect(try await events(store, ReplyEvent.stream(forEndpoint: "strict")).isEmpty, "a refused call has no reply, only its failure")
        await store.close()
        await client.shutdown()
        await server.stop()
    }

    @Test("acknowledgments by another path: early, late, twice, negative and never")
    func acknowledgments() async throws {
        let server = try await FaultServer()
        let client = HTTPClient()
        let testStore = try TestStore()
        let store = try testStore.open()
        // The peer answers 202 with a job id; the real answer comes later on the `acks` source.
        let partner = EndpointDefinition(
            name: "partner", endpoint: HTTPEndpoint(configuration: HTTPEndpointConfiguration(url: server.url("/async")), client: client),
            retryPolicy: RetryPolicy(maximumRedeliveries: 1, redeliveryDelay: .milliseconds(100), backOffMultiplier: 1, maximumRedeliveryDelay: .milliseconds(100)),
            acknowledgment: AcknowledgmentPolicy(key: try RouteExpression("reply.body.jobId"), timeout: .seconds(3), onTimeout: .redeliver))
        let send = RouteDefinition(name: "send", from: .adapter("shop"), steps: [.to([.endpoint("partner")])])
        let acks = RouteDefinition(name: "acks", from: .adapter("acks"), steps: [
            .transform(try JSONataTransform(name: "ack", version: "1", #"{"key": job, "accepted": status = "ok", "reason": note}"#)),
            .to([.acknowledge(endpoint: "partner")]),
        ])
        func ack(_ job: String, _ status: String, note: String? = nil, n: Int = 1) -> Envelope {
            let reason = note.map { #","note":"\#($0)""# } ?? ""
            return Envelope(source: "acks", headers: ["Content-Type": "application/json"], body: Array(#"{"job":"\#(job)","status":"\#(status)"\#(reason)}"#.utf8),
                            idempotencyKey: "ack-\(job)-\(n)")
        }
        let engine = try MessagingEngine(store: store, routes: [send, acks], endpoints: [partner], pollInterval: .milliseconds(10))
        // EARLY: the acknowledgment is in the log before the message is even sent.
        _ = try await engine.inbox.accept(ack("job-E", "ok"))
        for id in ["E", "L", "T", "N", "X"] { _ = try await engine.inbox.accept(order(id)) }

        let task = Task { try await engine.run() }
        // Each call is answered 202 and waits.
        #expect(try await eventually(timeout: .seconds(20)) { Set(try await server.requests().filter { $0.path == "/async" }.map(\.body)).count == 5 })
        // TWICE: two positive acknowledgments for T; NEGATIVE for N.
        _ = try await engine.inbox.accept(ack("job-T", "ok", n: 1))
        _ = try await engine.inbox.accept(ack("job-T", "ok", n: 2))
        _ = try await engine.inbox.accept(ack("job-N", "rejected", note: "AK5*R: segment count wrong"))
        // LATE: L's first wait runs out (3 s), it is sent again, and its acknowledgment comes
        // only after that second call: it settles the message all the same.
        #expect(try await eventually(timeout: .seconds(20)) { try await server.requests().filter { $0.body.contains(#""L""#) }.count == 2 })
        _ = try await engine.inbox.accept(ack("job-L", "ok"))
        // NEVER: X waits, is sent again, waits again, and is dead-lettered.
        let settled = try await eventually(timeout: .seconds(30)) {
            let s = engine.dispatcherStatus(endpoint: "partner")
            return s?.pending == 0
        }
        task.cancel()
        try await task.value
        #expect(settled)

        var ledger = OutboxLedger()
        try await Dispatcher.catchUp(&ledger, stream: OutboxEvent.stream(forEndpoint: "partner"), store: store)
        #expect(ledger.deliveredCount == 3, "E, L and T acknowledged")
        #expect(ledger.deadLetteredCount == 2, "N rejected, X never acknowledged")
        let requests = try await server.requests().filter { $0.path == "/async" }
        func calls(_ id: String) -> Int { requests.filter { $0.body.contains(#""orderId":"\#(id)""#) }.count }
        #expect(calls("E") == 1 && calls("T") == 1 && calls("N") == 1, "an acknowledged or rejected message is not sent again")
        #expect(calls("L") == 2 && calls("X") == 2, "a missed deadline redelivers (maximumRedeliveries 1)")

        let letters = try await events(store, DeadLetter.stream(forEndpoint: "partner")).filter { $0.type == DeadLetter.type }.map(DeadLetter.init(event:))
        let reasons = Dictionary(uniqueKeysWithValues: letters.map { ($0.message.body["orderId"]?.stringValue ?? "", $0.attempts.last?.error ?? "") })
        #expect(reasons["N"]?.contains("negative acknowledgment: AK5*R: segment count wrong") == true)
        #expect(reasons["X"]?.contains("no acknowledgment with key 'job-X'") == true)
        let raised = try await events(store, DeliveryFailure.stream(forEndpoint: "partner"))
        #expect(Set(try raised.map { try JSONFieldReader(eventType: $0.type, data: $0.data).value("body")["orderId"]?.stringValue ?? "" }) == ["N", "X"])
        await store.close()
        await client.shutdown()
        await server.stop()
    }

    @Test("a non-JSON body is kept as its bytes in the log and sent with its media type; a URL template and method are filled from the message")
    func bytePayloadsAndTemplates() async throws {
        let server = try await FaultServer()
        let client = HTTPClient()
        let testStore = try TestStore()
        let store = try testStore.open()
        let edi = EndpointDefinition(name: "edi", endpoint: HTTPEndpoint(configuration: HTTPEndpointConfiguration(url: server.url("/bytes")), client: client),
                                     exchangePattern: .inOut)
        let shop = EndpointDefinition(name: "shop", endpoint: HTTPEndpoint(configuration: try HTTPEndpointConfiguration(
            urlTemplate: server.url("/echo/orders/{body.orderId}/fulfillments"), query: [("notify", "true"), ("ref", "{headers.ref}")], method: .put),
            client: client))
        let route = RouteDefinition(name: "files", from: .adapter("partner"), steps: [
            .choice([ChoiceBranch(when: try RouteExpression("$contains(headers.`Content-Type`, 'json')"), steps: [.to([.endpoint("shop")])])],
                    otherwise: [.filter(try RouteExpression("$contains(body, 'ISA*')")), .to([.endpoint("edi")])]),
        ])
        let engine = try MessagingEngine(store: store, routes: [route], endpoints: [edi, shop], pollInterval: .milliseconds(10))
        // Bytes that are not valid UTF-8 must survive exactly (0xFF, a CR LF, a NUL).
        let x12: [UInt8] = Array("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + Array("~IEA*1*000000001~".utf8)
        _ = try await engine.inbox.accept(Envelope(source: "partner", headers: ["Content-Type": "application/edi-x12"], body: x12, idempotencyKey: "f1"))
        _ = try await engine.inbox.accept(Envelope(source: "partner", headers: ["Content-Type": "application/json", "ref": "a b/c"],
                                                   body: Array(##"{"orderId":"#1001"}"##.utf8), idempotencyKey: "f2"))
        let done = try await run(engine) {
            let r = try await server.requests()
            return r.count == 2 && engine.dispatcherStatus(endpoint: "edi")?.pending == 0 && engine.dispatcherStatus(endpoint: "shop")?.pending == 0
        }
        #expect(done)
        let requests = try await server.requests()
        let sent = try #require(requests.first { $0.path == "/bytes" })
        #expect(sent.bodyBytes == x12, "the exact bytes go out")
        #expect(sent.headers["content-type"] == "application/edi-x12")
        let queued = try #require(try await events(store, OutboxEvent.stream(forEndpoint: "edi")).first { $0.type == OutboxEvent.queuedType })
        guard case .queued(let message)? = try OutboxEvent.decode(queued) else { Issue.record("not a queued message"); return }
        #expect(message.raw == RawBody(bytes: x12, mediaType: "application/edi-x12"), "the log keeps the bytes")
        let reply = try #require(try await events(store, ReplyEvent.stream(forEndpoint: "edi")).first)
        let r = try JSONFieldReader(eventType: reply.type, data: reply.data)
        let label: [UInt8] = Array("%PDF-1.4\n".utf8) + [0xFF, 0xFE] + Array(" label".utf8)
        let answer = try RawBody.read("raw", of: r)
        #expect(answer == RawBody(bytes: label, mediaType: "application/pdf"))

        let put = try #require(requests.first { $0.path.hasPrefix("/echo/") })
        #expect(put.method == "PUT")
        #expect(put.path == "/echo/orders/%231001/fulfillments?notify=true&ref=a%20b%2Fc")
        await store.close()
        await client.shutdown()
        await server.stop()
    }
}
