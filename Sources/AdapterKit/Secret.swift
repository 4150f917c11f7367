import Foundation

/// A credential read from the configuration. It never prints its value: `description`,
/// `debugDescription` and string interpolation show only where it came from.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Where the value came from, e.g. `env:SHOPIFY_SECRET`, `file:/etc/paklog/key`, `inline`.
    public let origin: String
    private let storage: [UInt8]

    public init(_ value: String, origin: String) {
        storage = Array(value.utf8)
        self.origin = origin
    }

    /// The secret's text; call only where it is used (signing, verifying), never to log it.
    public func reveal() -> String { String(decoding: storage, as: UTF8.self) }

    public var description: String { "<secret from \(origin)>" }
    public var debugDescription: String { description }
}
