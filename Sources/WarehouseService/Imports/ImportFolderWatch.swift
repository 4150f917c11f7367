/// Which files of a watched folder are ready to import: the pure part of
/// `WarehouseImportFolder`, fed one listing per scan.
///
/// A file is ready when two scans in a row saw it with the same size and modification time: a
/// file still being copied in grows between them. Hidden names (`.orders.csv`, as `rsync` and
/// many uploaders write before renaming) and partial ones (`*.part`, `*.tmp`, `*.partial`) are
/// never candidates; only `*.csv` names are. A file renamed in complete is ready at the next scan.
struct ImportFolderWatch: Sendable {
    /// One file as a scan saw it.
    struct Entry: Sendable, Hashable {
        var name: String
        var size: Int64
        /// Modification time, seconds since 1970.
        var modified: Double
    }

    private var previous: [String: Entry] = [:]

    /// Whether a file named `name` is ever imported.
    static func isCandidate(_ name: String) -> Bool {
        let lower = name.lowercased()
        if lower.hasPrefix(".") || lower.hasPrefix("~") { return false }
        for partial in [".part", ".tmp", ".partial", ".crdownload"] where lower.hasSuffix(partial) { return false }
        return lower.hasSuffix(".csv")
    }

    /// The names in `listing` that are ready now, in name order. A ready file is forgotten: if it
    /// is still there at the next scan (its import failed and left it), it needs two scans again.
    mutating func ready(_ listing: [Entry]) -> [String] {
        var next: [String: Entry] = [:]
        var ready: [String] = []
        for entry in listing where Self.isCandidate(entry.name) {
            if previous[entry.name] == entry { ready.append(entry.name) } else { next[entry.name] = entry }
        }
        previous = next
        return ready.sorted()
    }
}
