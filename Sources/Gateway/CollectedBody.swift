import Hummingbird
import NIOCore

/// Gathers a response body that was given whole (a known length), so that a middleware can look
/// at it (hash it, compress it); streamed bodies are left alone. The writer is consumed by the
/// body, so what it gathers is kept in a box the middleware still holds.
struct CollectingWriter: ResponseBodyWriter {
    final class Box: @unchecked Sendable {
        // @unchecked: written by one body write, read after it returns.
        var buffer = ByteBuffer()
    }

    let box: Box

    mutating func write(_ part: ByteBuffer) async throws {
        var part = part
        box.buffer.writeBuffer(&part)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

extension Response {
    /// The body's bytes when it has a known length up to `limit`; nil otherwise.
    func collectedBody(limit: Int = 8 << 20) async throws -> ByteBuffer? {
        guard let length = body.contentLength, length <= limit else { return nil }
        let box = CollectingWriter.Box()
        try await body.write(CollectingWriter(box: box))
        return box.buffer
    }
}
