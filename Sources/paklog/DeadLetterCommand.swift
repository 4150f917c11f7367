import ArgumentParser
import Foundation
import HTTPClient
import JSON
import PakLog

/// `paklog dlq …`: the dead-letter console of the running daemon, over its REST API
/// (`/api/v1/dlq`, bearer token), so replays and discards go through the daemon's own writer.
struct DeadLetterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "List, show, replay or discard dead letters of the running daemon.",
        subcommands: [List.self, Show.self, Replay.self, Discard.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Without arguments: every dead-letter stream; with an endpoint: its dead letters; with --source or --route: what that source refused or that route could not handle.")
        @Argument(help: "An endpoint.") var endpoint: String?
        @Option(help: "A source: the messages it received but refused (dlq-source-<name>).") var source: String?
        @Option(help: "A route: the messages it could not handle (dlq-route-<name>).") var route: String?
        @OptionGroup var connection: DaemonConnection

        func validate() throws {
            if [endpoint, source, route].compactMap({ $0 }).count > 1 { throw ValidationError("name one of: an endpoint, --source, --route") }
        }

        func run() async throws {
            let path = endpoint.map { "/" + $0 } ?? source.map { "/source/" + $0 } ?? route.map { "/route/" + $0 } ?? ""
            try await connection.call(.get, "/api/v1/dlq" + path)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One dead letter with every attempt's error.")
        @Argument var endpoint: String
        @Argument var messageId: String
        @OptionGroup var connection: DaemonConnection
        func run() async throws { try await connection.call(.get, "/api/v1/dlq/\(endpoint)/\(messageId)") }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a dead letter again (use --dry-run first to see the diff).")
        @Argument var endpoint: String
        @Argument var messageId: String
        @Flag(help: "Re-map the recorded input through the route's current mapping version.") var remap = false
        @Flag(help: "Show what would be sent and its differences; write nothing.") var dryRun = false
        @OptionGroup var connection: DaemonConnection
        func run() async throws {
            try await connection.call(.post, "/api/v1/dlq/\(endpoint)/\(messageId)/replay?remap=\(remap)&dryRun=\(dryRun)")
        }
    }

    struct Discard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a dead letter handled (nothing is deleted).")
        @Argument var endpoint: String
        @Argument var messageId: String
        @Option(help: "Why (kept in the log).") var reason: String
        @OptionGroup var connection: DaemonConnection
        func run() async throws {
            let body = "{\"reason\":" + JSONWriter.quoted(reason) + "}"
            try await connection.call(.post, "/api/v1/dlq/\(endpoint)/\(messageId)/discard", body: Array(body.utf8))
        }
    }
}

