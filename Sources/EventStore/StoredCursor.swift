import Foundation

/// A cursor as committed (see `CursorUpdate`).
public struct StoredCursor: Sendable, Equatable {
    public var name: String
    /// JSON text, as written.
    public var value: [UInt8]
    /// When the transaction that wrote it was committed.
    public var updatedAt: Date

    public init(name: String, value: [UInt8], updatedAt: Date) {
        self.name = name
        self.value = value
        self.updatedAt = updatedAt
    }
}
