import CZlib

/// zlib's deflate (RFC 1951) in its three wrappings: zlib (RFC 1950: AS2 CompressedData, HTTP
/// `deflate`), gzip (RFC 1952: HTTP `gzip`) and raw.
public enum Zlib {
    public enum Format: Sendable {
        case zlib, gzip, raw

        /// zlib's windowBits for the wrapping: 15 (zlib), 15 + 16 (gzip), -15 (raw).
        var windowBits: Int32 {
            switch self {
            case .zlib: 15
            case .gzip: 31
            case .raw: -15
            }
        }
    }

    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// `bytes` compressed at `level` (1 fastest … 9 smallest).
    public static func compress(_ bytes: [UInt8], format: Format = .zlib, level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        // deflateInit2 fails only for bad parameters (ours are fixed) or no memory.
        precondition(deflateInit2_(&stream, level, Z_DEFLATED, format.windowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                                   Int32(MemoryLayout<z_stream>.size)) == Z_OK, "zlib deflateInit2 failed")
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        var input = bytes
        let produced = input.withUnsafeMutableBufferPointer { i in
            out.withUnsafeMutableBufferPointer { o in
                stream.next_in = i.baseAddress
                stream.avail_in = uInt(i.count)
                stream.next_out = o.baseAddress
                stream.avail_out = uInt(o.count)
                // deflateBound leaves room for all of it: one call with Z_FINISH ends the stream.
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END, "zlib deflate did not finish")
                return o.count - Int(stream.avail_out)
            }
        }
        out.removeSubrange(produced...)
        return out
    }

    /// The inflated `input`; `limit` bounds the result (a decompression bomb is refused).
    public static func decompress(_ input: [UInt8], format: Format = .zlib, limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, format.windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
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
