import Codecs
import Foundation
import Testing

@testable import WebhookAdapter

/// GitHub's documented example ("Validating webhook deliveries", docs.github.com): secret
/// "It's a Secret to Everybody", payload "Hello, World!".
private enum GitHubExample {
    static let secret = WebhookSecret(utf8: "It's a Secret to Everybody")
    static let body = Array("Hello, World!".utf8)
    static let sha256Header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    /// Computed with CPython 3.11's `hmac` module, not with our code.
    static let sha1Header = "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59"
}

@Suite("Single-header HMAC verification (GitHub, Shopify style)")
struct HMACHeaderVerifierTests {
    @Test("GitHub X-Hub-Signature-256 (sha256= + hex) verifies")
    func gitHubSHA256Verifies() throws {
        let verifier = try WebhookVerifier(scheme: .hmac(.gitHub(secrets: [GitHubExample.secret])))
        let result = try verifier.verify(
            headers: [("x-hub-signature-256", GitHubExample.sha256Header)], body: GitHubExample.body, now: Date())
        #expect(result == .hmac(secretIndex: 0))
    }

    @Test("GitHub legacy X-Hub-Signature (sha1= + hex) verifies")
    func gitHubSHA1Verifies() throws {
        let verifier = try WebhookVerifier(scheme: .hmac(.gitHubLegacySHA1(secrets: [GitHubExample.secret])))
        let result = try verifier.verify(
            headers: [("X-Hub-Signature", GitHubExample.sha1Header)], body: GitHubExample.body, now: Date())
        #expect(result == .hmac(secretIndex: 0))
    }

    @Test("upper-case hex digits are accepted (the digest bytes are compared, not the text)")
    func upperCaseHexVerifies() throws {
        let verifier = try WebhookVerifier(scheme: .hmac(.gitHub(secrets: [GitHubExample.secret])))
        let upper = "sha256=" + GitHubExample.sha256Header.dropFirst("sha256=".count).uppercased()
        let result = try verifier.verify(headers: [("X-Hub-Signature-256", upper)], body: GitHubExample.body, now: Date())
        #expect(result == .hmac(secretIndex: 0))
    }

    @Test("a sha1= signature sent to a sha256= source fails as a wrong prefix")
    func wrongPrefixFails() throws {
        let verifier = try WebhookVerifier(scheme: .hmac(.gitHub(secrets: [GitHubExample.secret])))
        let error = #expect(throws: WebhookVerificationError.self) {
            try verifier.verify(
                headers: [("X-Hub-Signature-256", GitHubExample.sha1Header)], body: GitHubExample.body, now: Date())
        }
        #expect(error == .unexpectedSignaturePrefix(header: "X-Hub-Signature-256", expected: "sha256="))
        #expect(error?.description == "header X-Hub-Signature-256 does not start with 'sha256='")
    }

    @Test("a SHA-1 digest under the sha256= prefix fails on its length")
    func wrongDigestLengthFails() throws {
        let verifier = try WebhookVerifier(scheme: .hmac(.gitHub(secrets: [GitHubExample.secret])))
        let header = "sha256=" + GitHubExample.sha1Header.dropFirst("sha1=".count)
        #expect(throws: WebhookVerificationError.malformedSignatureHeader(
            header: "X-Hub-Signature-256", entry: nil, reason: "signature decodes to 20 bytes; HMAC-SHA256 has 32")) {
            try verifier.verify(headers: [("X-Hub-Signature-256", header)], body: GitHubExample.body, now: Date())
        }
    }

    @Test("a non-hex character is reported with its offset after the prefix")
    func nonHexFails() throws {
        let verifier = try WebhookVerifier(scheme: .hmac(.gitHub(secrets: [GitHubExample.secret])))
        #expect(throws: WebhookVerificationError.malformedSignatureHeader(
            header: "X-Hub-Signature-256", entry: nil,
            reason: "signature is not hex: invalid hex digit at byte offset 3 (offset after 'sha256=')")) {
            try verifier.verify(
                headers: [("X-Hub-Signature-256", "sha256=757g07ea")], body: GitHubExample.body, now: Date())
        }
    }

    @Test("Shopify base64 HMAC verifies, with the digest computed by a foreign implementation")
    func shopifyBase64Verifies() throws {
        // base64(HMAC-SHA256("It's a Secret to Everybody", "Hello, World!")), from the GitHub hex value.
        let digest = try Hex.decode(GitHubExample.sha256Header.dropFirst("sha256=".count).utf8)
        let verifier = try WebhookVerifier(scheme: .hmac(.shopify(secrets: [GitHubExample.secret])))
        let result = try verifier.verify(
            headers: [("X-Shopify-Hmac-SHA256", Base64.encode(digest))], body: GitHubExample.body, now: Date())
        #expect(result == .hmac(secretIndex: 0))
    }

    @Test("a changed body byte fails Shopify verification")
    func shopifyTamperedBodyFails() throws {
        let digest = try Hex.decode(GitHubExample.sha256Header.dropFirst("sha256=".count).utf8)
        let verifier = try WebhookVerifier(scheme: .hmac(.shopify(secrets: [GitHubExample.secret])))
        var body = GitHubExample.body
        body[0] = UInt8(ascii: "J")
        #expect(throws: WebhookVerificationError.noSignatureMatched(header: "X-Shopify-Hmac-Sha256", signatures: 1, secrets: 1)) {
            try verifier.verify(headers: [("X-Shopify-Hmac-Sha256", Base64.encode(digest))], body: body, now: Date())
        }
    }

    @Test("during rotation either configured secret verifies, and the matching one is reported")
    func hmacRotation() throws {
        let verifier = try WebhookVerifier(scheme: .hmac(.gitHub(secrets: [
            WebhookSecret(utf8: "the new secret"), GitHubExample.secret,
        ])))
        let result = try verifier.verify(
            headers: [("X-Hub-Signature-256", GitHubExample.sha256Header)], body: GitHubExample.body, now: Date())
        #expect(result == .hmac(secretIndex: 1))
    }

    @Test("a missing signature header is named")
    func missingHeaderIsNamed() throws {
        let verifier = try WebhookVerifier(scheme: .hmac(.shopify(secrets: [GitHubExample.secret])))
        #expect(throws: WebhookVerificationError.missingHeader(name: "X-Shopify-Hmac-Sha256")) {
            try verifier.verify(headers: [("X-Hub-Signature-256", GitHubExample.sha256Header)], body: GitHubExample.body, now: Date())
        }
    }

    @Test("scheme none accepts any request, but only when chosen explicitly")
    func noneAcceptsAnything() throws {
        let verifier = try WebhookVerifier(scheme: .none)
        #expect(try verifier.verify(headers: [], body: [1, 2, 3], now: Date()) == .unsigned)
    }

    @Test("an invalid header name in the scheme is refused at configuration time")
    func invalidHeaderNameIsRefused() {
        #expect(throws: WebhookConfigurationError.invalidHeaderName("X Signature")) {
            try WebhookVerifier(scheme: .hmac(.init(
                header: "X Signature", algorithm: .sha256, encoding: .hex, secrets: [GitHubExample.secret])))
        }
    }

    @Test("an empty secret is refused at configuration time")
    func emptySecretIsRefused() {
        #expect(throws: WebhookConfigurationError.emptySecret) {
            try WebhookVerifier(scheme: .hmac(.shopify(secrets: [WebhookSecret(utf8: "")])))
        }
    }
}
