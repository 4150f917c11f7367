import COpenSSL
import Foundation

/// Name-based UUIDs (RFC 9562 §5.5, version 5: SHA-1 of namespace + name) for the events a
/// handler derives from a cause. Re-handling the same cause yields the same ids, so the store's
/// id check turns a replay into a no-op instead of a second copy.
public enum DeterministicEventID {
    /// The namespace of every PakLog messaging id (a fixed random UUID, never to change: changing
    /// it would make every replay write new events).
    public static let namespace = UUID(uuidString: "5B0E7F44-6A38-4C4B-9E35-0D6C2A1F9B21")!

    /// The id of the effect named `step` of the cause `cause` (e.g. the source event's id and
    /// `"route:orders/to:fedex"`).
    public static func make(cause: UUID, step: String) -> UUID {
        make(namespace: namespace, name: cause.uuidString.lowercased() + "/" + step)
    }

    /// A version-5 UUID of `name` in `namespace`.
    public static func make(namespace: UUID, name: String) -> UUID {
        var input = withUnsafeBytes(of: namespace.uuid) { Array($0) }
        input.append(contentsOf: name.utf8)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = input.withUnsafeBytes { raw in
            digest.withUnsafeMutableBytes { out in
                EVP_Digest(raw.baseAddress, raw.count, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length, EVP_sha1(), nil)
            }
        }
        precondition(ok == 1 && length == 20, "OpenSSL SHA-1 failed")
        digest[6] = (digest[6] & 0x0F) | 0x50  // version 5
        digest[8] = (digest[8] & 0x3F) | 0x80  // RFC 9562 variant
        return UUID(uuid: (digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
                           digest[8], digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15]))
    }
}
