import Codecs
import Collections
import Foundation
import JSON

/// A message body that is not JSON (X12, XML, CSV, a PDF or ZPL label, multipart …): its bytes
/// exactly as received or produced, and their media type. The log keeps the bytes (base64 inside
/// the event, which decodes to the same bytes, never a re-encoded string), and an endpoint sends
/// them with `mediaType` as their `Content-Type`.
public struct RawBody: Sendable, Equatable {
    public var bytes: [UInt8]
    /// A media type such as `application/edi-x12` or `application/pdf`.
    public var mediaType: String

    public static let defaultMediaType = "application/octet-stream"

    public init(bytes: [UInt8], mediaType: String?) {
        self.bytes = bytes
        let trimmed = mediaType?.trimmingCharacters(in: .whitespaces) ?? ""
        self.mediaType = trimmed.isEmpty ? Self.defaultMediaType : trimmed
    }

    /// What routes see of the body (`body` in their expressions): the text, as today for any
    /// non-JSON body. A parser for the media type (X12, XML) replaces this view where one exists;
    /// the bytes stay as they are.
    public var view: JSONValue { .string(String(decoding: bytes, as: UTF8.self)) }

    var jsonObject: JSONValue {
        var o = OrderedDictionary<String, JSONValue>()
        o["mediaType"] = .string(mediaType)
        o["base64"] = .string(Base64.encode(bytes))
        return .object(o)
    }

    /// The raw body stored under `field` of `p` (nil when absent).
    static func read(_ field: String, of p: JSONFieldReader) throws(JSONFieldError) -> RawBody? {
        guard let value = p.optional(field) else { return nil }
        let r = try JSONFieldReader(subject: "\(p.subject) field '\(field)'", value: value)
        guard let bytes = try? Base64.decode(try r.string("base64")) else {
            throw JSONFieldError(subject: p.subject, field: "\(field).base64", problem: "is not base64")
        }
        return RawBody(bytes: bytes, mediaType: try r.string("mediaType"))
    }
}
