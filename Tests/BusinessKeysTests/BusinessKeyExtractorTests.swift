import BusinessKeys
import EventStore
import Foundation
import Testing

@Suite("Business key extraction")
struct BusinessKeyExtractorTests {
    func event(_ type: String, _ stream: String, _ json: String, metadata: EventMetadata = EventMetadata()) -> RecordedEvent {
        RecordedEvent(id: UUID(), stream: StreamName(stream), streamVersion: 0, position: 1, type: type, data: Array(json.utf8), metadata: metadata, recordedAt: Date())
    }

    @Test func anRFIDReadYieldsEachOfItsEPCs() {
        let keys = BusinessKeyExtractor().keys(of: event("TagsRead", "rfid-dock1", #"{"reader":"dock-1","epcs":["urn:epc:id:sgtin:0614141.107346.2017","3034257BF7194E4000001A85"]}"#))
        #expect(keys == [BusinessKey(kind: .epc, value: "urn:epc:id:sgtin:0614141.107346.2017"), BusinessKey(kind: .epc, value: "3034257BF7194E4000001A85")])
    }

    @Test func headersMatchWithoutRegardToCaseAndAS2IdsLoseTheirBrackets() {
        let keys = BusinessKeyExtractor().keys(of: event("MessageReceived", "inbox-as2", #"{"id":"e1","headers":{"Message-ID":" <abc@partner> ","X-Shopify-Webhook-Id":"w-9"},"bodyBase64":"eA=="}"#))
        #expect(keys.contains(BusinessKey(kind: .as2MessageId, value: "abc@partner")))
        #expect(keys.contains(BusinessKey(kind: .webhookId, value: "w-9")))
        #expect(keys.contains(BusinessKey(kind: .messageId, value: "e1")))
    }

    @Test func aShopifyIdCountsOnlyInAnOrderResource() {
        let order = BusinessKeyExtractor().keys(of: event("MessageReceived", "inbox-shop", ##"{"body":{"id":820982911946154508,"order_number":1001,"name":"#1001"}}"##))
        #expect(order.contains(BusinessKey(kind: .shopifyOrder, value: "820982911946154508")))
        #expect(order.contains(BusinessKey(kind: .order, value: "1001")) && order.contains(BusinessKey(kind: .order, value: "#1001")))
        let product = BusinessKeyExtractor().keys(of: event("MessageReceived", "inbox-shop", #"{"body":{"id":42,"title":"Mug"}}"#))
        #expect(!product.contains { $0.kind == .shopifyOrder }, "a product's id is no order id: \(product)")
    }

    @Test func aRoutesTopicStreamIsNoOrderButAnAggregatesStreamIs() {
        let routed = BusinessKeyExtractor().keys(of: event("Message", "order-route.orders", #"{"orderId":"SHOP-1"}"#))
        #expect(routed == [BusinessKey(kind: .order, value: "SHOP-1")])
        let aggregate = BusinessKeyExtractor().keys(of: event("OrderCreated", "order-SHOP-2", #"{"orderId":"SHOP-2"}"#))
        #expect(aggregate == [BusinessKey(kind: .order, value: "SHOP-2")], "the stream id and the field are one key")
    }

    @Test func oddDataGivesNoKeysAndNoTrap() {
        let extractor = BusinessKeyExtractor()
        #expect(extractor.keys(of: event("X", "misc-1", "[1,2,3]")).isEmpty)
        #expect(extractor.keys(of: event("X", "misc-1", #"{"orderId":{"nested":true},"trackingNumber":null}"#)).isEmpty)
        #expect(extractor.keys(of: event("X", "misc-1", #"{"orderId":"\#(String(repeating: "9", count: 500))"}"#)).isEmpty, "a value too long to be a key")
        #expect(extractor.keys(of: event("X", "misc-1", #"{"orderId":"A","orderId":"B"}"#)) == [BusinessKey(kind: .order, value: "A")], "the first of a repeated name")
    }
}
