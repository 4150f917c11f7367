import Codecs
import Foundation
import Testing

@testable import WebhookAdapter

@Suite("Standard Webhooks signing")
struct WebhookSignerTests {
    static let secret = WebhookSecret(keyBytes: (0..<32).map { UInt8($0) })

    @Test("the three headers carry the id, the timestamp and one v1 signature")
    func headersOfOneSecret() throws {
        let headers = try WebhookSigner(secret: Self.secret).sign(id: "msg_1", timestamp: 1_700_000_000, body: Array("{}".utf8))
        #expect(headers.fields.map(\.name) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers.fields.map(\.value)[0...1] == ["msg_1", "1700000000"])
        #expect(headers.signature.hasPrefix("v1,"))
        #expect(try Base64.decode(headers.signature.dropFirst(3).utf8).count == 32)
    }

    @Test("with several secrets every one signs, space-separated, in order")
    func oneSignaturePerSecret() throws {
        let other = WebhookSecret(keyBytes: Array(repeating: 9, count: 24))
        let both = try WebhookSigner(secrets: [Self.secret, other]).sign(id: "msg_1", timestamp: 1, body: [1, 2])
        let first = try WebhookSigner(secret: Self.secret).sign(id: "msg_1", timestamp: 1, body: [1, 2])
        let second = try WebhookSigner(secret: other).sign(id: "msg_1", timestamp: 1, body: [1, 2])
        #expect(both.signature == first.signature + " " + second.signature)
    }

    @Test("an id containing '.' is refused, as the specification asks")
    func dotInIDIsRefused() {
        #expect(throws: WebhookSigningError.invalidID(reason: "'.' at byte offset 3 (it separates the signed fields)")) {
            try WebhookSigner(secret: Self.secret).sign(id: "msg.1", timestamp: 1, body: [UInt8]())
        }
    }

    @Test("an id with a space or control byte is refused")
    func nonVisibleIDIsRefused() {
        #expect(throws: WebhookSigningError.invalidID(reason: "byte offset 3 is not visible ASCII")) {
            try WebhookSigner(secret: Self.secret).sign(id: "msg 1", timestamp: 1, body: [UInt8]())
        }
    }

    @Test("a negative timestamp is refused")
    func negativeTimestampIsRefused() {
        #expect(throws: WebhookSigningError.negativeTimestamp(-1)) {
            try WebhookSigner(secret: Self.secret).sign(id: "msg_1", timestamp: -1, body: [UInt8]())
        }
    }

    @Test("a signer needs at least one secret")
    func signerNeedsSecret() {
        #expect(throws: WebhookConfigurationError.noSecrets(scheme: "standard-webhooks")) {
            try WebhookSigner(secrets: [])
        }
    }

    @Test("what the signer signs, the verifier accepts")
    func signThenVerify() throws {
        let body = Array(#"{"a":1}"#.utf8)
        let headers = try WebhookSigner(secret: Self.secret).sign(id: "msg_x", timestamp: 1_000, body: body)
        let result = try WebhookVerifier(scheme: .standardWebhooks(.init(secrets: [Self.secret])))
            .verify(headers: WebhookHeaders(headers.fields.map { ($0.name, $0.value) }), body: body,
                    now: Date(timeIntervalSince1970: 1_000))
        #expect(result == .standardWebhooks(id: "msg_x", timestamp: 1_000, secretIndex: 0))
    }

    @Test("a whsec_ secret round-trips through its serialization")
    func secretSerializationRoundTrips() throws {
        let parsed = try WebhookSecret(standardWebhooks: Self.secret.standardWebhooksSerialization)
        #expect(parsed == Self.secret)
        #expect(try WebhookSecret(standardWebhooks: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n")
            == WebhookSecret(standardWebhooks: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
    }

    @Test("random secrets have the requested length, differ, and serialize as whsec_")
    func randomSecrets() throws {
        let first = WebhookSecret.random()
        let second = WebhookSecret.random(byteCount: 24)
        #expect(first.keyBytes.count == 32)
        #expect(second.keyBytes.count == 24)
        #expect(first != WebhookSecret.random())
        #expect(first.standardWebhooksSerialization.hasPrefix("whsec_"))
        #expect(try WebhookSecret(standardWebhooks: first.standardWebhooksSerialization) == first)
    }

    @Test("a secret that is not base64 is refused with the offset, not the text")
    func badSecretIsRefused() {
        let error = #expect(throws: WebhookConfigurationError.self) {
            try WebhookSecret(standardWebhooks: "whsec_Q2FuYXJ5!xyz")
        }
        #expect(error == .secretNotBase64(.invalidCharacter(offset: 8)))
        #expect(error?.description.contains("Q2FuYXJ5") == false)
    }
}

/// Cross-check against a foreign implementation: CPython's `hmac`/`hashlib`/`base64` compute
/// signatures for random secrets, ids, timestamps and bodies in a subprocess.
@Suite("Signatures agree with CPython's hmac")
struct ForeignSignatureCrossCheckTests {
    struct Case {
        let key: [UInt8]
        let id: String
        let timestamp: Int64
        let body: [UInt8]
    }

    /// What CPython computed for one case.
    struct PythonSignatures {
        /// `v1,` + base64(HMAC-SHA256(key, id.timestamp.body)), the Standard Webhooks signature.
        let standardWebhooks: String
        /// base64(HMAC-SHA256(key, body)), Shopify style.
        let bodySHA256Base64: String
        /// `sha1=` + hex(HMAC-SHA1(key, body)), GitHub legacy style.
        let bodySHA1Hex: String
    }

    /// Signs every case in one `python3` run: one JSON object per input line, one line of three
    /// space-separated signatures per case.
    static func pythonSignatures(for cases: [Case]) throws -> [PythonSignatures] {
        let script = """
            import sys, json, hmac, hashlib, base64
            for line in sys.stdin:
                case = json.loads(line)
                key, body = bytes.fromhex(case["key"]), bytes.fromhex(case["body"])
                content = case["id"].encode() + b"." + str(case["ts"]).encode() + b"." + body
                standard = "v1," + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
                shopify = base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()
                github = "sha1=" + hmac.new(key, body, hashlib.sha1).hexdigest()
                print(standard, shopify, github)
            """
        let input = cases.map {
            #"{"key":"\#(Hex.encode($0.key))","id":"\#($0.id)","ts":\#($0.timestamp),"body":"\#(Hex.encode($0.body))"}"#
        }.joined(separator: "\n") + "\n"

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Python answers line by line, but its output (about 150 bytes a case) stays far below
        // the pipe buffer for the case counts used here, so writing everything first and reading
        // afterwards cannot deadlock.
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PythonFailed(status: process.terminationStatus, stderr: String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self).split(separator: "\n").map { line in
            let parts = line.split(separator: " ").map(String.init)
            return PythonSignatures(
                standardWebhooks: parts.count > 0 ? parts[0] : "", bodySHA256Base64: parts.count > 1 ? parts[1] : "",
                bodySHA1Hex: parts.count > 2 ? parts[2] : "")
        }
    }

    struct PythonFailed: Error, CustomStringConvertible {
        let status: Int32
        let stderr: String
        var description: String { "python3 exited with \(status): \(stderr)" }
    }

    static func randomCases(count: Int) -> [Case] {
        var generator = SystemRandomNumberGenerator()
        let idAlphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-".utf8)
        return (0..<count).map { index in
            let key = (0..<Int.random(in: 24...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let id = "msg_" + String(decoding: (0..<Int.random(in: 1...40, using: &generator)).map { _ in
                idAlphabet.randomElement(using: &generator)!
            }, as: UTF8.self)
            // Include the empty body and bodies that are not UTF-8.
            let length = index == 0 ? 0 : Int.random(in: 0...8192, using: &generator)
            let body = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            return Case(key: key, id: id, timestamp: Int64.random(in: 0...4_000_000_000, using: &generator), body: body)
        }
    }

    @Test("WebhookSigner and CPython produce identical Standard Webhooks signatures")
    func signerAgreesWithPython() throws {
        let cases = Self.randomCases(count: 64)
        let foreign = try Self.pythonSignatures(for: cases)
        #expect(foreign.count == cases.count)
        for (testCase, python) in zip(cases, foreign) {
            let ours = try WebhookSigner(secret: WebhookSecret(keyBytes: testCase.key))
                .sign(id: testCase.id, timestamp: testCase.timestamp, body: testCase.body)
            #expect(ours.signature == python.standardWebhooks, "id \(testCase.id), \(testCase.body.count)-byte body")
        }
    }

    @Test("WebhookVerifier accepts CPython's Standard Webhooks signatures")
    func verifierAcceptsPython() throws {
        let cases = Self.randomCases(count: 64)
        let foreign = try Self.pythonSignatures(for: cases)
        #expect(foreign.count == cases.count)
        for (testCase, python) in zip(cases, foreign) {
            let verifier = try WebhookVerifier(
                scheme: .standardWebhooks(.init(secrets: [WebhookSecret(keyBytes: testCase.key)])))
            let result = try verifier.verify(
                headers: [
                    ("webhook-id", testCase.id), ("webhook-timestamp", String(testCase.timestamp)),
                    ("webhook-signature", python.standardWebhooks),
                ],
                body: testCase.body, now: Date(timeIntervalSince1970: TimeInterval(testCase.timestamp)))
            #expect(result == .standardWebhooks(id: testCase.id, timestamp: testCase.timestamp, secretIndex: 0))
        }
    }

    @Test("WebhookVerifier accepts CPython's Shopify-style base64 and GitHub-style sha1 hex signatures")
    func hmacHeaderSchemesAcceptPython() throws {
        let cases = Self.randomCases(count: 64)
        let foreign = try Self.pythonSignatures(for: cases)
        #expect(foreign.count == cases.count)
        for (testCase, python) in zip(cases, foreign) {
            let secret = WebhookSecret(keyBytes: testCase.key)
            let shopify = try WebhookVerifier(scheme: .hmac(.shopify(secrets: [secret])))
                .verify(headers: [("X-Shopify-Hmac-Sha256", python.bodySHA256Base64)], body: testCase.body, now: Date())
            let gitHub = try WebhookVerifier(scheme: .hmac(.gitHubLegacySHA1(secrets: [secret])))
                .verify(headers: [("X-Hub-Signature", python.bodySHA1Hex)], body: testCase.body, now: Date())
            #expect(shopify == .hmac(secretIndex: 0))
            #expect(gitHub == .hmac(secretIndex: 0))
        }
    }
}
