#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file through ``X12StreamParser`` with one fixed buffer, so that memory stays bounded
/// by the buffer plus what the handler keeps, whatever the file size.
public enum X12FileReader {
    /// Why a file could not be read (the X12 problems go to the handler, not here).
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var errno: Int32
        public var description: String { "cannot read \(path): \(String(cString: strerror(errno)))" }
    }

    /// Parses the file at `path` in chunks of `bufferSize` bytes.
    public static func parse<H: X12SegmentHandler>(path: String, bufferSize: Int = 1 << 16, into handler: inout H) throws(ReadError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ReadError(path: path, errno: errno) }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        var parser = X12StreamParser()
        while true {
            let n = read(fd, buffer.baseAddress, bufferSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(path: path, errno: errno)
            }
            if n == 0 { break }
            parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), into: &handler)
        }
        parser.finish(into: &handler)
    }
}
