import Foundation
import HTTPClient
import Testing

extension EndToEndTests {
    /// Requests the daemon must refuse: each gets its own status and a message that says what was
    /// wrong, and none of them disturbs what was acknowledged.
    @Suite("Refused webhooks")
    struct Rejection {
        static let limit = 8192

        /// A daemon without a receiver (the route's only target is the topic) and a small body limit.
        static func rig() async throws -> EndToEndRig {
            try await EndToEndRig.start(withReceiver: false, maxBodyBytes: limit)
        }

        static func order(_ number: Int) throws -> SignedWebhook {
            try SignedWebhook.signed(id: "msg_refused_\(number)", body: try OrderFixture.body(orderNumber: number), orderNumber: number)
        }

        @Test("a body over maxBodyBytes is answered 413 naming the limit, and not stored")
        func oversizeBody() async throws {
            let rig = try await Self.rig()
            var body = try OrderFixture.body(orderNumber: 400_001)
            body.insert(contentsOf: Array(#""padding": ""#.utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 3 * Self.limit) + Array(#"", "#.utf8), at: 4)
            let webhook = try SignedWebhook.signed(id: "msg_oversize", body: body)
            let outcome = await WebhookSender.sendOne(webhook, to: rig.daemon.webhookURL, client: rig.client, retryFor: .zero)
            #expect(outcome.status == 413, "\(outcome.body)")
            #expect(outcome.error?.contains(String(Self.limit)) == true, "the message names the limit: \(outcome.body)")
            let store = try await rig.finish()
            #expect(!store.inboxKeys(source: "orders").contains("msg_oversize"))
        }

        @Test("a body that is not application/json is answered 415 naming both types, and not stored")
        func wrongContentType() async throws {
            let rig = try await Self.rig()
            var webhook = try Self.order(400_002)
            webhook.contentType = "text/plain; charset=utf-8"
            let outcome = await WebhookSender.sendOne(webhook, to: rig.daemon.webhookURL, client: rig.client, retryFor: .zero)
            #expect(outcome.status == 415, "\(outcome.body)")
            #expect(outcome.error?.contains("text/plain") == true && outcome.error?.contains("application/json") == true, "\(outcome.body)")
            let store = try await rig.finish()
            #expect(!store.inboxKeys(source: "orders").contains(webhook.id))
        }

        @Test("a correctly signed body that is not JSON is answered 400 naming the byte offset; its raw bytes are kept in dlq-source-orders")
        func invalidJSON() async throws {
            let rig = try await Self.rig()
            // Valid up to the second comma after `false`: byte 39, counting from 0.
            let raw = Array(#"{"order_number": 400003, "test": false,, "line_items": []}"#.utf8)
            let webhook = try SignedWebhook.signed(id: "msg_not_json", body: raw)
            let outcome = await WebhookSender.sendOne(webhook, to: rig.daemon.webhookURL, client: rig.client, retryFor: .zero)
            #expect(outcome.status == 400, "\(outcome.body)")
            let message = outcome.error ?? ""
            #expect(message.contains("byte 39") || message.contains("offset 39"),
                    "the message names the offending byte: \(message)")
            let store = try await rig.finish()
            #expect(!store.inboxKeys(source: "orders").contains(webhook.id), "not accepted as a message")
            let kept = store.stream("dlq-source-orders").filter { Self.holds(raw, store.json($0) ?? [:]) }
            #expect(kept.count == 1, "the raw bytes are in dlq-source-orders exactly once (store: \(store.overview))")
        }

        @Test("a request without webhook-signature is answered 401 naming the header, and not stored")
        func missingSignature() async throws {
            let rig = try await Self.rig()
            let webhook = try Self.order(400_004)
            let response = try await rig.client.execute(webhook.request(to: rig.daemon.webhookURL, omitting: ["webhook-signature"]))
            let body = String(decoding: response.body, as: UTF8.self)
            #expect(response.status == 401, "\(body)")
            #expect(body.contains("webhook-signature"), "the message names the missing header: \(body)")
            let store = try await rig.finish()
            #expect(!store.inboxKeys(source: "orders").contains(webhook.id))
        }

        @Test("a webhook signed an hour ago is answered 401 naming webhook-timestamp, and not stored")
        func expiredTimestamp() async throws {
            let rig = try await Self.rig()
            let number = 400_005
            let webhook = try SignedWebhook.signed(id: "msg_expired", body: try OrderFixture.body(orderNumber: number),
                                                   timestamp: Int64(Date().timeIntervalSince1970) - 3600)
            let outcome = await WebhookSender.sendOne(webhook, to: rig.daemon.webhookURL, client: rig.client, retryFor: .zero)
            #expect(outcome.status == 401, "\(outcome.body)")
            #expect(outcome.error?.contains("webhook-timestamp") == true, "\(outcome.body)")
            let store = try await rig.finish()
            #expect(!store.inboxKeys(source: "orders").contains(webhook.id))
        }

        @Test("refused requests mixed into a load of valid ones: every valid one is answered 202 and stored, no refused one is accepted")
        func nothingAcknowledgedIsLost() async throws {
            let rig = try await Self.rig()
            var valid: [SignedWebhook] = []
            for n in 0..<60 { valid.append(try Self.order(410_000 + n)) }
            var refused: [SignedWebhook] = []
            for n in 0..<10 {
                var wrongType = try SignedWebhook.signed(id: "msg_bad_type_\(n)", body: try OrderFixture.body(orderNumber: 420_000 + n))
                wrongType.contentType = "application/xml"
                refused.append(wrongType)
                refused.append(try SignedWebhook.signed(id: "msg_bad_json_\(n)", body: Array("{\"n\": \(n),]".utf8)))
                refused.append(try SignedWebhook.signed(id: "msg_bad_time_\(n)", body: try OrderFixture.body(orderNumber: 430_000 + n),
                                                        timestamp: Int64(Date().timeIntervalSince1970) + 3600))
                refused.append(try Self.order(440_000 + n).tampered())
            }
            var random = SeededGenerator(seed: EndToEndTests.seed)
            let outcomes = await WebhookSender.send((valid + refused).shuffled(using: &random), to: rig.daemon.webhookURL, client: rig.client, concurrency: 8)
            let validIds = Set(valid.map(\.id))
            let misanswered = outcomes.filter { validIds.contains($0.webhook.id) ? $0.status != 202 : ($0.status ?? 0) < 400 }
            #expect(misanswered.isEmpty, "\(sample(misanswered.map { "\($0.webhook.id): \($0.status.map(String.init) ?? "none") \($0.body)" }))")
            #expect(outcomes.filter { !validIds.contains($0.webhook.id) }.allSatisfy { !($0.error ?? "").isEmpty }, "every refusal carries a message")
            let unmapped = try await rig.awaitTopic(Set(valid.compactMap(\.canonicalOrderId)), timeout: .seconds(60))
            #expect(unmapped.isEmpty, "acknowledged but never mapped into order-events: \(sample(unmapped.sorted()))")
            let store = try await rig.finish()
            #expect(Set(store.inboxKeys(source: "orders")) == validIds, "store: \(store.overview)")
            #expect(Set(store.orderIds(in: store.topic("order-events"))) == Set(valid.compactMap(\.canonicalOrderId)))
            #expect(store.stream("dlq-source-orders").count == 10, "the ten signed non-JSON bodies are kept as dead letters")
        }

        /// Whether some string in `document` is `raw` as text or as base64.
        static func holds(_ raw: [UInt8], _ document: Any) -> Bool {
            if let text = document as? String {
                return Array(text.utf8) == raw || Data(base64Encoded: text).map { Array($0) == raw } == true
            }
            if let object = document as? [String: Any] { return object.values.contains { holds(raw, $0) } }
            if let array = document as? [Any] { return array.contains { holds(raw, $0) } }
            return false
        }
    }
}
