import OrderedCollections

/// Builds `JSONValue`s from JSON text (RFC 8259) with the checks of `JSONReader`. A repeated
/// object key keeps its first position and its last value, as `JSON.parse` does.
enum JSONParser {
    static func parse(_ bytes: some Collection<UInt8>, replacingLoneSurrogates: Bool = false) throws(JSONSyntaxError) -> JSONValue {
        // Only concrete types from here on: a generic helper (`JSONReader.reading`) instantiates
        // generic metadata at run time on every call, a fifth of the time of a small document.
        let outcome = bytes.withContiguousStorageIfAvailable {
            parse(UnsafeRawBufferPointer($0), replacingLoneSurrogates: replacingLoneSurrogates)
        } ?? Array(bytes).withUnsafeBytes { parse($0, replacingLoneSurrogates: replacingLoneSurrogates) }
        return try outcome.get()
    }

    private static func parse(_ buffer: UnsafeRawBufferPointer, replacingLoneSurrogates: Bool) -> Result<JSONValue, JSONSyntaxError> {
        var builder = JSONTreeBuilder(JSONReader(buffer))
        builder.reader.replacesLoneSurrogates = replacingLoneSurrogates
        do throws(JSONSyntaxError) {
            let value = try builder.parseValue()
            try builder.reader.expectEnd()
            return .success(value)
        } catch {
            return .failure(error)
        }
    }
}

/// One parse's reader and the scratch stacks its containers are built on.
struct JSONTreeBuilder: ~Copyable {
    var reader: JSONReader
    private var values = JSONScratchStack<JSONValue>()
    private var keys = JSONObjectKeys()

    init(_ reader: JSONReader) { self.reader = reader }

    mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        reader.skipWhitespace()
        guard let byte = reader.peek() else { throw reader.failure("expected a value, found the end") }
        switch byte {
        case UInt8(ascii: "{"):
            return .object(try parseObject())
        case UInt8(ascii: "["):
            try reader.enter()
            let start = values.count
            if !reader.consume(UInt8(ascii: "]")) {
                repeat {
                    let element = try parseValue()
                    values.push(element)
                } while reader.consume(UInt8(ascii: ","))
                try reader.expect(UInt8(ascii: "]"), "',' or ']' in an array")
            }
            reader.leave()
            return .array(values.popArray(from: start))
        case UInt8(ascii: "\""):
            return .string(try reader.readStringBody())
        case UInt8(ascii: "t"):
            try reader.literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try reader.literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try reader.literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try reader.number(building: true))
        default:
            throw reader.unexpectedByte(byte)
        }
    }

    /// An object (its `{` is next).
    private mutating func parseObject() throws(JSONSyntaxError) -> OrderedDictionary<String, JSONValue> {
        try reader.enter()
        let keyStart = keys.count
        let valueStart = values.count
        if !reader.consume(UInt8(ascii: "}")) {
            repeat {
                reader.skipWhitespace()
                guard reader.peek() == UInt8(ascii: "\"") else {
                    throw reader.failure(reader.isAtEnd ? "expected an object key, found the end" : "expected an object key")
                }
                try readKey()
                try reader.expect(UInt8(ascii: ":"), "':' after an object key")
                let value = try parseValue()
                values.push(value)
            } while reader.consume(UInt8(ascii: ","))
            try reader.expect(UInt8(ascii: "}"), "',' or '}' in an object")
        }
        reader.leave()
        return keys.popObject(keyStart: keyStart, values: &values, valueStart: valueStart)
    }

    /// Reads a key (its opening quote is next) onto `keys`.
    private mutating func readKey() throws(JSONSyntaxError) {
        reader.offset += 1
        let start = reader.offset
        var ascii = true
        guard try reader.scanUnescaped(ascii: &ascii) else {
            keys.pushOther(try reader.readEscapedString(from: start))
            return
        }
        let count = reader.offset - 1 - start
        if ascii {
            keys.pushPlainASCII(reader.bytes, offset: start, count: count)
        } else {
            keys.pushOther(String(decoding: UnsafeRawBufferPointer(rebasing: reader.bytes[start..<(start + count)]), as: UTF8.self))
        }
    }
}
