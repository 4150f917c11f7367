import ArgumentParser
import EventStore
import Foundation
import Logging
import PakLog

struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Read the event log.",
        subcommands: [Read.self])

    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print events as JSON lines (position, stream, version, type, ids, data).",
            discussion: """
                Examples: `paklog events read inbox-orders`, `paklog events read order-events` (a topic: every \
                stream of the category `order`, in commit order), `paklog events read --all --category inbox --follow`.
                """)

        @Argument(help: "A stream name, or a topic (<category>-events; omit with --all).")
        var stream: String?

        @Flag(help: "Read the whole log in commit order.")
        var all = false

        @Option(help: "With --all: only streams of this category (the part before the first '-'); repeatable.")
        var category: [String] = []

        @Option(help: "Start: a stream version (with a stream) or a global position to read after (with --all or a topic).")
        var from: Int64 = 0

        @Flag(help: "Keep printing new events as they are written.")
        var follow = false

        @OptionGroup var store: StoreOptions

        func validate() throws {
            if all == (stream != nil) { throw ValidationError("give either a stream name or --all") }
            if !category.isEmpty && !all { throw ValidationError("--category goes with --all") }
        }

        func run() async throws {
            let opened = try store.open()
            let printer = EventLogPrinter(store: opened)
            let selection: EventLogPrinter.Selection
            if all {
                selection = .all(category.isEmpty ? .all : .categories(Set(category)))
            } else if let topic = try? Topic(named: stream!) {
                // No stream carries a topic's name (the store refuses to write one): read the category.
                selection = .all(topic.filter)
            } else {
                selection = .stream(StreamName(stream!))
            }
            try await printer.run(selection, from: from, follow: follow)
            await opened.close()
        }
    }
}

/// Which store a command works on: `--store PATH`, the storage of `--config FILE`, or the default
/// (`$PAKLOG_DATA/paklog.sqlite`, else `./data/paklog.sqlite`) — the running daemon's store.
struct StoreOptions: ParsableArguments {
    @Option(help: "The SQLite event store file.")
    var store: String?

    @Option(help: "Take the store path from this configuration file.")
    var config: String?

    func path() throws -> String {
        if let store { return store }
        if let config {
            do {
                return try ConfigurationSource.file(config).load().storage.path
            } catch {
                throw ValidationError("\(error)")
            }
        }
        return StorageSettings.defaultPath()
    }

    /// - Parameter creating: make the store (and its directory) when there is none yet, for
    /// what an operator sets up before the first start (API keys).
    func open(creating: Bool = false) throws -> SQLiteEventStore {
        let path = try path()
        if creating {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } else if !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("no event store at \(path) (start the daemon first, or give --store/--config)")
        }
        var logger = Logger(label: "paklog.cli")
        logger.logLevel = .warning
        return try SQLiteEventStore(path: path, durability: .full, logger: logger)
    }
}
