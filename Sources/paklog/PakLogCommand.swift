import ArgumentParser
import Foundation
import PakLog

@main
struct PakLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paklog",
        abstract: "PakLog Gateway: the integration gateway and event store for warehouses.",
        subcommands: [
            ServeCommand.self, ConfigCommand.self, EventsCommand.self, KeysCommand.self, DeadLetterCommand.self, WarehouseCommandLine.self, ProjectionsCommand.self, MappingCommand.self, EDICommand.self,
            WebhookCommand.self, PartnersCommand.self, AS2Command.self, WhereCommand.self, VersionCommand.self,
        ])
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the daemon (the embedded default configuration without --config).")

    @Option(name: .long, help: "The YAML configuration file.")
    var config: String?

    func run() async throws {
        let code = await PakLogDaemon.serve(source: config.map(ConfigurationSource.file) ?? .embeddedDefault)
        if code != 0 { throw ExitCode(code) }
    }
}

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check or print configuration.",
        subcommands: [Check.self, Default.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a configuration file; every error names file:line:column and key path.",
            discussion: "Builds every source, endpoint, mapping and route as the daemon would, without starting any.")

        @Argument(help: "The YAML configuration file.")
        var file: String?

        @Flag(name: .customLong("default"), help: "Check the embedded default, as `paklog serve` without --config would run it here.")
        var embeddedDefault = false

        func validate() throws {
            if embeddedDefault == (file != nil) { throw ValidationError("give a configuration file or --default") }
        }

        func run() async throws {
            let source = file.map(ConfigurationSource.file) ?? .embeddedDefault
            let name = file ?? "<embedded default>"
            do {
                let config = try source.load()
                try await ConfigurationCheck.validate(config)
                print("\(name): OK (\(config.sources.count) sources, \(config.endpoints.count) endpoints, \(config.routes.count) routes)")
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
        }
    }

    struct Default: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the embedded default configuration.")
        func run() { print(DefaultConfiguration.yaml) }
    }
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")
    func run() { print("paklog \(PakLogVersion.current)") }
}
