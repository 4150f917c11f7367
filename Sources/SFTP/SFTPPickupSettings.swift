/// Which directory a pick-up polls and what happens to a file once it is stored.
public struct SFTPPickupSettings: Sendable, Hashable {
    /// What to do with a file after the `store` closure returned.
    public enum Disposal: Sendable, Hashable {
        /// Move it into this directory (created when missing), keeping its name, or a
        /// suffixed one when the name is taken there.
        case archive(directory: String)
        /// Delete it.
        case delete
    }

    /// Suffix of a claimed file: `orders.edi` becomes `orders.edi.paklog-processing`.
    public static let claimSuffix = ".paklog-processing"

    public var directory: String
    public var disposal: Disposal

    /// `disposal` defaults to archiving into `directory/archive`.
    public init(directory: String, disposal: Disposal? = nil) {
        self.directory = directory
        self.disposal = disposal ?? .archive(directory: SFTPPath.join(directory, "archive"))
    }
}
