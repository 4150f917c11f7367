import CCurl
import CMosquitto
import COpenSSL
import CSSH2
import CXML2
import Foundation
import Testing

/// Each system library is called once, so a machine without its -dev package fails here, loudly,
/// rather than in the first adapter that needs it.
@Suite("System libraries link and answer")
struct SystemLibraryTests {
    @Test func libcurlReportsItsVersionAndTLS() throws {
        let info = try #require(paklog_curl_version_info_now())
        #expect(info.pointee.version_num >= 0x074A00)  // 7.74 or newer
        #expect(info.pointee.ssl_version != nil)
    }

    @Test func opensslComputesSHA256() {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let input = Array("abc".utf8)
        let ok = EVP_Digest(input, input.count, &digest, &length, EVP_sha256(), nil)
        #expect(ok == 1)
        // FIPS 180-2, appendix B.1: SHA-256("abc")
        let hex = digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
        #expect(hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func libxml2ParsesADocumentWithoutNetwork() throws {
        let xml = Array("<a><b>1</b></a>".utf8)
        let doc = try #require(xml.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) {
                xmlReadMemory($0.baseAddress, Int32($0.count), "inline.xml", nil, Int32(XML_PARSE_NONET.rawValue))
            }
        })
        defer { xmlFreeDoc(doc) }
        let root = try #require(xmlDocGetRootElement(doc))
        #expect(String(cString: root.pointee.name) == "a")
    }

    @Test func libssh2Initialises() {
        #expect(libssh2_init(0) == 0)
        defer { libssh2_exit() }
        let version = libssh2_version(0).map { String(cString: $0) } ?? ""
        #expect(!version.isEmpty)
    }

    @Test func libmosquittoReportsItsVersion() {
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        _ = mosquitto_lib_version(&major, &minor, &revision)
        #expect(major >= 2)
        #expect(mosquitto_lib_init() == MOSQ_ERR_SUCCESS.rawValue)
        #expect(mosquitto_lib_cleanup() == MOSQ_ERR_SUCCESS.rawValue)
    }
}
