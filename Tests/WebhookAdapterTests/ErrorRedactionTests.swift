import Codecs
import Foundation
import Testing

@testable import WebhookAdapter

/// Error descriptions go to logs and back to the sender; they must not carry the secret or the
/// body. These tests provoke every verification error with a recognisable secret and body and
/// search the descriptions for them.
@Suite("Error descriptions never reveal secrets or bodies")
struct ErrorRedactionTests {
    static let secretText = "SECRET-CANARY-7f3a9c"
    static let secretKey = Array(secretText.utf8)
    static let whsec = WebhookSecret(keyBytes: secretKey).standardWebhooksSerialization
    static let body = Array(#"{"canary":"BODY-CANARY-0d41e2"}"#.utf8)
    static let timestamp: Int64 = 1_764_000_000

    /// Everything that would give away the secret or the body.
    static var forbidden: [String] {
        let computed = HMAC.authenticationCode(
            algorithm: .sha256, key: secretKey, parts: [Array("msg_1.\(timestamp).".utf8), body])
        let bodyMAC = HMAC.authenticationCode(algorithm: .sha256, key: secretKey, message: body)
        return [
            secretText, whsec, String(whsec.dropFirst("whsec_".count)), "BODY-CANARY", "canary",
            Base64.encode(computed), Hex.encode(computed), Base64.encode(bodyMAC), Hex.encode(bodyMAC),
        ]
    }

    static func standardErrors() throws -> [WebhookVerificationError] {
        let verifier = try WebhookVerifier(scheme: .standardWebhooks(.init(secrets: [WebhookSecret(standardWebhooks: whsec)])))
        let valid = try WebhookSigner(secret: WebhookSecret(standardWebhooks: whsec)).sign(id: "msg_1", timestamp: timestamp, body: body)
        let now = Date(timeIntervalSince1970: TimeInterval(timestamp))
        var tampered = body
        tampered[3] ^= 1
        let attempts: [([(String, String)], [UInt8], Date)] = [
            ([("webhook-id", "msg_1"), ("webhook-timestamp", "\(timestamp)")], body, now),
            ([("webhook-id", "msg_1"), ("webhook-timestamp", "x\(timestamp)"), ("webhook-signature", valid.signature)], body, now),
            (valid.fields.map { ($0.name, $0.value) }, body, now.addingTimeInterval(10_000)),
            (valid.fields.map { ($0.name, $0.value) }, tampered, now),
            ([("webhook-id", "msg_1"), ("webhook-timestamp", "\(timestamp)"), ("webhook-signature", "v1,@@@")], body, now),
            ([("webhook-id", "msg_1"), ("webhook-timestamp", "\(timestamp)"), ("webhook-signature", "v9,abc")], body, now),
            (valid.fields.map { ($0.name, $0.value) } + [("webhook-id", "msg_2")], body, now),
        ]
        return attempts.compactMap { headers, body, now -> WebhookVerificationError? in
            do throws(WebhookVerificationError) {
                _ = try verifier.verify(headers: headers, body: body, now: now)
                return nil
            } catch {
                return error
            }
        }
    }

    static func hmacErrors() throws -> [WebhookVerificationError] {
        let verifier = try WebhookVerifier(scheme: .hmac(.gitHub(secrets: [WebhookSecret(utf8: secretText)])))
        let valid = "sha256=" + Hex.encode(HMAC.authenticationCode(algorithm: .sha256, key: secretKey, message: body))
        var tampered = body
        tampered[3] ^= 1
        let attempts: [([(String, String)], [UInt8])] = [
            ([], body),
            ([("X-Hub-Signature-256", valid)], tampered),
            ([("X-Hub-Signature-256", "sha1=" + valid.dropFirst(7))], body),
            ([("X-Hub-Signature-256", "sha256=zz" + valid.dropFirst(9))], body),
            ([("X-Hub-Signature-256", String(valid.dropLast(2)))], body),
        ]
        return attempts.compactMap { headers, body -> WebhookVerificationError? in
            do throws(WebhookVerificationError) {
                _ = try verifier.verify(headers: headers, body: body, now: Date())
                return nil
            } catch {
                return error
            }
        }
    }

    @Test("Standard Webhooks error descriptions contain neither secret, MAC nor body")
    func standardWebhooksErrors() throws {
        let errors = try Self.standardErrors()
        #expect(errors.count == 7)
        for error in errors {
            for secretOrBody in Self.forbidden {
                #expect(!error.description.contains(secretOrBody), "\(error)")
                #expect(!String(reflecting: error).contains(secretOrBody), "\(error)")
            }
        }
    }

    @Test("HMAC header error descriptions contain neither secret, MAC nor body")
    func hmacErrors() throws {
        let errors = try Self.hmacErrors()
        #expect(errors.count == 5)
        for error in errors {
            for secretOrBody in Self.forbidden {
                #expect(!error.description.contains(secretOrBody), "\(error)")
            }
        }
    }

    @Test("printing, dumping or reflecting a configuration does not show its secrets")
    func configurationIsRedacted() throws {
        let configuration = WebhookSourceConfiguration(
            path: "/hooks", signature: .standardWebhooks(.init(secrets: [try WebhookSecret(standardWebhooks: Self.whsec)])))
        var dumped = ""
        dump(configuration, to: &dumped)
        for rendering in [
            "\(configuration)", String(reflecting: configuration), dumped,
            "\(HMACHeaderScheme.shopify(secrets: [WebhookSecret(utf8: Self.secretText)]))",
        ] {
            #expect(!rendering.contains(Self.secretText))
            #expect(!rendering.contains(String(Self.whsec.dropFirst(6))))
            #expect(rendering.contains("redacted"))
        }
    }
}
