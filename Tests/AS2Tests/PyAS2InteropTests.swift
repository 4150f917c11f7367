import AS2
import PyAS2Support
import Codecs
import Foundation
import XCTest

/// AS2 against pyas2lib, both ways, in every combination of signing, encryption and compression
/// with two digests: what pyas2lib builds we take apart and answer, and pyas2lib checks our MDN
/// (signature and MIC); what we build pyas2lib takes apart, and we check its MDN.
final class PyAS2InteropTests: XCTestCase {
    var peer: PyAS2Peer!

    override func setUpWithError() throws { peer = try PyAS2Peer() }
    override func tearDown() { peer?.remove() }

    /// The partner's policy in these tests: whatever pyas2lib was asked to do is allowed.
    let lenient = AS2SecurityPolicy(requireSignature: false, requireEncryption: false)

    var keys: AS2Keys { AS2Keys(ourCertificate: peer.ours.certificate, ourKey: peer.ours.key, partnerSigning: [peer.theirs.certificate]) }

    /// 8 layer combinations × 2 digests; ciphers and MDN signing vary across them.
    func allCases(payload: String) -> [PyAS2Peer.Case] {
        let ciphers = ["aes_128_cbc", "aes_192_cbc", "aes_256_cbc", "tripledes_192_cbc"]
        var cases: [PyAS2Peer.Case] = []
        for digest in ["sha256", "sha1"] {
            for combination in 0..<8 {
                let sign = combination & 1 != 0, encrypt = combination & 2 != 0, compress = combination & 4 != 0
                cases.append(PyAS2Peer.Case(
                    name: "\(digest)-\(sign ? "s" : "")\(encrypt ? "e" : "")\(compress ? "c" : "")-\(combination)",
                    sign: sign, encrypt: encrypt, compress: compress, digest: digest, cipher: ciphers[(combination + (digest == "sha1" ? 1 : 0)) % 4],
                    mdnDigest: combination % 3 == 2 ? nil : digest, payload: payload, filename: "order-\(combination).edi",
                    contentType: combination % 2 == 0 ? "application/edi-x12" : "application/octet-stream"))
            }
        }
        return cases
    }

    func testMessagesPyAS2LibBuildsAreAcceptedAndPyAS2LibVerifiesOurMDNs() throws {
        let payloadFile = interopX12("19_x12types_940_generalmills.edi")
        let payload = [UInt8](try Data(contentsOf: URL(fileURLWithPath: payloadFile)))
        XCTAssertFalse(payload.contains(13), "the file has bare LF line ends, so canonicalization shows")
        let canonical = Array(String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let cases = allCases(payload: payloadFile)
        try peer.run("build", cases)

        for c in cases {
            let headers = try peer.headers(c.name + ".headers.json")
            let request = try AS2Request(headers: fieldMap(headers))
            XCTAssertEqual(request.as2From, "pyas2 partner", c.name)  // quoted on the wire: it has a space
            let message = try AS2Unwrapper.unwrap(request, body: try peer.bytes(c.name + ".body"), keys: keys, policy: lenient)
            // Inside S/MIME layers pyas2lib sends a text type in canonical form (CRLF line ends, RFC
            // 5751 §3.1.1); octet-stream, and a bare payload, as they are.
            let asIs = c.contentType == "application/octet-stream" || !(c.sign || c.encrypt || c.compress)
            XCTAssertEqual(message.content, asIs ? payload : canonical, c.name)
            XCTAssertEqual(message.filename, c.filename, c.name)
            XCTAssertEqual([message.signed, message.encrypted, message.compressed], [c.sign, c.encrypt, c.compress], c.name)
            if c.encrypt { XCTAssertEqual(message.cipher, AS2Cipher(name: c.cipher), c.name) }
            let state = try peer.json(c.name + ".state.json") as! [String: Any]
            if c.sign {
                // pyas2lib computed its MIC while building; ours must be the same digest of the same bytes.
                XCTAssertEqual(message.mic.value, state["mic"] as? String, c.name)
                XCTAssertEqual(message.signatureDigest, AS2DigestName(parsing: c.digest)?.algorithm, c.name)
            }
            let mdn = request.receipt(for: .success(message), messageID: AS2Identifiers.messageID(domain: "paklog.test"))
            let signing = request.receiptDigest.map { (certificate: peer.ours.certificate, key: peer.ours.key, digest: $0) }
            XCTAssertEqual(signing != nil, c.mdnDigest != nil, c.name)
            let rendered = try mdn.rendered(signing: signing)
            try peer.write(headers: rendered.headers, body: rendered.body, as: c.name + ".mdn")
        }

        try peer.run("verify-mdn", cases)
        for c in cases {
            let result = try peer.json(c.name + ".mdn-result.json") as! [String: Any]
            // "processed/warning" would mean pyas2lib found our MIC different from its own.
            XCTAssertEqual(result["status"] as? String, "processed", "\(c.name): \(result)")
            XCTAssertEqual(result["originalMessageId"] as? String, (try peer.json(c.name + ".state.json") as! [String: Any])["messageId"] as? String)
        }
    }

    func testMessagesWeBuildAreTakenApartByPyAS2LibAndWeVerifyItsMDNs() throws {
        let payload = [UInt8](try Data(contentsOf: URL(fileURLWithPath: interopX12("13_bots_850x4_0x7F-0x15-delims_42KB.x12"))))
        var sent: [String: AS2OutboundMessage] = [:]
        var cases: [PyAS2Peer.Case] = []
        for c in allCases(payload: "") {
            let digest = AS2DigestName(parsing: c.digest)!
            let options = AS2SendOptions(
                as2From: "PAKLOG", as2To: "pyas2 partner",
                signing: c.sign ? (peer.ours.certificate, peer.ours.key, digest) : nil,
                encryption: c.encrypt ? (peer.theirs.certificate, AS2Cipher(name: c.cipher)!) : nil,
                compress: c.compress, receipt: .synchronous(signedWith: c.mdnDigest.flatMap(AS2DigestName.init(parsing:))))
            let message = try AS2OutboundMessage.build(content: payload, mediaType: "application/edi-x12", filename: "po.x12",
                                                       messageID: AS2Identifiers.messageID(domain: "paklog.test"), options: options)
            try peer.write(headers: message.headers, body: message.body, as: c.name)
            sent[c.name] = message
            // pyas2lib's partner settings say what to expect of us (signed/encrypted), and how to sign its MDN.
            cases.append(c)
        }
        try peer.run("receive", cases)

        for c in cases {
            let result = try peer.json(c.name + ".result.json") as! [String: Any]
            XCTAssertEqual(result["status"] as? String, "processed", "\(c.name): \(result)")
            XCTAssertEqual(try peer.bytes(c.name + ".received"), payload, c.name)
            XCTAssertEqual([result["signed"], result["encrypted"], result["compressed"]] as? [Bool], [c.sign, c.encrypt, c.compress], c.name)
            let message = sent[c.name]!
            if c.sign { XCTAssertEqual(result["mic"] as? String, message.mic.value, "\(c.name): pyas2lib's MIC of what we signed") }

            let mdn = try AS2ReceivedMDN.parse(headers: fieldMap(try peer.headers(c.name + ".mdn.headers.json")), body: try peer.bytes(c.name + ".mdn.body"),
                                               partnerCertificates: [peer.theirs.certificate], requireSignature: c.mdnDigest != nil)
            XCTAssertEqual(mdn.signed, c.mdnDigest != nil, c.name)
            XCTAssertEqual(mdn.mdn.originalMessageID, message.messageID, c.name)
            XCTAssertEqual(mdn.mdn.disposition, .processed, c.name)
            if c.sign {
                let mic = try XCTUnwrap(mdn.mdn.mic, "\(c.name): a positive MDN for a signed message carries the MIC")
                XCTAssertTrue(mic.matches(message.mic), "\(c.name): \(mic) vs \(message.mic)")
            }
        }
    }
}
