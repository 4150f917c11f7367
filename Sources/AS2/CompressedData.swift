import Codecs

/// CMS CompressedData (RFC 3274) with zlib, the compression of AS2 (RFC 5402). Debian's OpenSSL
/// is built without zlib, so the structure is written and read here.
///
/// ```
/// ContentInfo ::= SEQUENCE { contentType id-ct-compressedData, content [0] EXPLICIT CompressedData }
/// CompressedData ::= SEQUENCE { version 0, compressionAlgorithm SEQUENCE { id-alg-zlibCompress },
///                               encapContentInfo SEQUENCE { id-data, [0] EXPLICIT OCTET STRING } }
/// ```
public enum CompressedData {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The ContentInfo holding `content` compressed with zlib (RFC 1950).
    public static func compress(_ content: [UInt8]) -> [UInt8] {
        let out = Zlib.compress(content, format: .zlib)
        let algorithm = DERElement.encode(DERElement.sequence, DERElement.encode(DERElement.objectIdentifier, CMSObjectIdentifier.zlibCompress))
        let encapsulated = DERElement.encode(DERElement.sequence,
            DERElement.encode(DERElement.objectIdentifier, CMSObjectIdentifier.data)
            + DERElement.encode(DERElement.context0, DERElement.encode(DERElement.octetString, out)))
        let compressed = DERElement.encode(DERElement.sequence, DERElement.encode(DERElement.integer, [0]) + algorithm + encapsulated)
        return DERElement.encode(DERElement.sequence,
            DERElement.encode(DERElement.objectIdentifier, CMSObjectIdentifier.compressedData)
            + DERElement.encode(DERElement.context0, compressed))
    }

    /// Whether `der` is a ContentInfo of type compressed-data.
    public static func isCompressedData(_ der: [UInt8]) -> Bool {
        guard let outer = try? DERElement.read(der[...], at: 0).0, let parts = try? outer.children(), let type = parts.first else { return false }
        return type.tag == DERElement.objectIdentifier && Array(type.contents) == CMSObjectIdentifier.compressedData
    }

    /// The content of a compressed-data ContentInfo. `limit` bounds the inflated size (a
    /// decompression bomb is refused, not expanded).
    public static func decompress(_ der: [UInt8], limit: Int = 512 << 20) throws(Failure) -> [UInt8] {
        let compressed: [UInt8]
        do {
            let outer = try DERElement.read(der[...], at: 0).0
            let parts = try outer.children()
            guard parts.count == 2, parts[0].tag == DERElement.objectIdentifier, Array(parts[0].contents) == CMSObjectIdentifier.compressedData else {
                throw Failure(description: "not a CMS compressed-data ContentInfo")
            }
            guard parts[1].tag == DERElement.context0, let body = try parts[1].children().first, body.tag == DERElement.sequence else {
                throw Failure(description: "compressed-data has no CompressedData")
            }
            let fields = try body.children()
            guard fields.count == 3 else { throw Failure(description: "CompressedData has \(fields.count) fields, expected 3") }
            guard let algorithm = try fields[1].children().first, Array(algorithm.contents) == CMSObjectIdentifier.zlibCompress else {
                throw Failure(description: "compression algorithm is not zlib (1.2.840.113549.1.9.16.3.8)")
            }
            let encapsulated = try fields[2].children()
            guard encapsulated.count == 2, encapsulated[1].tag == DERElement.context0, let octets = try encapsulated[1].children().first else {
                throw Failure(description: "CompressedData carries no content")
            }
            compressed = try octets.octets()
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure(description: "\(error)")
        }
        do { return try Zlib.decompress(compressed, limit: limit) } catch { throw Failure(description: error.description) }
    }
}
