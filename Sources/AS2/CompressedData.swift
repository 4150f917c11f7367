import CZlib

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
        var bound = compressBound(uLong(content.count))
        var out = [UInt8](repeating: 0, count: Int(bound))
        let status = content.withUnsafeBufferPointer { input in
            compress2(&out, &bound, input.baseAddress, uLong(input.count), 6)
        }
        // compress2 fails only for a too-small buffer (compressBound rules that out) or no memory.
        precondition(status == Z_OK, "zlib compress2 failed with status \(status)")
        out.removeSubrange(Int(bound)...)
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
        return try inflate(compressed, limit: limit)
    }

    private static func inflate(_ input: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(description: "zlib inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        // Inflated straight into the result, which grows by doubling (EDI compresses 5–10×).
        var out = [UInt8](repeating: 0, count: max(4096, min(limit + 1, input.count * 8)))
        var produced = 0
        var status: Int32 = Z_OK
        var input = input
        input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            while true {
                if produced == out.count {
                    guard out.count <= limit else { break }
                    out.append(contentsOf: repeatElement(0, count: min(out.count, limit + 1 - out.count + 1)))
                }
                out.withUnsafeMutableBufferPointer { o in
                    stream.next_out = o.baseAddress! + produced
                    stream.avail_out = uInt(o.count - produced)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    produced = o.count - Int(stream.avail_out)
                }
                if status != Z_OK || produced > limit { break }
                if stream.avail_in == 0 && stream.avail_out > 0 { break }
            }
        }
        if produced > limit { throw Failure(description: "compressed content inflates past \(limit) bytes") }
        guard status == Z_STREAM_END else { throw Failure(description: "zlib stream is corrupt or truncated (status \(status))") }
        out.removeSubrange(produced...)
        return out
    }
}
