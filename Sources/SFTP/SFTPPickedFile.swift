import Codecs

/// One inbound file handed to the pick-up's `store` closure.
public struct SFTPPickedFile: Sendable, Hashable {
    /// The name the partner gave the file (without the claim's suffix).
    public let name: SFTPRemoteName
    public let size: UInt64
    /// Seconds since 1970, as the server listed it.
    public let modified: Int64
    public let content: [UInt8]
    /// SHA-256 of ``content``.
    public let contentDigest: [UInt8]

    public init(name: SFTPRemoteName, size: UInt64, modified: Int64, content: [UInt8]) {
        self.name = name
        self.size = size
        self.modified = modified
        self.content = content
        contentDigest = Digest.hash(content, .sha256)
    }

    /// `sha256:<hex>` of the content: a key for the durable commit that stays the same when a
    /// file is taken twice (stored, then the process died before it was archived), and when a
    /// partner sends the same content under a new name, which is usually a resend.
    public var contentKey: String { "sha256:" + Hex.encode(contentDigest) }
}
