import JSON

/// The stored form of `EventMetadata`: a JSON object
/// `{"correlationId":…,"causationId":…,"source":…,"extra":{…}}` with absent members left out, so
/// the common empty metadata is the two bytes `{}`.
enum EventMetadataJSON {
    static func encode(_ metadata: EventMetadata) -> [UInt8] {
        if metadata.correlationId == nil, metadata.causationId == nil, metadata.source == nil, metadata.extra.isEmpty {
            return [UInt8(ascii: "{"), UInt8(ascii: "}")]
        }
        var writer = JSONTextWriter()
        writer.raw("{")
        var first = true
        func separator(_ writer: inout JSONTextWriter) {
            if !first { writer.raw(",") }
            first = false
        }
        if let value = metadata.correlationId {
            separator(&writer); writer.raw("\"correlationId\":"); writer.string(value)
        }
        if let value = metadata.causationId {
            separator(&writer); writer.raw("\"causationId\":"); writer.string(value)
        }
        if let value = metadata.source {
            separator(&writer); writer.raw("\"source\":"); writer.string(value)
        }
        if !metadata.extra.isEmpty {
            separator(&writer)
            writer.raw("\"extra\":{")
            // Sorted keys: the stored bytes of equal metadata are equal, which the event-id
            // idempotency check relies on.
            for (index, key) in metadata.extra.keys.sorted().enumerated() {
                if index > 0 { writer.raw(",") }
                writer.string(key)
                writer.raw(":")
                writer.string(metadata.extra[key]!)
            }
            writer.raw("}")
        }
        writer.raw("}")
        return writer.bytes
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> EventMetadata {
        if bytes.count == 2, bytes[0] == UInt8(ascii: "{"), bytes[1] == UInt8(ascii: "}") { return EventMetadata() }
        var metadata = EventMetadata()
        var cursor = JSONReader(bytes)
        try cursor.expect(UInt8(ascii: "{"), "'{' opening the metadata")
        if !cursor.consume(UInt8(ascii: "}")) {
            repeat {
                let key = try cursor.readString()
                try cursor.expect(UInt8(ascii: ":"), "':' after a metadata key")
                switch key {
                case "correlationId": metadata.correlationId = try cursor.readOptionalString()
                case "causationId": metadata.causationId = try cursor.readOptionalString()
                case "source": metadata.source = try cursor.readOptionalString()
                case "extra":
                    try cursor.expect(UInt8(ascii: "{"), "'{' opening metadata.extra")
                    if !cursor.consume(UInt8(ascii: "}")) {
                        repeat {
                            let name = try cursor.readString()
                            try cursor.expect(UInt8(ascii: ":"), "':' after a metadata.extra key")
                            metadata.extra[name] = try cursor.readString()
                        } while cursor.consume(UInt8(ascii: ","))
                        try cursor.expect(UInt8(ascii: "}"), "',' or '}' in metadata.extra")
                    }
                default:
                    // Written by a newer version: keep reading what we know.
                    try cursor.skipValue()
                }
            } while cursor.consume(UInt8(ascii: ","))
            try cursor.expect(UInt8(ascii: "}"), "',' or '}' in the metadata")
        }
        return metadata
    }
}
