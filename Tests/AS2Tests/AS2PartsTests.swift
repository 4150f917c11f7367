import AS2
import Codecs
import Foundation
import XCTest

/// The pieces under the interop tests: names partners spell many ways, dispositions, MIME
/// multipart boundaries, CMS CompressedData in its BER forms.
final class AS2PartsTests: XCTestCase {
    func testDigestNamesInEverySpellingPartnersUseKeepTheirSpelling() {
        let cases: [(String, DigestAlgorithm)] = [("sha1", .sha1), ("SHA1", .sha1), ("sha-1", .sha1), ("sha256", .sha256), ("sha-256", .sha256),
                                                  ("SHA-256", .sha256), ("sha2-256", .sha256), ("sha384", .sha384), ("sha-512", .sha512)]
        for (text, algorithm) in cases {
            let name = AS2DigestName(parsing: text)
            XCTAssertEqual(name?.algorithm, algorithm, text)
            XCTAssertEqual(name?.spelling, text, "answered in the partner's spelling")
        }
        XCTAssertNil(AS2DigestName(parsing: "md5"), "MD5 is refused")
        XCTAssertNil(AS2DigestName(parsing: "sha3-256"))
    }

    func testReceiptOptionsAndMICFields() {
        let options = AS2ReceiptOptions(field: "signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, md5, sha-256, sha1")
        XCTAssertTrue(options.signed)
        XCTAssertEqual(options.micAlgorithms.map(\.spelling), ["sha-256", "sha1"])
        XCTAssertEqual(options.unknownAlgorithms, ["md5"])
        XCTAssertFalse(AS2ReceiptOptions(field: nil).signed)

        let mic = AS2MIC(of: Array("abc".utf8), digest: AS2DigestName(.sha256, spelling: "sha256"))
        // SHA-256("abc"), FIPS 180-2 Appendix B.1, in base64.
        XCTAssertEqual(mic.value, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
        let parsed = AS2MIC(field: " ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0= , SHA-256")
        XCTAssertEqual(parsed.map(mic.matches), true, "the same digest however its name is spelt")
        XCTAssertEqual(AS2MIC(field: "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=, sha1").map(mic.matches), false)
        XCTAssertNil(AS2MIC(field: "no-algorithm"))
    }

    func testDispositionsOfRFC4130() {
        XCTAssertEqual(AS2Disposition(field: "automatic-action/MDN-sent-automatically; processed"), .processed)
        XCTAssertEqual(AS2Disposition(field: "automatic-action/MDN-sent-automatically; processed/Error: decryption-failed"), .error(.decryptionFailed))
        XCTAssertEqual(AS2Disposition(field: "automatic-action/MDN-sent-automatically; processed/warning: duplicate-document"), .warning("duplicate-document"))
        XCTAssertEqual(AS2Disposition(field: "automatic-action/MDN-sent-automatically; failed/Failure: unsupported MIC-algorithms"), .failed("unsupported MIC-algorithms"))
        XCTAssertFalse(AS2Disposition.error(.authenticationFailed).isPositive)
        XCTAssertEqual(AS2Disposition.error(.integrityCheckFailed).field, "processed/error: integrity-check-failed")
    }

    func testMultipartPartsAreTheExactBytesBetweenDelimiters() throws {
        let body = Array("preamble\r\n--b1\r\nContent-Type: text/plain\r\n\r\nfirst\r\nline\r\n--b1  \r\nContent-Type: application/octet-stream\r\n\r\nx--b1y\r\n--b1--\r\nepilogue".utf8)
        let entity = MIMEEntity(fields: [("Content-Type", "multipart/mixed; boundary=\"b1\"")], body: body)
        let parts = try entity.parts()
        XCTAssertEqual(parts.count, 2, "a delimiter inside content is not one unless it starts a line")
        XCTAssertEqual(parts[0].raw, Array("Content-Type: text/plain\r\n\r\nfirst\r\nline".utf8), "the CRLF before a delimiter belongs to it")
        XCTAssertEqual(parts[0].body, Array("first\r\nline".utf8))
        XCTAssertEqual(parts[1].body, Array("x--b1y".utf8), "transport padding after a delimiter is skipped; a boundary inside a line is content")
        XCTAssertThrowsError(try MIMEEntity(fields: [("Content-Type", "multipart/signed")], body: body).parts()) { error in
            XCTAssertTrue("\(error)".contains("no boundary"))
        }
        XCTAssertThrowsError(try MIMEEntity(parsing: Array("Content-Type text/plain\r\n\r\nx".utf8))) { error in
            XCTAssertTrue("\(error)".contains("has no ':'"), "\(error)")
        }
    }

    func testCompressedDataRoundTripsAndRefusesBombsAndCorruption() throws {
        let content = Array(String(repeating: "ISA*00*~GS*OW*~ST*940*0001~", count: 2000).utf8)
        let der = CompressedData.compress(content)
        XCTAssertTrue(CompressedData.isCompressedData(der))
        XCTAssertLessThan(der.count, content.count / 20)
        XCTAssertEqual(try CompressedData.decompress(der), content)
        XCTAssertThrowsError(try CompressedData.decompress(der, limit: 1000)) { XCTAssertTrue("\($0)".contains("inflates past 1000")) }
        var corrupt = der
        corrupt[corrupt.count - 3] ^= 0xFF
        XCTAssertThrowsError(try CompressedData.decompress(corrupt))
        XCTAssertThrowsError(try CompressedData.decompress(Array(der.dropLast(10)))) { XCTAssertTrue("\($0)".contains("runs past the end") || "\($0)".contains("truncated"), "\($0)") }
    }

    /// BER as streaming encoders write it (OpenSSL's `-stream`, Java's): indefinite lengths and
    /// the compressed octets in segments of a constructed OCTET STRING.
    func testCompressedDataInIndefiniteLengthBER() throws {
        let content = Array("the same content, streamed".utf8)
        let der = CompressedData.compress(content)
        // Take the zlib stream back out of our DER and wrap it the streaming way.
        let zlib = Array(der.suffix(from: der.firstRange(of: [0x78])!.lowerBound))
        func indefinite(_ tag: UInt8, _ parts: [UInt8]) -> [UInt8] { [tag, 0x80] + parts + [0, 0] }
        func octets(_ bytes: ArraySlice<UInt8>) -> [UInt8] { [0x04, UInt8(bytes.count)] + bytes }
        let segmented = indefinite(0x24, octets(zlib[0..<5]) + octets(zlib[5...]))
        let oid = { (contents: [UInt8]) -> [UInt8] in [0x06, UInt8(contents.count)] + contents }
        let compressedDataOID: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x01, 0x09]
        let zlibOID: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x03, 0x08]
        let dataOID: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01]
        let algorithm = [0x30, UInt8(zlibOID.count + 2)] + oid(zlibOID)
        let encapsulated = indefinite(0x30, oid(dataOID) + indefinite(0xA0, segmented))
        let body = indefinite(0x30, [0x02, 0x01, 0x00] + algorithm + encapsulated)
        let ber = indefinite(0x30, oid(compressedDataOID) + indefinite(0xA0, body))
        XCTAssertEqual(try CompressedData.decompress(ber), content)
    }

    func testAS2NamesAreQuotedWhereRFC4130SaysAndUnquotedOnceOrTwice() {
        XCTAssertEqual(AS2Identifiers.quoted("PAKLOG"), "PAKLOG")
        XCTAssertEqual(AS2Identifiers.quoted("acme 3pl"), "\"acme 3pl\"")
        XCTAssertEqual(AS2Identifiers.unquoted("\"acme 3pl\""), "acme 3pl")
        XCTAssertEqual(AS2Identifiers.unquoted("\"\\\"acme 3pl\\\"\""), "acme 3pl")
        XCTAssertEqual(AS2Identifiers.unbracketed(" <id@host> "), "id@host")
    }
}
