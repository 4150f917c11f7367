import ArgumentParser
import Foundation
import JSON
import Mapping
import X12

/// `paklog edi …`: look at X12 files the way the gateway reads them, and write what it would send.
struct EDICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edi",
        abstract: "Parse, validate and acknowledge X12 files; render X12 through a mapping.",
        subcommands: [Parse.self, Validate.self, Ack.self, Render.self])

    struct Parse: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an X12 file as the document model mappings read (JSON).",
            discussion: """
                Each interchange with its groups; each transaction set in the loop model (segments by id, \
                loops as `<segment>_loop` arrays, elements by reference designator), or with --flat as \
                the plain list of its segments. Errors go to standard error; the exit status is 1 when \
                there are any.
                """)

        @Argument(help: "The X12 file; - reads standard input.") var file: String
        @Flag(help: "Sets as flat segment lists instead of loops.") var flat = false
        @Flag(help: "Compact JSON instead of indented JSON.") var compact = false

        func run() throws {
            let document = X12Document(parsing: try readInput(file))
            let interchanges = JSONValue.array(document.interchanges.map { flat ? $0.jsonValue : $0.loopJSON })
            FileHandle.standardOutput.write(Data(interchanges.serialized(pretty: !compact) + [0x0A]))
            let errors = document.allErrors
            for error in errors { FileHandle.standardError.write(Data("\(file): \(error)\n".utf8)) }
            if !errors.isEmpty || document.interchanges.isEmpty { throw ExitCode(1) }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check an X12 file: syntax, envelopes and every set against its definition.",
            discussion: """
                Prints every error with its position (interchange, group, set, segment, element, byte \
                offset), the rule and its acknowledgment code, then a summary. Exit status 0 when valid, \
                1 otherwise.
                """)

        @Argument(help: "The X12 file; - reads standard input.") var file: String

        func run() throws {
            let document = X12Document(parsing: try readInput(file))
            let errors = document.allErrors
            for error in errors { print("\(file): \(error)") }
            let groups = document.interchanges.reduce(0) { $0 + $1.groups.count }
            let sets = document.interchanges.reduce(0) { $0 + $1.groups.reduce(0) { $0 + $1.transactionSets.count } }
            let undefined = document.setValidations.filter { !$0.hasDefinition }.map(\.lookup.requestedVersion)
            var summary = "\(document.interchanges.count) interchange(s), \(groups) group(s), \(sets) set(s): "
            summary += errors.isEmpty && !document.interchanges.isEmpty ? "valid" : "\(errors.count) error(s)"
            if document.interchanges.isEmpty { summary += ", no ISA interchange header" }
            if !undefined.isEmpty { summary += "; \(undefined.count) set(s) without a definition, checked for envelope only" }
            print(summary)
            if !errors.isEmpty || document.interchanges.isEmpty { throw ExitCode(1) }
        }
    }

    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the TA1 / 997 / 999 the gateway would answer to an X12 file.",
            discussion: """
                One reply interchange per received interchange, in the partner's delimiters with sender \
                and receiver swapped. The control numbers are given here (the daemon takes them from the \
                partner's durable counter).
                """)

        @Argument(help: "The received X12 file; - reads standard input.") var file: String
        @Option(help: "ISA13 of the first reply (each further reply takes the next).") var interchangeControlNumber = 1
        @Option(help: "GS06 of the first reply group.") var groupControlNumber = 1

        func run() throws {
            let document = X12Document(parsing: try readInput(file))
            let now = Date()
            let date = utcString(now, "yyyyMMdd"), time = utcString(now, "HHmm")
            var groupNumber = groupControlNumber
            let replies = X12Acknowledger.acknowledge(document, lineEnding: .lf) { n in
                defer { groupNumber += max(document.interchanges[n - 1].groups.count, 1) }
                return .init(interchangeControlNumber: interchangeControlNumber + n - 1, groupControlNumber: groupNumber, date: date, time: time)
            }
            if replies.isEmpty {
                FileHandle.standardError.write(Data("\(file): no acknowledgment can be written (\(document.errors.first.map { "\($0)" } ?? "no interchange"))\n".utf8))
                throw ExitCode(1)
            }
            for reply in replies {
                if let bytes = reply.bytes { FileHandle.standardOutput.write(Data(bytes)) }
            }
        }
    }

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Map a JSON document through an `output: x12` mapping and print the transaction set (ST … SE).",
            discussion: "The set is checked against its definition; every problem is named by its JSON path in the mapping's result (exit 1).")

        @Argument(help: "The mapping file (YAML, with `output: x12`).") var mapping: String
        @Argument(help: "The input document (JSON); - reads standard input.") var input: String
        @Option(help: "ST02/SE02.") var controlNumber = "0001"
        @Option(help: "Element separator.") var element = "*"
        @Option(help: "Component separator.") var component = ":"
        @Option(help: "Repetition separator (005010 and later).") var repetition = "^"
        @Option(help: "Segment terminator (a newline follows it).") var segment = "~"

        func run() throws {
            let file = try loadMapping(mapping)
            let document: JSONValue
            do {
                document = try JSONValue(parsing: try readInput(input))
            } catch let error as ExitCode {
                throw error
            } catch {
                FileHandle.standardError.write(Data("\(input): \(error)\n".utf8))
                throw ExitCode(1)
            }
            let delimiters = X12Delimiters(element: try byte(element, "--element"), component: try byte(component, "--component"),
                                           repetition: try byte(repetition, "--repetition"), segment: try byte(segment, "--segment"))
            do {
                guard let set = try file.renderX12(document, controlNumber: controlNumber, delimiters: delimiters) else {
                    FileHandle.standardError.write(Data("dropped (drop_if matched)\n".utf8))
                    return
                }
                var out: [UInt8] = []
                let serializer = X12Serializer(delimiters: delimiters, lineEnding: .lf)
                for s in set.segments { try serializer.write(s, into: &out) }
                FileHandle.standardOutput.write(Data(out))
            } catch {
                FileHandle.standardError.write(Data("\(input): \(error)\n".utf8))
                throw ExitCode(1)
            }
        }

        private func byte(_ text: String, _ option: String) throws -> UInt8 {
            guard text.utf8.count == 1, let b = text.utf8.first, X12Delimiters.isDelimiterCandidate(b) else {
                throw ValidationError("\(option) must be one non-alphanumeric ASCII character")
            }
            return b
        }
    }
}

private func utcString(_ date: Date, _ format: String) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = format
    return formatter.string(from: date)
}
