import Codecs
import Logging

/// Takes inbound files from one directory of a partner's server into the caller's store: never
/// half-written, never lost at a crash, and with an idempotent store exactly once in effect.
///
/// Per poll: list the directory; ask the ``StableFileTracker`` which files kept their size and
/// mtime since the previous poll; claim each by renaming `name` to `name.paklog-processing`
/// (OpenSSH refuses a rename onto an existing name, so of two pollers only one wins); read it;
/// hand it to `store`, the caller's durable commit; and only after `store` returned, archive or
/// delete it. A file that changed between the listing and the read stays claimed. A crash or a
/// throwing `store` leaves the claimed file in place, and a later poll takes it over once it held
/// still across two polls: `store` may therefore see a file twice and must be idempotent (by
/// ``SFTPPickedFile/contentKey`` or by name, size and mtime). Names starting with `.` are
/// skipped: by convention they are uploads in progress (ours are, see
/// ``SFTPConnection/upload(_:directory:name:)``).
///
/// ```swift
/// var pickup = SFTPPickup(SFTPPickupSettings(directory: "/inbound"), logger: logger)
/// let summary = try await pickup.poll(connection) { file in try await ledger.commit(file) }
/// ```
public struct SFTPPickup: Sendable {
    public let settings: SFTPPickupSettings
    private var tracker = StableFileTracker()
    /// Claimed files found at the start of a poll (left by a crash, or still growing when read):
    /// taken only once they too held still across two polls.
    private var claimTracker = StableFileTracker()
    private var logger: Logger

    public init(_ settings: SFTPPickupSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        self.logger[metadataKey: "sftp.directory"] = "\(settings.directory)"
    }

    /// One poll. Throws only when the directory cannot be listed or the connection is lost
    /// (reconnect and poll again); each file's own failure is in the summary.
    public mutating func poll(
        _ connection: SFTPConnection, store: (SFTPPickedFile) async throws -> Void
    ) async throws(SFTPError) -> SFTPPickupSummary {
        let listing = try await connection.list(settings.directory)
        var summary = SFTPPickupSummary()
        summary.rejected = listing.rejected
        for rejected in listing.rejected {
            logger.warning("SFTP file with an unsafe name ignored", metadata: ["sftp.name": "\(rejected)"])
        }
        var leftovers: [(name: SFTPRemoteName, entry: SFTPDirectoryEntry)] = []
        var candidates: [StableFileTracker.Observation] = []
        for entry in listing.regularFiles where !entry.name.value.hasPrefix(".") {
            if let original = Self.claimedOriginal(entry.name) {
                leftovers.append((original, entry))
            } else {
                candidates.append(.init(name: entry.name, size: entry.attributes.size, modified: entry.attributes.modified))
            }
        }
        let stable = tracker.observe(candidates)
        let stableNames = Set(stable.map(\.name))
        summary.unstable = candidates.map(\.name).filter { !stableNames.contains($0) }

        if case .archive(let directory) = settings.disposal, !(leftovers.isEmpty && stable.isEmpty) {
            // Once per poll rather than per file; a failure here is the directory's, so it is
            // the poll's error.
            try await ensureDirectory(directory, connection: connection)
        }
        // Files claimed earlier (a crash, a throwing store, a writer that was still writing)
        // first, once they held still across two polls: a writer that still has the file open
        // keeps writing into the claimed name.
        let stillClaims = claimTracker.observe(leftovers.map { .init(name: $0.entry.name, size: $0.entry.attributes.size, modified: $0.entry.attributes.modified) })
        let stillNames = Set(stillClaims.map(\.name))
        for leftover in leftovers {
            guard stillNames.contains(leftover.entry.name) else {
                summary.unstable.append(leftover.name)
                continue
            }
            try await take(leftover.name, claimed: leftover.entry.name, attributes: leftover.entry.attributes,
                           connection: connection, store: store, summary: &summary)
        }
        for file in stable {
            guard let claimed = try? SFTPRemoteName(file.name.value + SFTPPickupSettings.claimSuffix) else {
                summary.failed.append(.init(name: file.name, reason: "name too long to add \(SFTPPickupSettings.claimSuffix)"))
                continue
            }
            do throws(SFTPError) {
                try await connection.rename(path(file.name), to: path(claimed))
            } catch {
                switch error {
                case .targetExists, .noSuchFile:
                    summary.claimedElsewhere.append(file.name)
                default:
                    try await recordFailure(file.name, error, error.description, connection: connection, summary: &summary)
                }
                continue
            }
            let attributes = SFTPFileAttributes(size: file.size, modified: file.modified, isRegularFile: true, isDirectory: false)
            try await take(file.name, claimed: claimed, attributes: attributes, connection: connection, store: store, summary: &summary)
        }
        logger.debug("SFTP poll done", metadata: ["sftp.summary": "\(summary)"])
        return summary
    }

    /// Reads a claimed file, stores it, then disposes of it.
    private mutating func take(
        _ name: SFTPRemoteName, claimed: SFTPRemoteName, attributes: SFTPFileAttributes,
        connection: SFTPConnection, store: (SFTPPickedFile) async throws -> Void, summary: inout SFTPPickupSummary
    ) async throws(SFTPError) {
        let content: [UInt8]
        do throws(SFTPError) {
            content = try await connection.readFile(path(claimed))
        } catch {
            return try await recordFailure(name, error, error.description, connection: connection, summary: &summary)
        }
        // A writer that paused longer than two polls and goes on writing (into the claimed name:
        // the rename kept its open file) shows here: the file is not what was listed. It stays
        // claimed until it holds still.
        let after: SFTPFileAttributes
        do throws(SFTPError) {
            after = try await connection.stat(path(claimed))
        } catch {
            return try await recordFailure(name, error, error.description, connection: connection, summary: &summary)
        }
        guard UInt64(content.count) == attributes.size, after.size == attributes.size, after.modified == attributes.modified else {
            logger.info("SFTP file still being written; it stays claimed", metadata: ["sftp.name": "\(name)", "sftp.listedSize": "\(attributes.size)",
                                                                                     "sftp.size": "\(after.size)"])
            summary.unstable.append(name)
            claimTracker.remember(.init(name: claimed, size: after.size, modified: after.modified))
            return
        }
        let file = SFTPPickedFile(name: name, size: attributes.size, modified: attributes.modified, content: content)
        do {
            try await store(file)
        } catch {
            logger.warning("SFTP file not stored; it stays claimed", metadata: ["sftp.name": "\(name)", "error": "\(error)"])
            // Read whole and unchanged: the next poll may take it again at once.
            claimTracker.remember(.init(name: claimed, size: after.size, modified: after.modified))
            summary.failed.append(.init(name: name, reason: "store failed: \(error)"))
            return
        }
        do throws(SFTPError) {
            try await dispose(claimed, originalName: name, connection: connection)
        } catch {
            return try await recordFailure(name, error, "stored, but not disposed of (taken again next poll): \(error)",
                                           connection: connection, summary: &summary)
        }
        summary.taken.append(name)
        logger.info("SFTP file taken", metadata: ["sftp.name": "\(name)", "sftp.size": "\(content.count)"])
    }

    private func dispose(_ claimed: SFTPRemoteName, originalName: SFTPRemoteName, connection: SFTPConnection) async throws(SFTPError) {
        switch settings.disposal {
        case .delete:
            try await connection.remove(path(claimed))
        case .archive(let directory):
            var target = originalName.value
            for _ in 0..<4 {
                do throws(SFTPError) {
                    return try await connection.rename(path(claimed), to: SFTPPath.join(directory, target))
                } catch {
                    guard case .targetExists = error else { throw error }
                    // An earlier file of the same name is archived: keep both.
                    target = Self.suffixed(originalName)
                }
            }
            throw .targetExists(host: connection.settings.host, source: path(claimed), target: SFTPPath.join(directory, target))
        }
    }

    private func ensureDirectory(_ directory: String, connection: SFTPConnection) async throws(SFTPError) {
        if (try? await connection.stat(directory))?.isDirectory == true { return }
        do throws(SFTPError) {
            try await connection.makeDirectory(directory)
        } catch {
            // Another poller may have made it in between.
            if (try? await connection.stat(directory))?.isDirectory == true { return }
            throw error
        }
    }

    /// Adds a failure to the summary, or throws when the connection is gone: then every later
    /// file would fail the same way, and the caller has to reconnect.
    private func recordFailure(
        _ name: SFTPRemoteName, _ error: SFTPError, _ reason: String, connection: SFTPConnection, summary: inout SFTPPickupSummary
    ) async throws(SFTPError) {
        guard await connection.isOpen else { throw error }
        logger.warning("SFTP file not taken", metadata: ["sftp.name": "\(name)", "reason": "\(reason)"])
        summary.failed.append(.init(name: name, reason: reason))
    }

    private func path(_ name: SFTPRemoteName) -> String { SFTPPath.join(settings.directory, name) }

    /// `x.edi` for `x.edi.paklog-processing`; `nil` for any other name.
    static func claimedOriginal(_ name: SFTPRemoteName) -> SFTPRemoteName? {
        guard name.value.hasSuffix(SFTPPickupSettings.claimSuffix) else { return nil }
        return try? SFTPRemoteName(String(name.value.dropLast(SFTPPickupSettings.claimSuffix.count)))
    }

    /// `name.<8 hex digits>`, shortened to stay a legal name.
    static func suffixed(_ name: SFTPRemoteName) -> String {
        let suffix = "." + Hex.encode(SecureRandom.bytes(4))
        return SFTPRemoteName.prefix(of: name.value, bytes: SFTPRemoteName.maximumLength - suffix.utf8.count) + suffix
    }
}
