import Codecs
import Foundation
import Testing

@testable import WebhookAdapter

/// A Standard Webhooks delivery signed by our own signer (itself checked against the published
/// vectors), for the behaviours the vectors do not cover.
private struct Delivery {
    static let currentSecret = WebhookSecret(keyBytes: (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
    static let previousSecret = WebhookSecret(keyBytes: (0..<24).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 101) })
    static let timestamp: Int64 = 1_764_000_000
    static let id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"
    static let body = Array(#"{"type":"order.created","data":{"id":4711}}"#.utf8)

    static func headers(signedWith secrets: [WebhookSecret] = [currentSecret]) throws -> [(String, String)] {
        try WebhookSigner(secrets: secrets).sign(id: id, timestamp: timestamp, body: body).fields.map { ($0.name, $0.value) }
    }

    static func replacing(_ name: String, with value: String, in headers: [(String, String)]) -> [(String, String)] {
        headers.map { $0.0 == name ? ($0.0, value) : $0 }
    }

    static var at: Date { Date(timeIntervalSince1970: TimeInterval(timestamp)) }
}

private func verifier(
    secrets: [WebhookSecret] = [Delivery.currentSecret], tolerance: Duration = .seconds(300)
) throws -> WebhookVerifier {
    try WebhookVerifier(scheme: .standardWebhooks(.init(secrets: secrets, timestampTolerance: tolerance)))
}

@Suite("Standard Webhooks verification")
struct StandardWebhooksVerifierTests {
    @Test("a correctly signed delivery verifies and yields its id and timestamp")
    func validDeliveryVerifies() throws {
        let result = try verifier().verify(headers: try Delivery.headers(), body: Delivery.body, now: Delivery.at)
        #expect(result == .standardWebhooks(id: Delivery.id, timestamp: Delivery.timestamp, secretIndex: 0))
    }

    @Test("header names match case-insensitively")
    func headerNamesAreCaseInsensitive() throws {
        let headers = try Delivery.headers().map { ($0.0.uppercased(), $0.1) }
        let result = try verifier().verify(headers: headers, body: Delivery.body, now: Delivery.at)
        #expect(result == .standardWebhooks(id: Delivery.id, timestamp: Delivery.timestamp, secretIndex: 0))
    }

    @Test("changing any single byte of the body makes verification fail")
    func tamperedBodyFails() throws {
        let headers = try Delivery.headers()
        let verifier = try verifier()
        for position in Delivery.body.indices {
            var body = Delivery.body
            body[position] ^= 0x20
            #expect(throws: WebhookVerificationError.noSignatureMatched(header: "webhook-signature", signatures: 1, secrets: 1)) {
                try verifier.verify(headers: headers, body: body, now: Delivery.at)
            }
        }
    }

    @Test("a different webhook-id with the same signature fails")
    func tamperedIDFails() throws {
        let headers = Delivery.replacing("webhook-id", with: "msg_other", in: try Delivery.headers())
        #expect(throws: WebhookVerificationError.noSignatureMatched(header: "webhook-signature", signatures: 1, secrets: 1)) {
            try verifier().verify(headers: headers, body: Delivery.body, now: Delivery.at)
        }
    }

    @Test("a timestamp older than the tolerance fails and says by how much")
    func expiredTimestampFails() throws {
        let now = Delivery.at.addingTimeInterval(301)
        let error = #expect(throws: WebhookVerificationError.self) {
            try verifier().verify(headers: try Delivery.headers(), body: Delivery.body, now: now)
        }
        #expect(error == .timestampOutsideTolerance(timestamp: Delivery.timestamp, now: Delivery.timestamp + 301, tolerance: 300))
        #expect(error?.description.contains("301 s in the past") == true)
        #expect(error?.description.contains("exceeded by 1 s") == true)
    }

    @Test("a timestamp further in the future than the tolerance fails and says by how much")
    func futureTimestampFails() throws {
        let now = Delivery.at.addingTimeInterval(-400)
        let error = #expect(throws: WebhookVerificationError.self) {
            try verifier().verify(headers: try Delivery.headers(), body: Delivery.body, now: now)
        }
        #expect(error == .timestampOutsideTolerance(timestamp: Delivery.timestamp, now: Delivery.timestamp - 400, tolerance: 300))
        #expect(error?.description.contains("400 s in the future") == true)
    }

    @Test("timestamps exactly at the tolerance in either direction are accepted")
    func toleranceBoundaryIsInclusive() throws {
        let verifier = try verifier()
        let headers = try Delivery.headers()
        for offset in [-300.0, 300.0, 300.9] {
            let result = try verifier.verify(headers: headers, body: Delivery.body, now: Delivery.at.addingTimeInterval(offset))
            #expect(result == .standardWebhooks(id: Delivery.id, timestamp: Delivery.timestamp, secretIndex: 0))
        }
    }

    @Test("a configured tolerance replaces the five-minute default")
    func configuredToleranceApplies() throws {
        #expect(throws: WebhookVerificationError.timestampOutsideTolerance(
            timestamp: Delivery.timestamp, now: Delivery.timestamp + 61, tolerance: 60)) {
            try verifier(tolerance: .seconds(60)).verify(
                headers: try Delivery.headers(), body: Delivery.body, now: Delivery.at.addingTimeInterval(61))
        }
    }

    @Test("during rotation a delivery signed with either configured secret verifies")
    func rotationAcceptsBothSecrets() throws {
        let verifier = try verifier(secrets: [Delivery.currentSecret, Delivery.previousSecret])
        let withCurrent = try verifier.verify(
            headers: try Delivery.headers(signedWith: [Delivery.currentSecret]), body: Delivery.body, now: Delivery.at)
        let withPrevious = try verifier.verify(
            headers: try Delivery.headers(signedWith: [Delivery.previousSecret]), body: Delivery.body, now: Delivery.at)
        #expect(withCurrent == .standardWebhooks(id: Delivery.id, timestamp: Delivery.timestamp, secretIndex: 0))
        #expect(withPrevious == .standardWebhooks(id: Delivery.id, timestamp: Delivery.timestamp, secretIndex: 1))
    }

    @Test("a header with several signatures verifies when any one of them matches")
    func multipleSignaturesInOneHeader() throws {
        let unknownSecret = WebhookSecret(keyBytes: Array(repeating: 0xAA, count: 32))
        let headers = try Delivery.headers(signedWith: [unknownSecret, Delivery.previousSecret])
        let signature = try #require(headers.first { $0.0 == "webhook-signature" }?.1)
        #expect(signature.split(separator: " ").count == 2)
        let result = try verifier(secrets: [Delivery.currentSecret, Delivery.previousSecret])
            .verify(headers: headers, body: Delivery.body, now: Delivery.at)
        #expect(result == .standardWebhooks(id: Delivery.id, timestamp: Delivery.timestamp, secretIndex: 1))
    }

    @Test("signatures of other versions and extra spaces are skipped when a v1 signature matches")
    func otherVersionsAreSkipped() throws {
        let headers = try Delivery.headers()
        let v1 = try #require(headers.first { $0.0 == "webhook-signature" }?.1)
        let mixed = Delivery.replacing(
            "webhook-signature", with: "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZ  \(v1) ",
            in: headers)
        let result = try verifier().verify(headers: mixed, body: Delivery.body, now: Delivery.at)
        #expect(result == .standardWebhooks(id: Delivery.id, timestamp: Delivery.timestamp, secretIndex: 0))
    }

    @Test("no matching secret fails with the number of signatures and secrets tried")
    func noSecretMatches() throws {
        let other = WebhookSecret(keyBytes: Array(repeating: 0x55, count: 32))
        let error = #expect(throws: WebhookVerificationError.self) {
            try verifier(secrets: [other]).verify(headers: try Delivery.headers(), body: Delivery.body, now: Delivery.at)
        }
        #expect(error == .noSignatureMatched(header: "webhook-signature", signatures: 1, secrets: 1))
        #expect(error?.httpStatus == 401)
    }

    @Test("each missing header is named", arguments: ["webhook-id", "webhook-timestamp", "webhook-signature"])
    func missingHeaderIsNamed(name: String) throws {
        let headers = try Delivery.headers().filter { $0.0 != name }
        #expect(throws: WebhookVerificationError.missingHeader(name: name)) {
            try verifier().verify(headers: headers, body: Delivery.body, now: Delivery.at)
        }
    }

    @Test("an empty webhook-id is refused")
    func emptyIDIsRefused() throws {
        let headers = Delivery.replacing("webhook-id", with: "  ", in: try Delivery.headers())
        #expect(throws: WebhookVerificationError.emptyHeader(name: "webhook-id")) {
            try verifier().verify(headers: headers, body: Delivery.body, now: Delivery.at)
        }
    }

    @Test("a repeated signature header is refused rather than one of them picked")
    func repeatedHeaderIsRefused() throws {
        let headers = try Delivery.headers() + [("Webhook-Signature", "v1,AAAA")]
        #expect(throws: WebhookVerificationError.repeatedHeader(name: "webhook-signature", count: 2)) {
            try verifier().verify(headers: headers, body: Delivery.body, now: Delivery.at)
        }
    }

    @Test("a timestamp that is not all digits is malformed, with the byte offset", arguments: [
        ("1764000000.5", 10), ("-1764000000", 0), ("1.764e9", 1), ("17640 00000", 5),
    ])
    func nonIntegerTimestampIsMalformed(text: String, offset: Int) throws {
        let headers = Delivery.replacing("webhook-timestamp", with: text, in: try Delivery.headers())
        let error = #expect(throws: WebhookVerificationError.self) {
            try verifier().verify(headers: headers, body: Delivery.body, now: Delivery.at)
        }
        guard case .malformedTimestamp(let header, let reason)? = error else {
            Issue.record("expected malformedTimestamp, got \(String(describing: error))")
            return
        }
        #expect(header == "webhook-timestamp")
        #expect(reason.contains("byte offset \(offset)"))
    }

    @Test("a timestamp beyond 64 bits is malformed, not wrapped around")
    func overflowingTimestampIsMalformed() throws {
        let headers = Delivery.replacing("webhook-timestamp", with: "99999999999999999999", in: try Delivery.headers())
        #expect(throws: WebhookVerificationError.malformedTimestamp(
            header: "webhook-timestamp", reason: "value does not fit in 64 bits")) {
            try verifier().verify(headers: headers, body: Delivery.body, now: Delivery.at)
        }
    }

    @Test("the timestamp text is signed as sent, so leading zeros change the signed content")
    func timestampIsSignedAsSent() throws {
        let headers = Delivery.replacing("webhook-timestamp", with: "0\(Delivery.timestamp)", in: try Delivery.headers())
        #expect(throws: WebhookVerificationError.noSignatureMatched(header: "webhook-signature", signatures: 1, secrets: 1)) {
            try verifier().verify(headers: headers, body: Delivery.body, now: Delivery.at)
        }
    }

    @Test("an entry without a comma is malformed and its position is named")
    func entryWithoutCommaIsMalformed() throws {
        let headers = Delivery.replacing("webhook-signature", with: "v1a,abc v1abc", in: try Delivery.headers())
        #expect(throws: WebhookVerificationError.malformedSignatureHeader(
            header: "webhook-signature", entry: 2, reason: "expected '<version>,<base64 signature>', found no ','")) {
            try verifier().verify(headers: headers, body: Delivery.body, now: Delivery.at)
        }
    }

    @Test("a v1 entry that is not base64 is malformed, with the offset")
    func nonBase64SignatureIsMalformed() throws {
        let headers = Delivery.replacing(
            "webhook-signature", with: "v1,g0hM9SsE-OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", in: try Delivery.headers())
        let error = #expect(throws: WebhookVerificationError.self) {
            try verifier().verify(headers: headers, body: Delivery.body, now: Delivery.at)
        }
        guard case .malformedSignatureHeader(_, let entry, let reason)? = error else {
            Issue.record("expected malformedSignatureHeader, got \(String(describing: error))")
            return
        }
        #expect(entry == 1)
        #expect(reason.contains("byte offset 8"))
        #expect(error?.httpStatus == 400)
    }

    @Test("a v1 entry of the wrong length is malformed, naming both lengths")
    func truncatedSignatureIsMalformed() throws {
        let headers = Delivery.replacing("webhook-signature", with: "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAA", in: try Delivery.headers())
        #expect(throws: WebhookVerificationError.malformedSignatureHeader(
            header: "webhook-signature", entry: 1, reason: "v1 signature decodes to 21 bytes; HMAC-SHA256 has 32")) {
            try verifier().verify(headers: headers, body: Delivery.body, now: Delivery.at)
        }
    }

    @Test("a header holding only unknown versions names them")
    func unknownVersionPrefix() throws {
        let headers = Delivery.replacing("webhook-signature", with: "v2,abcd v0,efgh", in: try Delivery.headers())
        let error = #expect(throws: WebhookVerificationError.self) {
            try verifier().verify(headers: headers, body: Delivery.body, now: Delivery.at)
        }
        #expect(error == .unsupportedSignatureVersions(header: "webhook-signature", versions: ["v2", "v0"]))
        #expect(error?.description.contains("'v2', 'v0'") == true)
    }

    @Test("a malformed entry does not hide a matching one after it")
    func malformedEntryBeforeMatchingOne() throws {
        let headers = try Delivery.headers()
        let v1 = try #require(headers.first { $0.0 == "webhook-signature" }?.1)
        let mixed = Delivery.replacing("webhook-signature", with: "v1,*** \(v1)", in: headers)
        let result = try verifier().verify(headers: mixed, body: Delivery.body, now: Delivery.at)
        #expect(result == .standardWebhooks(id: Delivery.id, timestamp: Delivery.timestamp, secretIndex: 0))
    }

    @Test("the verifier refuses a scheme without secrets")
    func schemeWithoutSecretsIsRefused() {
        #expect(throws: WebhookConfigurationError.noSecrets(scheme: "standard-webhooks")) {
            try WebhookVerifier(scheme: .standardWebhooks(.init(secrets: [])))
        }
    }

    @Test("the verifier refuses a tolerance below one second")
    func zeroToleranceIsRefused() {
        #expect(throws: WebhookConfigurationError.invalidTimestampTolerance) {
            try WebhookVerifier(scheme: .standardWebhooks(.init(
                secrets: [Delivery.currentSecret], timestampTolerance: .milliseconds(500))))
        }
    }
}
