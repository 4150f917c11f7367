import Codecs
import Testing

@Suite("HMAC through OpenSSL")
struct HMACTests {
    // RFC 4231 §4.2, §4.3, §4.7 (HMAC-SHA256) and RFC 2202 §3 test cases 1 and 2 (HMAC-SHA1).
    @Test("RFC 4231 and RFC 2202 test cases", arguments: [
        (DigestAlgorithm.sha256, [UInt8](repeating: 0x0b, count: 20), "Hi There",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (.sha256, Array("Jefe".utf8), "what do ya want for nothing?",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (.sha256, [UInt8](repeating: 0xaa, count: 131), "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        (.sha1, [UInt8](repeating: 0x0b, count: 20), "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"),
        (.sha1, Array("Jefe".utf8), "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
    ])
    func publishedTestCases(algorithm: DigestAlgorithm, key: [UInt8], message: String, expected: String) {
        let code = HMAC.authenticationCode(algorithm: algorithm, key: key, message: Array(message.utf8))
        #expect(Hex.encode(code) == expected)
        #expect(code.count == algorithm.digestLength)
    }

    @Test("feeding the message in parts gives the same code as in one piece")
    func incrementalEqualsOneShot() {
        let message = Array("what do ya want for nothing?".utf8)
        let whole = HMAC.authenticationCode(algorithm: .sha256, key: Array("Jefe".utf8), message: message)
        for cut in 0...message.count {
            let parts = HMAC.authenticationCode(
                algorithm: .sha256, key: Array("Jefe".utf8), parts: [Array(message[..<cut]), [], Array(message[cut...])])
            #expect(parts == whole)
        }
    }

    @Test("an empty key and empty message give the HMAC of the empty key (computed by CPython's hmac)")
    func emptyKey() {
        let code = HMAC.authenticationCode(algorithm: .sha256, key: [], message: [UInt8]())
        #expect(Hex.encode(code) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }
}

@Suite("Constant-time comparison")
struct ConstantTimeComparisonTests {
    @Test("equal bytes compare equal")
    func equal() {
        #expect(ConstantTimeComparison.areEqual([1, 2, 3], [1, 2, 3]))
        #expect(ConstantTimeComparison.areEqual([], []))
    }

    @Test("a difference in any position is found")
    func differenceAnywhere() {
        let reference = [UInt8](repeating: 0x5A, count: 32)
        for position in reference.indices {
            var other = reference
            other[position] ^= 0x80
            #expect(!ConstantTimeComparison.areEqual(reference, other))
        }
    }

    @Test("different lengths never compare equal, even when one is a prefix of the other")
    func differentLengths() {
        #expect(!ConstantTimeComparison.areEqual([1, 2, 3], [1, 2]))
        #expect(!ConstantTimeComparison.areEqual([], [0]))
    }

    @Test("a prepared key gives the published codes, also from many tasks at once")
    func preparedKeyUnderConcurrency() async {
        let key = HMACKey(algorithm: .sha512, key: Array("Jefe".utf8))
        let message = Array("what do ya want for nothing?".utf8)
        // RFC 4231 §4.3, HMAC-SHA-512.
        let expected = "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        #expect(Hex.encode(HMAC.authenticationCode(key: key, message: message)) == expected)
        let codes = await withTaskGroup(of: Set<String>.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var seen = Set<String>()
                    for _ in 0..<500 { seen.insert(Hex.encode(HMAC.authenticationCode(key: key, message: message))) }
                    return seen
                }
            }
            return await group.reduce(into: Set<String>()) { $0.formUnion($1) }
        }
        #expect(codes == [expected])
    }
}
