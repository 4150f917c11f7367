import ArgumentParser
import Foundation
import Mapping

struct MappingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapping",
        abstract: "Test or run mapping files.",
        subcommands: [Test.self, Run.self])

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the tests of mapping files; show a diff for each failure.")

        @Argument(help: "Mapping files (YAML).")
        var files: [String]

        func run() throws {
            let report = MappingTestRunner.run(files: files)
            print(MappingTestRunner.render(report), terminator: "")
            if !report.passed { throw ExitCode(1) }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply a mapping file to an input document and print the output.")

        @Argument(help: "The mapping file (YAML).")
        var file: String

        @Argument(help: "The input document (JSON); - reads standard input.")
        var input: String

        @Flag(help: "Print compact JSON instead of indented JSON.")
        var compact = false

        func run() throws {
            let mapping: MappingFile
            do {
                mapping = try MappingFile.load(path: file)
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
            let bytes = input == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: input)
            guard let bytes else {
                FileHandle.standardError.write(Data("cannot read \(input)\n".utf8))
                throw ExitCode(2)
            }
            do {
                switch try mapping.apply(json: bytes) {
                case .output(let value):
                    FileHandle.standardOutput.write(Data(value.serialized(pretty: !compact) + [0x0A]))
                case .dropped:
                    FileHandle.standardError.write(Data("dropped (drop_if matched)\n".utf8))
                }
            } catch {
                FileHandle.standardError.write(Data("\(input): \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
