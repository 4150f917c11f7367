import ArgumentParser
import Foundation
import JSON

/// `paklog projections status|rebuild NAME`: the running daemon's read models, over its API.
struct ProjectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections",
        abstract: "Show or rebuild the warehouse core's read models in the running daemon.",
        subcommands: [Status.self, Rebuild.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each read model's checkpoint (log position) and its lag behind the log's head.")
        @OptionGroup var connection: DaemonConnection
        @Flag(help: "Print the API's JSON instead of a table.") var json = false

        func run() async throws {
            let text = try await connection.call(.get, "/api/v1/projections", quiet: true)
            guard !json, let rows = try? JSONValue(parsing: Array(text.utf8))["projections"]?.arrayValue else { print(text); return }
            print("NAME".padding(toLength: 12, withPad: " ", startingAt: 0) + "POSITION".leftPadded(12) + "HEAD".leftPadded(12) + "LAG".leftPadded(10))
            for r in rows {
                let name = r["name"]?.stringValue ?? "?"
                func number(_ key: String) -> String { r[key]?.intValue.map(String.init) ?? "?" }
                print(name.padding(toLength: 12, withPad: " ", startingAt: 0) + number("position").leftPadded(12) + number("head").leftPadded(12)
                      + number("lag").leftPadded(10))
            }
        }
    }

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Throw a read model away and project the whole log into it again (`status` shows the progress).",
            discussion: "Read models: orders, stock, locations, items, tasks, waves, shipments.")
        @Argument(help: "The read model's name.") var name: String
        @OptionGroup var connection: DaemonConnection

        func run() async throws {
            try await connection.call(.post, "/api/v1/projections/\(name)/rebuild")
        }
    }
}

extension String {
    /// Right-aligned in `width` columns.
    fileprivate func leftPadded(_ width: Int) -> String { count >= width ? " " + self : String(repeating: " ", count: width - count) + self }
}
