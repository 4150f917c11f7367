/// Decides which files in a polled directory have stopped changing.
///
/// SFTP has no "upload finished" signal: a partner's client writes the file in place, and a
/// poll that lists it mid-transfer sees a prefix. A file is taken only when two consecutive polls
/// saw the same size and modification time; a file that changed, or was seen for the first time,
/// waits for the next poll. Names that disappear are forgotten, so a file that comes back later
/// starts over. Pure: the pick-up routine is its I/O shell.
public struct StableFileTracker: Sendable {
    /// What one poll saw of a file.
    public struct Observation: Sendable, Hashable {
        public let name: SFTPRemoteName
        public let size: UInt64
        public let modified: Int64

        public init(name: SFTPRemoteName, size: UInt64, modified: Int64) {
            self.name = name
            self.size = size
            self.modified = modified
        }
    }

    /// Size and mtime as seen by the previous poll.
    private var previous: [SFTPRemoteName: Observation] = [:]

    public init() {}

    /// Records one poll's regular files and returns those unchanged since the previous poll, in
    /// name order. Every name absent from `files` is forgotten.
    public mutating func observe(_ files: [Observation]) -> [Observation] {
        var next: [SFTPRemoteName: Observation] = [:]
        next.reserveCapacity(files.count)
        var stable: [Observation] = []
        for file in files {
            if let before = previous[file.name], before == file { stable.append(file) }
            next[file.name] = file
        }
        previous = next
        return stable.sorted { $0.name < $1.name }
    }

    /// Records one file as seen now, between polls (a claim whose attributes were just read):
    /// the next poll finds it stable if it is still so.
    public mutating func remember(_ file: Observation) { previous[file.name] = file }

    /// Names currently remembered (seen in the last poll).
    public var trackedCount: Int { previous.count }
}
