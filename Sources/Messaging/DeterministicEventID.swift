import Codecs
import Foundation

/// Name-based UUIDs for the events a handler derives from a cause. Re-handling the same cause
/// yields the same ids, so the store's id check turns a replay into a no-op instead of a second
/// copy.
///
/// A cause with a time-ordered id (version 7, or an id made here from one) gets a version-8 id
/// (RFC 9562 §5.8, custom): the cause's 48-bit millisecond timestamp, then the SHA-1 of namespace
/// and name as in version 5. Still a function of cause and step, but it lands beside its cause in
/// the store's id index instead of on a random page. Other causes keep version 5 (§5.5), so
/// replays of events stored before time-ordered ids existed derive the ids they derived then.
public enum DeterministicEventID {
    /// The namespace of every PakLog messaging id (a fixed random UUID, never to change: changing
    /// it would make every replay write new events).
    public static let namespace = UUID(uuidString: "5B0E7F44-6A38-4C4B-9E35-0D6C2A1F9B21")!

    /// The id of the effect named `step` of the cause `cause` (e.g. the source event's id and
    /// `"route:orders/to:fedex"`).
    public static func make(cause: UUID, step: String) -> UUID {
        let named = make(namespace: namespace, name: cause.uuidString.lowercased() + "/" + step)
        let version = cause.uuid.6 >> 4
        guard version == 7 || version == 8 else { return named }
        let c = cause.uuid, n = named.uuid
        return UUID(uuid: (c.0, c.1, c.2, c.3, c.4, c.5,
                           0x80 | (n.6 & 0x0F), n.7, n.8, n.9, n.10, n.11, n.12, n.13, n.14, n.15))
    }

    /// A version-5 UUID of `name` in `namespace`.
    public static func make(namespace: UUID, name: String) -> UUID {
        var input = withUnsafeBytes(of: namespace.uuid) { Array($0) }
        input.append(contentsOf: name.utf8)
        var digest = Digest.hash(input, .sha1)
        digest[6] = (digest[6] & 0x0F) | 0x50  // version 5
        digest[8] = (digest[8] & 0x3F) | 0x80  // RFC 9562 variant
        return UUID(uuid: (digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
                           digest[8], digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15]))
    }
}
