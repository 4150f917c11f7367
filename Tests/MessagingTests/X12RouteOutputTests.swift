import EventStore
import Foundation
import HTTPClient
import JSON
import Mapping
import StoreTestSupport
import Testing
import X12
import X12Exchange
@testable import Messaging

@Suite("output: x12 in a route: interchanges numbered by the partner's counter in the transaction that queues them", .serialized)
struct X12RouteOutputTests {
    static let mappings = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Mappings/x12")

    func shipped(_ orderId: String) throws -> [UInt8] {
        let text = try String(contentsOf: Self.mappings.appendingPathComponent("fixtures/order-shipped.json"), encoding: .utf8)
        return Array(text.replacingOccurrences(of: "ORD-1001", with: orderId).utf8)
    }

    func queued(_ store: some EventStore, _ endpoint: String) async throws -> [OutboxMessage] {
        try await store.readStream(OutboxEvent.stream(forEndpoint: endpoint), from: 0, direction: .forward, maxCount: 1_000).compactMap {
            guard case .queued(let m)? = try OutboxEvent.decode($0) else { return nil }
            return m
        }
    }

    @Test("three OrderShipped become three 945 interchanges with ISA13/GS06 1, 2, 3; a replay from checkpoint 0 keeps them and takes no numbers")
    func numberedAtCommit() async throws {
        let server = try await FaultServer()
        let client = HTTPClient()
        let testStore = try TestStore()
        let store = try testStore.open()
        let file = try MappingFile.load(path: Self.mappings.appendingPathComponent("945-from-order-shipped.yaml").path)
        let output = X12RouteOutput(partner: "acme", envelope: X12OutboundEnvelope(senderQualifier: "ZZ", senderId: "PAKLOG", receiverQualifier: "12",
                                                                                   receiverId: "5551234567", usage: "T"))
        let route = RouteDefinition(name: "advices", from: .adapter("core"), steps: [
            .transform(MappingFileTransform(file, x12: output)), .to([.endpoint("acme")]),
        ])
        let acme = EndpointDefinition(name: "acme", endpoint: HTTPEndpoint(configuration: HTTPEndpointConfiguration(url: server.url("/switch")), client: client))
        let engine = try MessagingEngine(store: store, routes: [route], endpoints: [acme], pollInterval: .milliseconds(10))
        for n in 1...3 {
            _ = try await engine.inbox.accept(Envelope(source: "core", headers: ["Content-Type": "application/json"], body: try shipped("ORD-\(n)"),
                                                       idempotencyKey: "s\(n)"))
        }
        let task = Task { try await engine.run() }
        let delivered = try await eventually(timeout: .seconds(30)) { try await server.requests().count == 3 }
        task.cancel()
        try await task.value
        #expect(delivered)

        let messages = try await queued(store, "acme")
        #expect(messages.count == 3)
        var numbers: [(String, String)] = []
        for m in messages {
            let raw = try #require(m.raw)
            #expect(raw.mediaType == "application/edi-x12")
            let document = X12Document(parsing: raw.bytes)
            #expect(document.errors.isEmpty, "\(document.errors)")
            let interchange = try #require(document.interchanges.first)
            #expect(interchange.header.string(6).trimmingCharacters(in: .whitespaces) == "PAKLOG")
            #expect(interchange.header.string(8).trimmingCharacters(in: .whitespaces) == "5551234567")
            #expect(interchange.header.string(15) == "T")
            let group = try #require(interchange.groups.first)
            #expect(group.functionalIdentifier == "SW")
            #expect(group.header[8] == "004010")
            #expect(group.transactionSets.map(\.identifier) == ["945"])
            #expect(X12AcknowledgmentKey.forSent(raw.bytes) == "x12:5551234567:SW:\(Int(group.controlNumber)!)")
            numbers.append((interchange.header.string(13), group.controlNumber))
        }
        #expect(numbers.map(\.0) == ["000000001", "000000002", "000000003"])
        #expect(numbers.map(\.1) == ["1", "2", "3"])
        let sent = try await server.requests().map(\.bodyBytes)
        #expect(Set(sent) == Set(messages.compactMap { $0.raw?.bytes }), "what left is what the log holds")
        let counter = try #require(try await store.loadCursor(X12ControlNumberLedger.outboundCursor("acme")))
        #expect(try JSONValue(parsing: counter.value)["interchange"] == 3)

        // Replay: every effect exists already; no number is taken and nothing is queued again.
        let head = try await store.headPosition()
        try await store.saveCheckpoint(Checkpoint(name: route.checkpointName, position: 0))
        let replay = Task { try await MessagingEngine(store: store, routes: [route], endpoints: [acme], pollInterval: .milliseconds(10)).run() }
        let caughtUp = try await eventually(timeout: .seconds(30)) { try await store.loadCheckpoint(route.checkpointName) ?? 0 >= head }
        replay.cancel()
        try await replay.value
        #expect(caughtUp)
        #expect(try await queued(store, "acme").count == 3)
        #expect(try await store.loadCursor(X12ControlNumberLedger.outboundCursor("acme"))?.value == counter.value)
        #expect(try await store.readStream(RouteConsumer.failureStream(forRoute: "advices"), from: 0, direction: .forward, maxCount: 10).isEmpty)
        await store.close()
        await client.shutdown()
        await server.stop()
    }

    @Test("two routes numbering for one partner at once never share a number: 40 interchanges take ISA13 1…40")
    func concurrentRoutes() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let file = try MappingFile.load(path: Self.mappings.appendingPathComponent("945-from-order-shipped.yaml").path)
        let output = X12RouteOutput(partner: "acme", envelope: X12OutboundEnvelope(senderQualifier: "ZZ", senderId: "PAKLOG", receiverQualifier: "ZZ", receiverId: "ACME"))
        let routes = ["a", "b"].map { name in
            RouteDefinition(name: name, from: .adapter("core"), steps: [.transform(MappingFileTransform(file, x12: output)), .to([.endpoint("acme-\(name)")])])
        }
        let client = HTTPClient()
        // Nothing listens on port 9: only what the routes queued is looked at.
        let endpoints = ["a", "b"].map { EndpointDefinition(name: "acme-\($0)", endpoint: HTTPEndpoint(configuration: HTTPEndpointConfiguration(url: "http://127.0.0.1:9/"), client: client)) }
        let engine = try MessagingEngine(store: store, routes: routes, endpoints: endpoints, pollInterval: .milliseconds(5))
        for n in 1...20 {
            _ = try await engine.inbox.accept(Envelope(source: "core", headers: ["Content-Type": "application/json"], body: try shipped("ORD-\(n)"), idempotencyKey: "c\(n)"))
        }
        let task = Task { try await engine.run() }
        var all: [OutboxMessage] = []
        let done = try await eventually(timeout: .seconds(60)) {
            all = try await queued(store, "acme-a") + queued(store, "acme-b")
            return all.count == 40
        }
        task.cancel()
        try await task.value
        #expect(done)
        let isa13 = all.compactMap { $0.raw.flatMap { X12Document(parsing: $0.bytes).interchanges.first?.header.string(13) } }.compactMap { Int($0) }
        #expect(isa13.sorted() == Array(1...40))
        await store.close()
        await client.shutdown()
    }

    @Test("a mapping result that is not a valid 945 dead-letters the message with the JSON path; an X12 interchange to a topic is refused")
    func refusals() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let file = try MappingFile.load(path: Self.mappings.appendingPathComponent("945-from-order-shipped.yaml").path)
        let output = X12RouteOutput(partner: "acme", envelope: X12OutboundEnvelope(senderQualifier: "ZZ", senderId: "PAKLOG", receiverQualifier: "ZZ", receiverId: "ACME"))
        let route = RouteDefinition(name: "advices", from: .adapter("core"), steps: [
            .transform(MappingFileTransform(file, x12: output)), .to([.topic(Topic(category: "edi")!, eventType: "Sent")]),
        ])
        let engine = try MessagingEngine(store: store, routes: [route], endpoints: [], pollInterval: .milliseconds(10))
        _ = try await engine.inbox.accept(Envelope(source: "core", headers: ["Content-Type": "application/json"], body: try shipped("ORD-1"), idempotencyKey: "a"))
        _ = try await engine.inbox.accept(Envelope(source: "core", headers: ["Content-Type": "application/json"], body: Array(#"{"orderId": "X"}"#.utf8), idempotencyKey: "b"))
        let task = Task { try await engine.run() }
        var failures: [String] = []
        let done = try await eventually(timeout: .seconds(30)) {
            failures = try await store.readStream(RouteConsumer.failureStream(forRoute: "advices"), from: 0, direction: .forward, maxCount: 10)
                .map { String(decoding: $0.data, as: UTF8.self) }
            return failures.count == 2
        }
        task.cancel()
        try await task.value
        #expect(done)
        #expect(failures.contains { $0.contains("leaves by an endpoint") }, "\(failures)")
        #expect(failures.contains { $0.contains("$.") && $0.contains("945") || $0.contains("W06") }, "\(failures)")
        #expect(try await store.loadCursor(X12ControlNumberLedger.outboundCursor("acme")) == nil, "no number was taken")
        await store.close()
    }
}
