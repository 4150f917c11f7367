import Codecs
import Testing

@Suite("SHA digests through OpenSSL")
struct DigestTests {
    // FIPS 180-2 Appendix A–D, the one-block message "abc".
    @Test("the FIPS 180 \"abc\" examples", arguments: [
        (DigestAlgorithm.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (.sha384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
        (.sha512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
    ])
    func fipsExamples(algorithm: DigestAlgorithm, expected: String) {
        let digest = Digest.hash(Array("abc".utf8), algorithm)
        #expect(Hex.encode(digest) == expected)
        #expect(digest.count == algorithm.digestLength)
    }

    @Test("a non-contiguous collection hashes like its bytes in an array")
    func anyCollection() {
        let text = "what do ya want for nothing?"
        #expect(Digest.hash(text.utf8.lazy.map { $0 }, .sha256) == Digest.hash(Array(text.utf8), .sha256))
    }
}

@Suite("Random bytes")
struct SecureRandomTests {
    @Test("gives the asked number of bytes, different each time")
    func lengthAndDifference() {
        #expect(SecureRandom.bytes(0).isEmpty)
        let a = SecureRandom.bytes(32), b = SecureRandom.bytes(32)
        #expect(a.count == 32 && b.count == 32)
        // 2^-256 chance of a false failure.
        #expect(a != b)
    }
}
