/// What a listing or a stat tells about one remote file.
public struct SFTPFileAttributes: Sendable, Hashable {
    public let size: UInt64
    /// Seconds since 1970 (SFTP version 3 has no finer resolution).
    public let modified: Int64
    /// A regular file, as opposed to a directory, link, device or socket.
    public let isRegularFile: Bool
    public let isDirectory: Bool

    public init(size: UInt64, modified: Int64, isRegularFile: Bool, isDirectory: Bool) {
        self.size = size
        self.modified = modified
        self.isRegularFile = isRegularFile
        self.isDirectory = isDirectory
    }
}

/// One usable entry of a directory listing.
public struct SFTPDirectoryEntry: Sendable, Hashable {
    public let name: SFTPRemoteName
    public let attributes: SFTPFileAttributes

    public init(name: SFTPRemoteName, attributes: SFTPFileAttributes) {
        self.name = name
        self.attributes = attributes
    }
}

/// A directory's listing: the entries with safe names, and the names that were refused
/// (reported, never used). `.` and `..` are in neither.
public struct SFTPDirectoryListing: Sendable, Hashable {
    public let entries: [SFTPDirectoryEntry]
    public let rejected: [SFTPRejectedName]

    public init(entries: [SFTPDirectoryEntry], rejected: [SFTPRejectedName]) {
        self.entries = entries
        self.rejected = rejected
    }

    /// The regular files, in name order.
    public var regularFiles: [SFTPDirectoryEntry] {
        entries.filter(\.attributes.isRegularFile).sorted { $0.name < $1.name }
    }
}
