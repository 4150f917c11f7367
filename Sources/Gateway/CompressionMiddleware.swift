import Codecs
import Hummingbird
import HTTPTypes
import NIOCore

/// Response compression by `Accept-Encoding` (RFC 9110 §12.5.3): gzip, else deflate (the zlib
/// wrapping, §8.4.1.2), for text and JSON bodies of 1 KiB and more; `Vary: Accept-Encoding`
/// either way. The ETag of a compressed answer gets the coding as a suffix, since it is another
/// representation (§8.8.3).
public struct CompressionMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    static var minimumSize: Int { 1024 }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard response.headers[.contentEncoding] == nil, Self.compressible(response.headers[.contentType]) else { return response }
        response.headers.addVary("Accept-Encoding")
        guard let coding = Self.coding(request.headers[.acceptEncoding]),
              let body = try await response.collectedBody(), body.readableBytes >= Self.minimumSize else { return response }
        let compressed = Zlib.compress(Array(body.readableBytesView), format: coding == "gzip" ? .gzip : .zlib, level: 5)
        response.headers[.contentEncoding] = coding
        response.headers[.contentLength] = String(compressed.count)
        if let tag = response.headers[.eTag], tag.hasSuffix("\"") { response.headers[.eTag] = String(tag.dropLast()) + "-" + coding + "\"" }
        response.body = ResponseBody(byteBuffer: ByteBuffer(bytes: compressed))
        return response
    }

    static func compressible(_ contentType: String?) -> Bool {
        guard let type = contentType?.lowercased() else { return false }
        return type.hasPrefix("text/") || type.contains("json") || type.contains("xml")
    }

    /// The coding to use: gzip, then deflate, when the client accepts it (q > 0).
    static func coding(_ field: String?) -> String? {
        guard let field else { return nil }
        var accepted: [String: Double] = [:]
        for item in field.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let name = parts.first, !name.isEmpty else { continue }
            let q = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            accepted[name] = q
        }
        for coding in ["gzip", "deflate"] where (accepted[coding] ?? accepted["*"] ?? 0) > 0 { return coding }
        return nil
    }
}
