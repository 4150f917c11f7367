import OrderedCollections

/// Builds `JSONValue`s from JSON text (RFC 8259) with the checks of `JSONReader`. A repeated
/// object key keeps its first position and its last value, as `JSON.parse` does.
enum JSONParser {
    static func parse(_ bytes: some Collection<UInt8>, replacingLoneSurrogates: Bool = false) throws(JSONSyntaxError) -> JSONValue {
        try JSONReader.reading(bytes) { reader throws(JSONSyntaxError) in
            reader.replacesLoneSurrogates = replacingLoneSurrogates
            let value = try parseValue(&reader)
            try reader.expectEnd()
            return value
        }
    }

    static func parseValue(_ reader: inout JSONReader) throws(JSONSyntaxError) -> JSONValue {
        reader.skipWhitespace()
        guard let byte = reader.peek() else { throw reader.failure("expected a value, found the end") }
        switch byte {
        case UInt8(ascii: "{"):
            try reader.enter()
            var object = OrderedDictionary<String, JSONValue>()
            if !reader.consume(UInt8(ascii: "}")) {
                repeat {
                    reader.skipWhitespace()
                    guard reader.peek() == UInt8(ascii: "\"") else {
                        throw reader.failure(reader.isAtEnd ? "expected an object key, found the end" : "expected an object key")
                    }
                    let key = try reader.readString()
                    try reader.expect(UInt8(ascii: ":"), "':' after an object key")
                    object[key] = try parseValue(&reader)
                } while reader.consume(UInt8(ascii: ","))
                try reader.expect(UInt8(ascii: "}"), "',' or '}' in an object")
            }
            reader.leave()
            return .object(object)
        case UInt8(ascii: "["):
            try reader.enter()
            var array: [JSONValue] = []
            if !reader.consume(UInt8(ascii: "]")) {
                repeat { array.append(try parseValue(&reader)) } while reader.consume(UInt8(ascii: ","))
                try reader.expect(UInt8(ascii: "]"), "',' or ']' in an array")
            }
            reader.leave()
            return .array(array)
        case UInt8(ascii: "\""):
            return .string(try reader.readString())
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
}
