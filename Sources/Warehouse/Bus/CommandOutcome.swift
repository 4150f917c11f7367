import EventStore
import JSON

/// What became of a command.
public struct CommandOutcome: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        /// Its events are committed.
        case accepted
        /// A command with this id was handled before; nothing changed.
        case duplicate
        /// Refused with `reasons`; the refusal is recorded on `error-events`.
        case rejected
    }

    public var commandId: String
    public var type: String
    public var status: Status
    public var reasons: [ValidationReason]
    /// The global position of the last event the command committed (or the original one's, for
    /// a duplicate): a query can wait for its projection (read-your-writes).
    public var position: Int64
    /// The streams written and the event types, in order.
    public var events: [(stream: StreamName, type: String)]
    /// How many times the command was decided (more than one when another writer won a race).
    public var attempts: Int

    public init(commandId: String, type: String, status: Status, reasons: [ValidationReason] = [], position: Int64, events: [(stream: StreamName, type: String)] = [], attempts: Int = 1) {
        self.commandId = commandId
        self.type = type
        self.status = status
        self.reasons = reasons
        self.position = position
        self.events = events
        self.attempts = attempts
    }

    public static func == (a: CommandOutcome, b: CommandOutcome) -> Bool {
        a.commandId == b.commandId && a.type == b.type && a.status == b.status && a.reasons == b.reasons && a.position == b.position
            && a.events.map { "\($0.stream)/\($0.type)" } == b.events.map { "\($0.stream)/\($0.type)" } && a.attempts == b.attempts
    }

    /// The outcome as the REST API answers it.
    public var json: JSONValue {
        var o: JSONValue = ["commandId": .string(commandId), "type": .string(type), "status": .string(status.rawValue), "position": .number(Double(position))]
        if case .object(var m) = o {
            if !reasons.isEmpty { m["errors"] = .array(reasons.map(\.json)) }
            if !events.isEmpty { m["events"] = .array(events.map { ["stream": .string($0.stream.rawValue), "type": .string($0.type)] }) }
            o = .object(m)
        }
        return o
    }
}
