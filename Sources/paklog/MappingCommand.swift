import ArgumentParser
import Foundation
import JSON
import Mapping

struct MappingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapping",
        abstract: "Test or run mapping files, or evaluate one JSONata expression.",
        subcommands: [Test.self, Run.self, Eval.self])

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
        static let configuration = CommandConfiguration(
            abstract: "Apply a mapping file to an input document and print the output.",
            discussion: """
                A csv mapping (`input: csv`) reads INPUT as a CSV file with a header row and prints a JSON \
                array with one entry per data row: its output, or null for a row dropped or rejected. \
                Each rejected row is named on standard error with its line, and the exit status is 1.                 An x12 mapping (`input: x12`) reads INPUT as an X12 file and prints one entry per                 transaction set the same way; a refused set is named with its errors and positions.
                """)

        @Argument(help: "The mapping file (YAML).")
        var file: String

        @Argument(help: "The input document (JSON; CSV for a csv mapping; X12 for an x12 mapping); - reads standard input.")
        var input: String

        @Flag(help: "Print compact JSON instead of indented JSON.")
        var compact = false

        func run() throws {
            let mapping = try loadMapping(file)
            let bytes = try readInput(input)
            if mapping.input == .csv { return try runRows(mapping, bytes: bytes) }
            if mapping.input == .x12 { return try runSets(mapping, bytes: bytes) }
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

        /// An x12 mapping: a JSON array with one entry per transaction set (null for a dropped or
        /// refused set); each refused set named on standard error, exit 1.
        private func runSets(_ mapping: MappingFile, bytes: [UInt8]) throws {
            let sets: [MappedX12Set]
            do {
                sets = try mapping.transactionSets(x12: bytes)
            } catch {
                FileHandle.standardError.write(Data("\(input): \(error)\n".utf8))
                throw ExitCode(1)
            }
            FileHandle.standardOutput.write(Data(JSONValue.array(sets.map { $0.output ?? .null }).serialized(pretty: !compact) + [0x0A]))
            let refused = sets.filter { $0.error != nil }
            for set in refused { FileHandle.standardError.write(Data("\(input): \(set)\n".utf8)) }
            if !refused.isEmpty { throw ExitCode(1) }
        }

        private func runRows(_ mapping: MappingFile, bytes: [UInt8]) throws {
            let rows: [MappingRowResult]
            do {
                rows = try mapping.applyRows(csv: bytes)
            } catch {
                FileHandle.standardError.write(Data("\(input): \(error)\n".utf8))
                throw ExitCode(1)
            }
            let outputs = JSONValue.array(rows.map { $0.output ?? .null })
            FileHandle.standardOutput.write(Data(outputs.serialized(pretty: !compact) + [0x0A]))
            let rejected = rows.filter { $0.error != nil }
            for row in rejected { FileHandle.standardError.write(Data("\(input): \(row)\n".utf8)) }
            if !rejected.isEmpty { throw ExitCode(1) }
        }
    }

    /// `jq` for JSONata: one expression over one document.
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate one JSONata expression over a JSON document and print the result as JSON.",
            discussion: """
                Without INPUT the input is undefined (expressions such as `$now()` or `1 + 2` need none). An \
                undefined result prints nothing and exits 0. A JSONata error prints its code and message and \
                a caret under the place in the expression, and exits 1; input that cannot be read or is not \
                JSON exits 2. Examples: `paklog mapping eval 'line_items.sku' order.json`, \
                `curl … | paklog mapping eval '$sum(items.(price * qty))' -`, \
                `paklog mapping eval '$x * 2' --bind x=21`.
                """)

        @Argument(help: "The JSONata expression.")
        var expression: String

        @Argument(help: "The input document (JSON): a file, or - for standard input. None: the input is undefined.")
        var input: String?

        @Option(name: .customLong("bind"), help: ArgumentHelp("A variable for the expression, NAME=JSON (`$NAME` in the expression); repeatable.", valueName: "name=json"))
        var bindings: [String] = []

        @Flag(help: "Print compact JSON instead of indented JSON.")
        var compact = false

        @Option(help: "Stop an evaluation that runs longer than this many milliseconds (JSONata U1001).")
        var timeLimit: Int?

        @Option(help: "Stop an evaluation nested deeper than this (JSONata U1001).")
        var depth = JSONataExpression.Limits.standard.maxDepth

        func run() throws {
            var values: [String: JSONValue] = [:]
            for binding in bindings {
                guard let equals = binding.firstIndex(of: "="), equals != binding.startIndex else {
                    throw ValidationError("--bind takes NAME=JSON, got '\(binding)'")
                }
                let name = String(binding[..<equals]), text = String(binding[binding.index(after: equals)...])
                do { values[name] = try JSONValue(parsing: text) } catch {
                    fail(2, "--bind \(name): not JSON: \(error)")
                }
            }
            var document: JSONValue?
            if let input {
                guard let bytes = contents(of: input) else { fail(2, "cannot read \(input)") }
                do { document = try JSONValue(parsing: bytes, replacingLoneSurrogates: true) } catch {
                    fail(2, "\(input): not JSON: \(error)")
                }
            }
            let compiled: JSONataExpression
            do { compiled = try JSONataExpression(expression) } catch let error as JSONataError {
                report(error)
            }
            let limits = JSONataExpression.Limits(maxDepth: depth, timeLimitMilliseconds: timeLimit, stackBudgetBytes: Self.stackBudget)
            let (input, variables) = (document, values)
            let result = LargeStack.runBlocking { Result { try compiled.evaluate(input, bindings: variables, limits: limits) } }
            switch result {
            case .success(let value?):
                FileHandle.standardOutput.write(Data(value.serialized(pretty: !compact) + [0x0A]))
            case .success(nil):
                break
            case .failure(let error as JSONataError):
                report(error)
            case .failure(let error):
                fail(1, "\(error)")
            }
        }

        /// Deeply recursive expressions need more stack than a main thread has: the evaluation
        /// runs on a `LargeStack` thread and may use half of it.
        static let stackBudget = LargeStack.defaultSize / 2

        private func report(_ error: JSONataError) -> Never {
            var text = "\(error.code): \(error.message)"
            if let token = error.token { text += " (token '\(token)')" }
            if let caret = error.caret(in: expression) { text += "\n" + caret }
            fail(1, text)
        }

        private func fail(_ status: Int32, _ message: String) -> Never {
            FileHandle.standardError.write(Data("paklog: \(message)\n".utf8))
            Foundation.exit(status)
        }
    }
}
