import WebhookAdapter
import Foundation
import HTTPClient

/// One webhook request as a partner sends it: Standard Webhooks headers over exactly these body
/// bytes.
struct SignedWebhook: Sendable {
    var id: String
    var timestamp: Int64
    var signature: String
    var body: [UInt8]
    var contentType = "application/json"
    /// The shop's order number in the body (nil for bodies that are not orders); the mapping turns
    /// it into the canonical `orderId` "SHOP-<n>".
    var orderNumber: Int?

    /// Signs `body` as message `id` with the quickstart secret (or `secret`).
    static func signed(id: String, body: [UInt8], orderNumber: Int? = nil, timestamp: Int64 = Int64(Date().timeIntervalSince1970),
                       secret: String = EndToEndConfiguration.sourceSecret) throws -> SignedWebhook {
        let signer = try WebhookSigner(secret: WebhookSecret(standardWebhooks: secret))
        let headers = try signer.sign(id: id, timestamp: timestamp, body: body)
        return SignedWebhook(id: id, timestamp: timestamp, signature: headers.signature, body: body, orderNumber: orderNumber)
    }

    var canonicalOrderId: String? { orderNumber.map(OrderFixture.canonicalOrderId) }

    /// The same request with one body byte changed after signing (a digit of the total price),
    /// so its signature no longer matches.
    func tampered() -> SignedWebhook {
        var copy = self
        let needle = Array(#""total_price": "14.98""#.utf8)
        if let start = copy.body.firstRange(of: needle)?.lowerBound {
            copy.body[start + needle.count - 2] = UInt8(ascii: "0")  // "14.98" → "14.90"
        } else {
            copy.body[copy.body.count / 2] ^= 0x01
        }
        return copy
    }

    func request(to url: String, omitting omitted: Set<String> = []) -> HTTPRequest {
        var headers = HTTPHeaders()
        let all = [("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature), ("Content-Type", contentType)]
        for (name, value) in all where !omitted.contains(name) { headers.add(name: name, value: value) }
        return HTTPRequest(method: .post, url: url, headers: headers, body: body, timeout: .seconds(30))
    }
}

/// The shipped sample order (Mappings/examples/fixtures/order-minimal.json) with its order number
/// and name changed, so each webhook of a load is a different order.
enum OrderFixture {
    static let template: String = {
        let url = BuiltProducts.repositoryRoot.appendingPathComponent("Mappings/examples/fixtures/order-minimal.json")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    static func canonicalOrderId(_ orderNumber: Int) -> String { "SHOP-\(orderNumber)" }

    /// The fixture as order `orderNumber`; fails if the fixture no longer has the fields replaced.
    static func body(orderNumber: Int) throws -> [UInt8] {
        let replacements = [
            (#""order_number": 1188,"#, #""order_number": \#(orderNumber),"#),
            (##""name": "#1188","##, ##""name": "#\##(orderNumber)","##),
        ]
        var text = template
        for (old, new) in replacements {
            guard text.contains(old) else { throw FixtureChanged(missing: old) }
            text = text.replacingOccurrences(of: old, with: new)
        }
        return Array(text.utf8)
    }

    struct FixtureChanged: Error, CustomStringConvertible {
        let missing: String
        var description: String { "order-minimal.json no longer contains \(missing); adjust OrderFixture" }
    }
}

/// SplitMix64: a seeded generator, so a failing run can be repeated with the seed it prints.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
