import ArgumentParser
import Foundation
import JSON

/// `paklog command TYPE [FILE|-]`: a command to the running daemon's warehouse core
/// (`POST /api/v1/commands/TYPE`), its outcome printed as JSON; exit 1 when it is refused.
struct WarehouseCommandLine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "command",
        abstract: "Send a command (CreateOrder, ReceiveStock, ReleaseWave, …) to the running daemon's warehouse core.",
        discussion: "The body is the command's JSON with a unique commandId; without FILE it is read from standard input. `GET /api/v1/commands` lists the commands.")

    @Argument(help: "The command's type, e.g. CreateOrder.") var type: String
    @Argument(help: "A JSON file with the command, or - for standard input.") var file: String = "-"
    @OptionGroup var connection: DaemonConnection

    func run() async throws {
        let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        do { _ = try JSONValue(parsing: Array(data)) } catch { throw ValidationError("\(file): not JSON: \(error)") }
        try await connection.call(.post, "/api/v1/commands/\(type)", body: Array(data))
    }
}
