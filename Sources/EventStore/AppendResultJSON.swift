import JSON

/// The stored form of an `AppendResult` beside its idempotency key:
/// `{"streamVersions":{"order-1":3},"positions":[17,18]}`, plus `"skipped":[0,2]` when appends
/// were skipped for their own keys.
enum AppendResultJSON {
    static func encode(_ result: AppendResult) -> [UInt8] {
        var writer = JSONTextWriter(capacity: 64 + 8 * result.positions.count)
        writer.raw("{\"streamVersions\":{")
        for (index, stream) in result.streamVersions.keys.sorted(by: { $0.rawValue < $1.rawValue }).enumerated() {
            if index > 0 { writer.raw(",") }
            writer.string(stream.rawValue)
            writer.raw(":")
            writer.integer(result.streamVersions[stream]!)
        }
        writer.raw("},\"positions\":[")
        for (index, position) in result.positions.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.integer(position)
        }
        writer.raw("]")
        if !result.skippedAppends.isEmpty {
            writer.raw(",\"skipped\":[")
            for (index, skipped) in result.skippedAppends.sorted().enumerated() {
                if index > 0 { writer.raw(",") }
                writer.integer(Int64(skipped))
            }
            writer.raw("]")
        }
        writer.raw("}")
        return writer.bytes
    }

    /// Decodes a stored result; `wasDuplicate` is set, since whoever reads it is repeating a commit.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> AppendResult {
        var versions: [StreamName: Int64] = [:]
        var positions: [Int64] = []
        var skipped: Set<Int> = []
        var cursor = JSONReader(bytes)
        try cursor.expect(UInt8(ascii: "{"), "'{' opening an append result")
        if !cursor.consume(UInt8(ascii: "}")) {
            repeat {
                let key = try cursor.readString()
                try cursor.expect(UInt8(ascii: ":"), "':' after a key")
                switch key {
                case "streamVersions":
                    try cursor.expect(UInt8(ascii: "{"), "'{' opening streamVersions")
                    if !cursor.consume(UInt8(ascii: "}")) {
                        repeat {
                            let stream = try cursor.readString()
                            try cursor.expect(UInt8(ascii: ":"), "':' after a stream name")
                            guard !stream.isEmpty else { throw cursor.failure("empty stream name") }
                            versions[StreamName(stream)] = try cursor.readInt64()
                        } while cursor.consume(UInt8(ascii: ","))
                        try cursor.expect(UInt8(ascii: "}"), "',' or '}' in streamVersions")
                    }
                case "positions":
                    try cursor.expect(UInt8(ascii: "["), "'[' opening positions")
                    if !cursor.consume(UInt8(ascii: "]")) {
                        repeat { positions.append(try cursor.readInt64()) } while cursor.consume(UInt8(ascii: ","))
                        try cursor.expect(UInt8(ascii: "]"), "',' or ']' in positions")
                    }
                case "skipped":
                    try cursor.expect(UInt8(ascii: "["), "'[' opening skipped")
                    if !cursor.consume(UInt8(ascii: "]")) {
                        repeat { skipped.insert(Int(try cursor.readInt64())) } while cursor.consume(UInt8(ascii: ","))
                        try cursor.expect(UInt8(ascii: "]"), "',' or ']' in skipped")
                    }
                default:
                    try cursor.skipValue()
                }
            } while cursor.consume(UInt8(ascii: ","))
            try cursor.expect(UInt8(ascii: "}"), "',' or '}' in an append result")
        }
        return AppendResult(streamVersions: versions, positions: positions, wasDuplicate: true, skippedAppends: skipped)
    }
}
