/// A named cursor moved in the same transaction as the events it accounts for: a poller's page
/// token, a scheduler's last fired slot. Committing both together is what makes a crash between
/// "stored the page" and "remembered where I am" impossible: either both are durable or neither.
///
/// ```swift
/// let previous = try await store.loadCursor("poll-erp")
/// try await store.append(AppendTransaction(
///     appends: [StreamAppend(stream: "inbox-erp", events: page)],
///     cursors: [CursorUpdate(name: "poll-erp", value: Array(#"{"next":"p3"}"#.utf8),
///                            expected: previous.map { .value($0.value) } ?? .absent)]))
/// ```
public struct CursorUpdate: Sendable, Equatable {
    public var name: String
    /// The new value: JSON text (the store refuses anything else).
    public var value: [UInt8]
    /// What the cursor must hold before this update (compare-and-set).
    public var expected: CursorExpectation

    public init(name: String, value: [UInt8], expected: CursorExpectation = .any) {
        self.name = name
        self.value = value
        self.expected = expected
    }
}

/// What a `CursorUpdate` requires of the stored cursor, so that two writers that read the same
/// value cannot both advance it: the second gets `EventStoreError.cursorConflict` and nothing of
/// its transaction is written.
public enum CursorExpectation: Sendable, Equatable {
    /// Overwrite whatever is there.
    case any
    /// The cursor must not exist yet.
    case absent
    /// The cursor must hold exactly these bytes (compared byte for byte, not as JSON values:
    /// pass what `loadCursor` returned).
    case value([UInt8])
}
