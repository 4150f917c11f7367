import EventStore

/// The dead-letter streams of the category `dlq`, one per thing that can give up on a message:
/// `dlq-source-<name>` (what a source received intact but could not accept), `dlq-endpoint-<name>`
/// (deliveries that will not happen), `dlq-route-<name>` (messages a route could not handle). The
/// owner's kind is part of the id, so a source, an endpoint and a route of the same name never
/// share a stream.
public enum DeadLetterStream {
    public enum Owner: String, Sendable, CaseIterable {
        case source, endpoint, route
    }

    /// The stream of `name`'s dead letters.
    public static func stream(_ owner: Owner, _ name: String) -> StreamName {
        StreamName(category: "dlq", id: "\(owner.rawValue)-\(name)")
    }

    /// Whose dead letters `stream` holds; nil for a stream that is not one of these.
    public static func owner(of stream: StreamName) -> (owner: Owner, name: String)? {
        guard stream.category == "dlq", let dash = stream.id.firstIndex(of: "-"),
              let owner = Owner(rawValue: String(stream.id[..<dash])) else { return nil }
        let name = String(stream.id[stream.id.index(after: dash)...])
        return name.isEmpty ? nil : (owner, name)
    }
}
