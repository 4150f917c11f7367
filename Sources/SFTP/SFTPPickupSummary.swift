/// What one poll of an inbound directory did.
public struct SFTPPickupSummary: Sendable, Hashable, CustomStringConvertible {
    /// A file that could not be taken this time, and why; it is retried on a later poll.
    public struct Failure: Sendable, Hashable, CustomStringConvertible {
        public let name: SFTPRemoteName
        public let reason: String
        public var description: String { "\(name): \(reason)" }
    }

    /// Stored and then archived or deleted.
    public var taken: [SFTPRemoteName] = []
    /// Seen for the first time or changed since the previous poll: maybe still being written.
    public var unstable: [SFTPRemoteName] = []
    /// Claimed by someone else between our listing and our claim.
    public var claimedElsewhere: [SFTPRemoteName] = []
    /// Claimed but not finished (a failed read, a throwing store, a failed archive): it stays
    /// claimed and is taken over by the next poll.
    public var failed: [Failure] = []
    /// Names the server listed that are not safe path components; never touched.
    public var rejected: [SFTPRejectedName] = []

    public init() {}

    public var description: String {
        "taken \(taken.count), unstable \(unstable.count), claimed elsewhere \(claimedElsewhere.count), "
            + "failed \(failed.count), rejected names \(rejected.count)"
    }
}
