import AS2
import PyAS2Support
import Codecs
import Foundation
import XCTest

/// Messages pyas2lib builds that must be refused: each gets the disposition RFC 4130 §7.4.3
/// names for its fault, and pyas2lib, reading our MDN, sees that disposition.
final class PyAS2NegativeTests: XCTestCase {
    var peer: PyAS2Peer!

    override func setUpWithError() throws { peer = try PyAS2Peer() }
    override func tearDown() { peer?.remove() }

    struct Expectation {
        var testCase: PyAS2Peer.Case
        var modifier: AS2ErrorModifier
        /// Our profile of the partner: whose signatures we accept, what we demand.
        var partnerSigning: KeyPath<PyAS2Peer, PyAS2Peer.Identity> = \.theirs
        var policy = AS2SecurityPolicy(requireSignature: false, requireEncryption: false)
        /// Changes the body on the wire.
        var tamper: ((inout [UInt8]) -> Void)? = nil
    }

    func testTamperedPayloadsAndWrongCertificatesGetTheRightNegativeMDN() throws {
        let payloadFile = interopX12("19_x12types_940_generalmills.edi")
        func c(_ name: String, sign: Bool = true, encrypt: Bool = false, compress: Bool = false, encryptTo: String? = nil) -> PyAS2Peer.Case {
            PyAS2Peer.Case(name: name, sign: sign, encrypt: encrypt, compress: compress, digest: "sha256", mdnDigest: "sha256",
                           payload: payloadFile, contentType: "application/octet-stream", encryptTo: encryptTo)
        }
        /// One letter of the order changed in transit ("Test Order 1" → "Test Order 2").
        func alterOrderNumber(_ body: inout [UInt8]) {
            let needle = Array("Test Order 1".utf8)
            guard let range = body.firstRange(of: needle) else { return XCTFail("the order number is not in the signed body") }
            body[range.upperBound - 1] = UInt8(ascii: "2")
        }
        let expectations = [
            Expectation(testCase: c("tampered-signed"), modifier: .integrityCheckFailed, tamper: alterOrderNumber),
            Expectation(testCase: c("signed-by-someone-else"), modifier: .authenticationFailed, partnerSigning: \.stranger),
            Expectation(testCase: c("encrypted-for-someone-else", encrypt: true, encryptTo: peer.stranger.certificateFile), modifier: .decryptionFailed),
            Expectation(testCase: c("unsigned-where-signing-is-required", sign: false), modifier: .insufficientMessageSecurity,
                        policy: AS2SecurityPolicy(requireSignature: true, requireEncryption: false)),
            Expectation(testCase: c("unencrypted-where-encryption-is-required"), modifier: .insufficientMessageSecurity,
                        policy: AS2SecurityPolicy(requireSignature: true, requireEncryption: true)),
            Expectation(testCase: c("cipher-the-profile-refuses", encrypt: true), modifier: .insufficientMessageSecurity,
                        policy: AS2SecurityPolicy(requireSignature: true, requireEncryption: true, ciphers: [.aes128])),
            Expectation(testCase: c("truncated-compressed-data", sign: false, compress: true), modifier: .decompressionFailed,
                        tamper: { body in body.removeLast(40) }),
        ]
        try peer.run("build", expectations.map(\.testCase))

        for e in expectations {
            let name = e.testCase.name
            let request = try AS2Request(headers: fieldMap(try peer.headers(name + ".headers.json")))
            var body = try peer.bytes(name + ".body")
            e.tamper?(&body)
            let keys = AS2Keys(ourCertificate: peer.ours.certificate, ourKey: peer.ours.key, partnerSigning: [peer[keyPath: e.partnerSigning].certificate])
            let outcome: Result<AS2UnwrappedMessage, AS2ProcessingError>
            do {
                outcome = .success(try AS2Unwrapper.unwrap(request, body: body, keys: keys, policy: e.policy))
            } catch {
                outcome = .failure(error)
            }
            guard case .failure(let error) = outcome else {
                XCTFail("\(name): accepted"); continue
            }
            XCTAssertEqual(error.modifier, e.modifier, "\(name): \(error)")
            let mdn = request.receipt(for: outcome, messageID: AS2Identifiers.messageID(domain: "paklog.test"))
            XCTAssertNil(mdn.mic, "\(name): a negative MDN returns no MIC")
            let rendered = try mdn.rendered(signing: (peer.ours.certificate, peer.ours.key, try XCTUnwrap(request.receiptDigest)))
            try peer.write(headers: rendered.headers, body: rendered.body, as: name + ".mdn")
        }

        try peer.run("verify-mdn", expectations.map(\.testCase))
        for e in expectations {
            let result = try peer.json(e.testCase.name + ".mdn-result.json") as! [String: Any]
            XCTAssertEqual(result["status"] as? String, "processed/error", "\(e.testCase.name): \(result)")
            XCTAssertEqual(result["detail"] as? String, e.modifier.text, "\(e.testCase.name): \(result)")
        }
    }
}
