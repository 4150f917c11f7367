import BusinessKeys
import EventStore
import Foundation
import Logging
import Messaging
import StoreTestSupport
import Testing

@Suite("Business key index")
struct BusinessKeyIndexTests {
    /// A store, an index following it, and a way to wait until the index has seen the head.
    final class Rig {
        let files: TestStore
        let store: SQLiteEventStore
        let index: BusinessKeyIndex
        private var follower: Task<Void, any Error>?

        /// With `follow: false` the index does not follow the log until `follow()`.
        init(files: TestStore? = nil, follow: Bool = true) throws {
            let files = try files ?? TestStore()
            self.files = files
            store = try files.open()
            index = try BusinessKeyIndex(path: files.path + ".keys", store: store, logger: Logger(label: "test.keys"))
            if follow { self.follow() }
        }

        func follow() {
            let index = self.index
            follower = Task { try await index.run() }
        }

        func stopFollowing() async {
            follower?.cancel()
            _ = await follower?.result
            follower = nil
        }

        func caughtUp() async throws {
            let head = try await store.headPosition()
            #expect(try await index.waitUntilIndexed(through: head, timeout: .seconds(20)), "index stuck at \(index.position) of \(head)")
        }

        func close() async {
            await stopFollowing()
            await store.close()
        }
    }

    @Test("a webhook-id finds the whole exchange in log order: received, mapped, queued, the failed attempt and the delivery (which carry only their message's id)")
    func webhookIdFindsTheFlow() async throws {
        let rig = try Rig()
        let flow = ShopifyFlow(number: 1001)
        try await ShopifyFlow(number: 1002).appendReceiptAndDelivery(to: rig.store)
        try await flow.appendReceiptAndDelivery(to: rig.store)
        try await rig.caughtUp()

        let timeline = try await rig.index.lookup(flow.webhookId)
        #expect(timeline.matches.contains(BusinessKey(kind: .webhookId, value: flow.webhookId)))
        #expect(timeline.entries.map(\.type) == ["MessageReceived", "OrderReceived", "OutboxMessageQueued", "DeliveryAttemptFailed", "MessageDelivered"])
        #expect(timeline.entries.map(\.step) == [.inbound, .mapping, .outbound, .delivery, .delivery])
        #expect(timeline.entries.map(\.outcome) == ["ok", "ok", "pending", "failed", "ok"])
        #expect(timeline.entries.map(\.position) == timeline.entries.map(\.position).sorted())
        #expect(timeline.entries.last?.summary.contains("HTTP 200") == true, "\(timeline.entries.last?.summary ?? "")")
        #expect(!timeline.entries.contains { $0.summary.contains("1002") }, "another order's events leaked in")
        await rig.close()
    }

    @Test("the order number, Shopify's id and the canonical order id each find the order, and a later command's shipment joins it by the order id")
    func orderKeysJoinFlows() async throws {
        let rig = try Rig()
        let flow = ShopifyFlow(number: 1001)
        try await flow.appendReceiptAndDelivery(to: rig.store)
        try await ShopifyFlow(number: 1003).appendReceiptAndDelivery(to: rig.store)
        try await flow.appendShipment(to: rig.store)
        try await rig.caughtUp()

        for (value, kind) in [("1001", BusinessKeyKind.order), ("#1001", .order), (String(flow.shopifyId), .shopifyOrder), (flow.orderId, .order), (flow.tracking, .trackingNumber)] {
            let timeline = try await rig.index.lookup(value)
            #expect(timeline.matches.contains { $0.kind == kind }, "\(value): \(timeline.matches)")
            #expect(timeline.entries.first?.type == "MessageReceived", "\(value): \(timeline.entries.map(\.type))")
            #expect(timeline.entries.last?.type == "OrderShipped", "\(value): \(timeline.entries.map(\.type))")
            #expect(timeline.entries.count == 6, "\(value): \(timeline.entries.map(\.type))")
        }
        await rig.close()
    }

    @Test("a kind narrows the search: the order number 1001 is not a Shopify order id")
    func kindNarrows() async throws {
        let rig = try Rig()
        try await ShopifyFlow(number: 1001).appendReceiptAndDelivery(to: rig.store)
        try await rig.caughtUp()
        #expect(try await rig.index.lookup("1001", kind: .shopifyOrder).entries.isEmpty)
        #expect(try await !rig.index.lookup("1001", kind: .order).entries.isEmpty)
        #expect(try await rig.index.lookup("no-such-key").entries.isEmpty)
        #expect(try await rig.index.lookup("   ").matches.isEmpty)
        await rig.close()
    }

    @Test("X12 control numbers of a received interchange: ISA13 with or without its zeros, GS06 and ST02")
    func x12ControlNumbers() async throws {
        let rig = try Rig()
        let x12 = "ISA*00*          *00*          *ZZ*PARTNER        *ZZ*PAKLOG         *261204*0100*U*00401*000000905*0*P*>~GS*PO*PARTNER*PAKLOG*20261204*0100*77*X*004010~ST*850*0042~BEG*00*SA*PO-1**20261204~SE*3*0042~GE*1*77~IEA*1*000000905~"
        let envelope = Envelope(source: "as2-acme", partner: "acme", headers: ["message-id": "<abc@acme>"], body: Array(x12.utf8),
                                receivedAt: Date(), idempotencyKey: "abc@acme")
        try await rig.store.append(to: EnvelopeEvent.stream(forSource: "as2-acme"), [EnvelopeEvent.encode(envelope)])
        try await rig.caughtUp()
        for (value, kind) in [("905", BusinessKeyKind.isa13), ("000000905", .isa13), ("77", .gs06), ("0042", .st02), ("abc@acme", .as2MessageId), ("<abc@acme>", .as2MessageId)] {
            let timeline = try await rig.index.lookup(value, kind: kind)
            #expect(timeline.entries.map(\.type) == ["MessageReceived"], "\(kind.rawValue) \(value): \(timeline.matches)")
        }
        await rig.close()
    }

    @Test("a rebuild empties the index and indexes the log again from position 0; a reopened index goes on from its checkpoint; a deleted one is built again")
    func rebuildAndRestart() async throws {
        let files = try TestStore()
        var rig = try Rig(files: files)
        try await ShopifyFlow(number: 1001).appendReceiptAndDelivery(to: rig.store)
        try await rig.caughtUp()
        await rig.stopFollowing()
        try await rig.index.rebuild()
        #expect(rig.index.position == 0)
        #expect(try await rig.index.lookup("msg_1001").entries.isEmpty, "a rebuilt index starts empty")
        rig.follow()
        try await rig.caughtUp()
        #expect(try await rig.index.lookup("msg_1001").entries.count == 5)
        let head = try await rig.store.headPosition()
        await rig.close()

        rig = try Rig(files: files, follow: false)
        #expect(rig.index.position == head, "the checkpoint survives a restart")
        rig.follow()
        try await ShopifyFlow(number: 1002).appendReceiptAndDelivery(to: rig.store)
        try await rig.caughtUp()
        #expect(try await rig.index.lookup("msg_1002").entries.count == 5)
        await rig.close()

        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: files.path + ".keys" + suffix) }
        rig = try Rig(files: files, follow: false)
        #expect(rig.index.position == 0, "a deleted index starts from the log's beginning")
        rig.follow()
        try await rig.caughtUp()
        #expect(try await rig.index.lookup("msg_1001").entries.count == 5)
        #expect(try await rig.index.lookup("msg_1002").entries.count == 5)
        await rig.close()
    }
}

extension BusinessKeyIndexTests {
    @Test("a file with two orders: each order's search shows the file and that order's events, the file's own id shows both")
    func oneFileTwoOrders() async throws {
        let rig = try Rig()
        let envelope = Envelope(source: "sftp-3pl", headers: ["filename": "940.x12"], body: Array("ISA*...".utf8), receivedAt: Date(), idempotencyKey: "940.x12")
        let correlation = envelope.id.uuidString.lowercased()
        try await rig.store.append(to: EnvelopeEvent.stream(forSource: "sftp-3pl"), [EnvelopeEvent.encode(envelope)])
        for order in ["ORD-1", "ORD-2"] {
            try await rig.store.append(to: StreamName("order-\(order)"), [
                NewEvent(type: "OrderCreated", data: Array(#"{"orderId":"\#(order)"}"#.utf8),
                         metadata: EventMetadata(correlationId: correlation, causationId: "route.940:\(order)", source: "route:edi")),
            ])
        }
        try await rig.caughtUp()
        let one = try await rig.index.lookup("ORD-1")
        #expect(one.entries.map(\.type) == ["MessageReceived", "OrderCreated"])
        #expect(one.entries.last?.stream == "order-ORD-1")
        let file = try await rig.index.lookup(envelope.id.uuidString.lowercased())
        #expect(file.entries.map(\.stream) == ["inbox-sftp-3pl", "order-ORD-1", "order-ORD-2"])
        await rig.close()
    }
}
