/// The event store's contract. `SQLiteEventStore` is the embedded backend; a PostgreSQL backend
/// comes later and must keep the same guarantees (see the design card on commit-order visibility).
public protocol EventStore: Sendable {
    /// Appends atomically: all of the transaction or nothing. Concurrent callers share fsyncs
    /// (group commit); a call returns only after its commit is durable. It runs on the caller's
    /// executor (`nonisolated(nonsending)`), so an actor's append is checked there and resumes
    /// there, without two hops through the global executor.
    nonisolated(nonsending) func append(_ transaction: AppendTransaction) async throws -> AppendResult

    /// Appends like `append(_:)`, and calls `whenOrdered` as soon as the transaction's place in
    /// the commit order is fixed: every transaction appended after that call commits after this
    /// one, and sees its effects (or, if this one does not commit, fails the expected versions
    /// that counted on it). A writer holding in-process locks can let go of them there, so that
    /// the next writer decides while this one's fsync runs. Not called when the append is refused
    /// before it is queued.
    nonisolated(nonsending) func append(_ transaction: AppendTransaction, whenOrdered: @escaping @Sendable () -> Void) async throws -> AppendResult

    /// Reads a stream from `version` (inclusive) in `direction`, at most `maxCount` events.
    /// For `.backward`, `version` nil means "from the end".
    func readStream(_ stream: StreamName, from version: Int64?, direction: ReadDirection, maxCount: Int) async throws -> [RecordedEvent]

    /// Reads the log forward after `position` (exclusive; 0 reads from the start).
    func readAll(after position: Int64, filter: EventFilter, maxCount: Int) async throws -> LogPage

    /// The highest committed global position (0 for an empty log).
    func headPosition() async throws -> Int64

    /// The stream's current version, or -1 if it does not exist.
    func streamVersion(_ stream: StreamName) async throws -> Int64

    /// Waits until the head position is greater than `position`, or the task is cancelled.
    func waitForHead(after position: Int64) async throws

    func loadCheckpoint(_ name: String) async throws -> Int64?
    func saveCheckpoint(_ checkpoint: Checkpoint) async throws

    func saveSnapshot(_ snapshot: Snapshot) async throws
    func loadSnapshot(_ stream: StreamName) async throws -> Snapshot?

    /// The result of the commit that first used `key`, if any. For a `StreamAppend`'s own key it
    /// is that append's part only (its stream's version and its events' positions).
    func lookupIdempotencyKey(_ key: String) async throws -> AppendResult?

    /// The cursor `name` as last committed (see `CursorUpdate`), or nil if it was never written.
    func loadCursor(_ name: String) async throws -> StoredCursor?

    /// Every cursor whose name starts with `prefix`, by name (for status pages: `poll-`,
    /// `schedule-`).
    func cursors(withPrefix prefix: String) async throws -> [StoredCursor]
}

extension EventStore {
    /// A backend that does not order its appends before they commit calls `whenOrdered` after
    /// the commit: correct, only not pipelined.
    nonisolated(nonsending) public func append(_ transaction: AppendTransaction, whenOrdered: @escaping @Sendable () -> Void) async throws -> AppendResult {
        let result = try await append(transaction)
        whenOrdered()
        return result
    }

    /// Appends `events` to one stream.
    @discardableResult
    nonisolated(nonsending) public func append(to stream: StreamName, _ events: [NewEvent], expectedVersion: ExpectedVersion = .any) async throws -> AppendResult {
        try await append(AppendTransaction(appends: [StreamAppend(stream: stream, events: events, expectedVersion: expectedVersion)]))
    }
}

extension EventStore {
    /// Returns when an event past `position` is committed or `limit` has passed, whichever comes
    /// first: a follower that must also notice something besides new events (a rebuild asked for
    /// while the log is idle) waits this way.
    public func waitForHead(after position: Int64, atMost limit: Duration) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.waitForHead(after: position) }
            group.addTask { try await Task.sleep(for: limit) }
            _ = try await group.next()
            group.cancelAll()
        }
    }
}
