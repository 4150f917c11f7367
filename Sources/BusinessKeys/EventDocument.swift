import JSON

/// An event's JSON data read only where the key table looks: each object on a rule's path is
/// scanned once for where its members sit (`JSONReader`, no value tree), and only the values at
/// the paths' ends are parsed. A webhook's whole body is never built as a tree to read its
/// `order_number`; that parse was most of the index's time.
struct EventDocument {
    let bytes: [UInt8]
    /// Member ranges of the objects scanned so far, by their path (nil: the value is no object).
    private var objects: [[String]: [String: Range<Int>]?] = [:]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The strings (and numbers, as written) at `path`; arrays on the way or at the end yield
    /// each element.
    mutating func strings(at path: [String]) -> [String] {
        var range = 0..<bytes.count
        for (i, name) in path.enumerated() {
            let prefix = Array(path[..<i])
            let members: [String: Range<Int>]?
            if let known = objects[prefix] { members = known } else {
                members = Self.members(of: bytes, in: range)
                objects[prefix] = .some(members)
            }
            guard let members else {
                // An array (or a scalar) on the way: the rest of the path is read in its tree.
                return BusinessKeyExtractor.values(at: path[i...], in: try? JSONValue(parsing: bytes[range]))
            }
            guard let next = members[name] else { return [] }
            range = next
        }
        // A number as written: a Double would round an 18-digit id (Shopify's ids pass 2^53).
        if let first = range.first.map({ bytes[$0] }), first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) {
            return [String(decoding: bytes[range], as: UTF8.self)]
        }
        return BusinessKeyExtractor.values(at: [], in: try? JSONValue(parsing: bytes[range]))
    }

    /// The value at `path`, parsed (a `headers` object, say); nil when there is none.
    mutating func value(at path: [String]) -> JSONValue? {
        var range = 0..<bytes.count
        for (i, name) in path.enumerated() {
            let prefix = Array(path[..<i])
            let members: [String: Range<Int>]?
            if let known = objects[prefix] { members = known } else {
                members = Self.members(of: bytes, in: range)
                objects[prefix] = .some(members)
            }
            guard let next = members?[name] else { return nil }
            range = next
        }
        return try? JSONValue(parsing: bytes[range])
    }

    /// Where each member of the object at `range` sits (the first of a repeated name), or nil
    /// when the text there is not an object (or not valid JSON).
    static func members(of bytes: [UInt8], in range: Range<Int>) -> [String: Range<Int>]? {
        bytes.withUnsafeBytes { raw -> [String: Range<Int>]? in
            var reader = JSONReader(UnsafeRawBufferPointer(rebasing: raw[range]))
            do {
                guard reader.consume(UInt8(ascii: "{")) else { return nil }
                var out: [String: Range<Int>] = [:]
                if reader.consume(UInt8(ascii: "}")) { return out }
                repeat {
                    reader.skipWhitespace()
                    let key = try reader.readString()
                    try reader.expect(UInt8(ascii: ":"), "':' after an object key")
                    reader.skipWhitespace()
                    let start = reader.offset
                    try reader.skipValue()
                    if out[key] == nil { out[key] = (range.lowerBound + start)..<(range.lowerBound + reader.offset) }
                } while reader.consume(UInt8(ascii: ","))
                return out
            } catch {
                return nil
            }
        }
    }
}
