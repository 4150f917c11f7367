import Codecs
import EventStore
import Foundation
import JSON

/// An API key as the gateway keeps it: never the secret, only a salted SHA-256 of it. The token
/// a client sends is `plk_<id>_<secret>` (the id finds the record; 32 random bytes of secret,
/// base64url), shown once when the key is created (`paklog keys create`).
///
/// SHA-256 rather than a slow password hash: the secret is 256 random bits, not something a
/// person chose, so there is nothing for a dictionary to find (GitHub stores its tokens the
/// same way).
public struct APIKey: Sendable, Equatable {
    public var id: String
    public var name: String
    public var scopes: Set<String>
    public var salt: [UInt8]
    public var hash: [UInt8]
    public var createdAt: Date
    public var revokedAt: Date?

    /// The token prefix: it tells a leaked token's kind at a glance (secret scanners key on it).
    public static let prefix = "plk_"

    /// A new key with its token; only the key is stored.
    public static func issue(name: String, scopes: Set<String>, at: Date = Date()) -> (key: APIKey, token: String) {
        let id = Hex.encode(SecureRandom.bytes(6))
        let secret = Base64.encode(SecureRandom.bytes(32), alphabet: .url, padding: false)
        let salt = SecureRandom.bytes(16)
        let key = APIKey(id: id, name: name, scopes: scopes, salt: salt, hash: digest(salt, secret), createdAt: at, revokedAt: nil)
        return (key, prefix + id + "_" + secret)
    }

    /// The id and secret of a token, if it has the form of one.
    public static func parse(_ token: [UInt8]) -> (id: String, secret: String)? {
        let text = String(decoding: token, as: UTF8.self)
        guard text.hasPrefix(prefix) else { return nil }
        let rest = text.dropFirst(prefix.count)
        guard let underscore = rest.firstIndex(of: "_") else { return nil }
        let id = String(rest[..<underscore]), secret = String(rest[rest.index(after: underscore)...])
        guard id.count == 12, !secret.isEmpty else { return nil }
        return (id, secret)
    }

    /// Whether `secret` is this key's (constant time) and the key is not revoked.
    public func accepts(secret: String) -> Bool {
        ConstantTimeComparison.areEqual(Self.digest(salt, secret), hash) && revokedAt == nil
    }

    static func digest(_ salt: [UInt8], _ secret: String) -> [UInt8] { Digest.hash(salt + Array(secret.utf8), .sha256) }
}

/// The log's record of API keys: stream `apikey-<id>`, events `APIKeyCreated` and
/// `APIKeyRevoked`.
public enum APIKeyEvents {
    public static let category = "apikey"
    public static let createdType = "APIKeyCreated"
    public static let revokedType = "APIKeyRevoked"

    public static func stream(_ id: String) -> StreamName { StreamName(category: category, id: id) }

    public static func created(_ key: APIKey) -> StreamAppend {
        let data: JSONValue = [
            "id": .string(key.id), "name": .string(key.name), "scopes": .array(key.scopes.sorted().map(JSONValue.string)),
            "salt": .string(Base64.encode(key.salt)), "sha256": .string(Base64.encode(key.hash)), "at": EventTime.encode(key.createdAt),
        ]
        return StreamAppend(stream: stream(key.id), events: [NewEvent(type: createdType, data: data.serialized())], expectedVersion: .noStream)
    }

    public static func revoked(_ id: String, at: Date = Date()) -> StreamAppend {
        StreamAppend(stream: stream(id), events: [NewEvent(type: revokedType, data: (["id": .string(id), "at": EventTime.encode(at)] as JSONValue).serialized())])
    }

    /// Folds one event into `keys`.
    public static func apply(_ event: RecordedEvent, to keys: inout [String: APIKey]) throws {
        let r = try JSONFieldReader(eventType: event.type, data: event.data)
        switch event.type {
        case createdType:
            let id = try r.string("id")
            guard let salt = try? Base64.decode(try r.string("salt")), let hash = try? Base64.decode(try r.string("sha256")) else { return }
            let scopes = try r.value("scopes").arrayValue?.compactMap(\.stringValue) ?? []
            keys[id] = APIKey(id: id, name: try r.string("name"), scopes: Set(scopes), salt: salt, hash: hash, createdAt: try r.date("at"), revokedAt: nil)
        case revokedType:
            let id = try r.string("id")
            keys[id]?.revokedAt = try r.date("at")
        default:
            return
        }
    }

    /// The keys in the log after `position`, folded into `keys`; returns how far it read.
    public static func read(_ store: any EventStore, after position: Int64, into keys: inout [String: APIKey]) async throws -> Int64 {
        var after = position
        while true {
            let page = try await store.readAll(after: after, filter: .category(category), maxCount: 1_000)
            for event in page.events { try apply(event, to: &keys) }
            guard page.scannedThrough > after else { return after }
            after = page.scannedThrough
        }
    }
}
