import Collections
import Foundation
import JSON
import Mapping

extension DeadLetter {
    /// The dead letter as the REST API and CLI show it: the message, every attempt, the reason
    /// and what happened to it since (open, replayed, discarded).
    public var json: JSONValue {
        var o = record
        o["position"] = .number(Double(position))
        switch status {
        case .open:
            o["status"] = "open"
        case let .replayed(asMessage, at, mappingVersion):
            o["status"] = "replayed"
            o["replayedAs"] = .string(asMessage.uuidString.lowercased())
            o["replayedAt"] = EventTime.encode(at)
            o["replayMappingVersion"] = mappingVersion.map(JSONValue.string) ?? .null
        case let .discarded(at, reason):
            o["status"] = "discarded"
            o["discardedAt"] = EventTime.encode(at)
            o["discardReason"] = .string(reason)
        }
        return .object(o)
    }
}

extension ReplayPlan {
    /// What a replay would send, and its differences from the dead-lettered body.
    public var json: JSONValue {
        [
            "deadLetter": .string(deadLetter.message.id.uuidString.lowercased()),
            "replayMessageId": .string(message.id.uuidString.lowercased()),
            "mappingVersion": message.mappingVersion.map(JSONValue.string) ?? .null,
            "body": message.body,
            "differences": .array(differences.map { .string($0.description) }),
        ]
    }
}
