import EventStore
import Foundation
import JSON
import Logging
import Warehouse

/// Runs the commands routes write (`to: command:CreateOrder` appends an event of that type to
/// the route's stream of `command-events`), one at a time in log order, so a route's
/// `CreateOrder` runs before its `CancelOrder`. A command's id is its body's `commandId`, else the
/// event's id, which the route derives from its cause: a redelivered inbound message gives the
/// same id, and the bus changes nothing the second time.
///
/// A refusal is an outcome (recorded on `error-events` by the bus) and the consumer moves on; a
/// store failure stops the consumer without moving its checkpoint, so the command runs again.
public final class WarehouseCommandConsumer: Sendable {
    public static let checkpointName = "warehouse-commands"
    public static let category = "command"

    private let bus: CommandBus
    private let logger: Logger

    public init(bus: CommandBus, logger: Logger) {
        self.bus = bus
        self.logger = logger
    }

    /// The command an event of `command-events` carries.
    public static func command(from event: RecordedEvent) -> CommandEnvelope {
        let body = (try? JSONValue(parsing: event.data)) ?? .null
        let id = body["commandId"]?.stringValue ?? event.id.uuidString.lowercased()
        let source = event.metadata.source.map { "route:\($0)" } ?? "log:\(event.stream)"
        return CommandEnvelope(commandId: id, type: event.type, body: body, issuedBy: source, correlationId: event.metadata.correlationId)
    }

    public func run() async throws {
        let store = bus.store
        let start = try await store.loadCheckpoint(Self.checkpointName) ?? 0
        let subscription = store.subscribe(name: Self.checkpointName, filter: .category(Self.category), startingAfter: start, checkpointEvery: 1,
                                           pollInterval: .milliseconds(100))
        for try await event in subscription {
            let command = Self.command(from: event)
            let outcome = try await bus.execute(command)
            if outcome.status == .rejected {
                logger.warning("command refused", metadata: ["command": "\(command.type)", "commandId": "\(command.commandId)",
                                                             "reasons": "\(outcome.reasons.map(\.description).joined(separator: "; "))"])
            }
            try await subscription.acknowledge(event)
        }
    }
}
