import JSON
import Testing
@testable import EventStore

/// The store's own JSON documents: event metadata and the append results kept with idempotency keys.
@Suite("Stored JSON of the event store")
struct StoredJSONTests {
    @Test("metadata round-trips through its stored JSON, escapes included")
    func metadataRoundTrip() throws {
        let metadata = EventMetadata(correlationId: "c-\"1\"", causationId: nil, source: "line\nbreak\ttab\u{01}",
                                     extra: ["traceparent": "00-4bf92f3577b34da6-01", "ünï": "çødé 😀", "back\\slash": ""])
        let stored = EventMetadataJSON.encode(metadata)
        let decoded = try stored.withUnsafeBytes { try EventMetadataJSON.decode($0) }
        #expect(decoded == metadata)
        #expect((try? JSONText.validate(stored)) != nil)
        #expect(EventMetadataJSON.encode(EventMetadata()) == Array("{}".utf8))
    }

    @Test("equal metadata is stored as equal bytes, whatever the dictionary order")
    func metadataIsCanonical() {
        var first = EventMetadata()
        var second = EventMetadata()
        for key in ["b", "a", "d", "c"] { first.extra[key] = key.uppercased() }
        for key in ["c", "d", "a", "b"] { second.extra[key] = key.uppercased() }
        #expect(EventMetadataJSON.encode(first) == EventMetadataJSON.encode(second))
    }

    @Test("metadata written by a newer version with unknown members still decodes")
    func metadataUnknownMembers() throws {
        let stored = Array(#"{"source":"erp","schema":{"v":[1,2]},"extra":{"k":"v"},"correlationId":null}"#.utf8)
        let decoded = try stored.withUnsafeBytes { try EventMetadataJSON.decode($0) }
        #expect(decoded == EventMetadata(source: "erp", extra: ["k": "v"]))
    }

    @Test("stored append results decode with their versions and positions")
    func appendResultRoundTrip() throws {
        let result = AppendResult(streamVersions: ["order-1": 3, "wave-\"x\"": 0], positions: [17, 18, 19], wasDuplicate: false)
        let decoded = try AppendResultJSON.encode(result).withUnsafeBytes { try AppendResultJSON.decode($0) }
        #expect(decoded == AppendResult(streamVersions: result.streamVersions, positions: result.positions, wasDuplicate: true))
    }
}
