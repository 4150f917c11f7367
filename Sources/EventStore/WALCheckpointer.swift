import Foundation
import GRDBSQLite
import Logging
import Synchronization

/// Copies committed WAL frames into the database file from a connection and thread of its own,
/// so that the commit which crosses SQLite's automatic-checkpoint threshold finds little left to
/// copy.
///
/// SQLite's automatic checkpoint runs inside a commit, and every append in or behind that commit
/// waits for it: 10–25 ms for 1000 pages on the development machine, which was the p99 of webhook
/// ingest. A PASSIVE checkpoint from another connection copies frames without taking the write
/// lock (https://www.sqlite.org/c3ref/wal_checkpoint_v2.html). The writer keeps its automatic
/// checkpoint (which lets the WAL start over) and its TRUNCATE bound; this only does their copying
/// ahead of time.
final class WALCheckpointer: @unchecked Sendable {
    private let path: String
    private let walPath: String
    private let synchronous: String
    private let truncateThreshold: Int
    private let interval: Duration
    private let logger: Logger
    private let stopping = Atomic(false)
    private let wakeup = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let copied = Atomic(0)
    /// Held while this thread checkpoints: SQLite answers a second checkpointer with SQLITE_BUSY at
    /// once, so the writer's TRUNCATE waits here for the few milliseconds instead of failing.
    private let running = Mutex(())

    /// Runs `body` (the writer's TRUNCATE checkpoint) while no background checkpoint runs.
    func exclusively<T>(_ body: () throws -> T) rethrows -> T {
        try running.withLock { _ in try body() }
    }

    /// - Parameter truncateThreshold: the WAL size above which the writer runs its TRUNCATE
    ///   checkpoint; this one stays out of its way then (a checkpoint in progress would make the
    ///   writer's fail and the WAL grow further).
    init(path: String, synchronous: String, truncateThreshold: Int, interval: Duration = .milliseconds(20), logger: Logger) {
        self.path = path
        self.walPath = path + "-wal"
        self.synchronous = synchronous
        self.truncateThreshold = truncateThreshold
        self.interval = interval
        self.logger = logger
    }

    /// Checkpoints that copied at least one frame.
    var checkpointsThatCopied: Int { copied.load(ordering: .relaxed) }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "paklog.eventstore.checkpointer"
        thread.start()
    }

    /// Returns once the thread has closed its connection.
    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wakeup.signal()
        finished.wait()
    }

    private func run() {
        defer { finished.signal() }
        var connection: OpaquePointer?
        let opened = sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard opened == SQLITE_OK, let connection else {
            logger.warning("WAL checkpointer cannot open the database; commits checkpoint on their own", metadata: ["code": "\(opened)"])
            sqlite3_close(connection)
            return
        }
        defer { sqlite3_close(connection) }
        // SQLite syncs the database file only when a checkpoint reaches the end of the WAL, which
        // under steady appends is the writer's own automatic checkpoint: it then flushed every
        // page copied here since the last sync, 10 ms and more inside a commit. Syncing after each
        // copy leaves it little. Any descriptor of the file will do for fdatasync.
        let databaseFile = open(path, O_RDONLY | O_CLOEXEC)
        defer { if databaseFile >= 0 { close(databaseFile) } }
        // The checkpoint's own fsyncs follow the store's durability.
        sqlite3_exec(connection, "PRAGMA synchronous = \(synchronous)", nil, nil, nil)
        let nanoseconds = Int(interval.components.seconds) * 1_000_000_000 + Int(interval.components.attoseconds / 1_000_000_000)
        var lastModified = timespec()
        while !stopping.load(ordering: .acquiring) {
            _ = wakeup.wait(timeout: .now() + .nanoseconds(nanoseconds))
            if stopping.load(ordering: .acquiring) { break }
            // Only after a commit: an idle daemon costs one stat per interval.
            var info = stat()
            guard stat(walPath, &info) == 0, info.st_size > 0, Int(info.st_size) <= truncateThreshold,
                  info.st_mtim.tv_sec != lastModified.tv_sec || info.st_mtim.tv_nsec != lastModified.tv_nsec else { continue }
            lastModified = info.st_mtim
            var logFrames: Int32 = 0
            var checkpointed: Int32 = 0
            // SQLITE_BUSY (another checkpoint running) is fine: try again next time.
            let code = exclusively { sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &checkpointed) }
            if code == SQLITE_OK, checkpointed > 0 {
                if databaseFile >= 0 { _ = fdatasync(databaseFile) }
                copied.add(1, ordering: .relaxed)
            }
        }
    }
}
