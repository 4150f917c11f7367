import Codecs
import Foundation
import JSON
import Logging

/// The watched import folder: `<root>/orders/`, `items/`, `locations/`, `stock/`. A CSV file put
/// into one of them (see `ImportFolderWatch` for when it counts as complete) is imported as that
/// kind; once every command it makes is in the store, it moves to the kind's `done/` with its
/// report beside it (`<name>.report.json`). A file that cannot be read at all goes to `failed/`
/// with its error (`<name>.report.json`).
///
/// Nothing is lost: a crash or a store failure before the move leaves the file where it was, and
/// importing it again changes nothing that its first import did (the ids come from its SHA-256).
/// Each scan imports items, then locations, then stock, then orders, so a drop of all four files
/// at once finds the catalog defined before the orders that refer to it.
public struct WarehouseImportFolder: Sendable {
    public let root: String
    public let importer: WarehouseImporter
    public let pollInterval: Duration
    public let delimiter: CSVDelimiter
    let logger: Logger

    /// The order the kinds are imported in within one scan.
    static let kindOrder: [WarehouseImportKind] = [.items, .locations, .stock, .orders]

    public init(root: String, importer: WarehouseImporter, pollInterval: Duration = .seconds(5), delimiter: CSVDelimiter = .comma, logger: Logger) {
        self.root = root
        self.importer = importer
        self.pollInterval = pollInterval
        self.delimiter = delimiter
        self.logger = logger
    }

    /// The folders of the kinds that have a mapping, created when missing.
    public func createFolders() throws {
        for kind in Self.kindOrder where importer.mappings[kind] != nil {
            for sub in ["", "/done", "/failed"] {
                try FileManager.default.createDirectory(atPath: "\(root)/\(kind.rawValue)\(sub)", withIntermediateDirectories: true)
            }
        }
    }

    /// Scans every `pollInterval` until cancelled.
    public func run() async throws {
        try createFolders()
        var watches: [WarehouseImportKind: ImportFolderWatch] = [:]
        while !Task.isCancelled {
            try await scan(&watches)
            try await Task.sleep(for: pollInterval)
        }
    }

    /// One scan: imports the files found ready (`watches` remembers what earlier scans saw).
    func scan(_ watches: inout [WarehouseImportKind: ImportFolderWatch]) async throws {
        for kind in Self.kindOrder where importer.mappings[kind] != nil {
            let folder = "\(root)/\(kind.rawValue)"
            let ready = watches[kind, default: ImportFolderWatch()].ready(Self.listing(folder))
            for name in ready {
                try Task.checkCancellation()
                await process(kind, folder: folder, name: name)
            }
        }
    }

    private func process(_ kind: WarehouseImportKind, folder: String, name: String) async {
        let path = "\(folder)/\(name)"
        var logger = self.logger
        logger[metadataKey: "import"] = "\(kind)/\(name)"
        guard let data = FileManager.default.contents(atPath: path) else {
            logger.warning("import file cannot be read; trying again at the next scan")
            return
        }
        do {
            let report = try await importer.importFile(kind, csv: [UInt8](data), file: name, delimiter: delimiter, issuedBy: "folder")
            try settle(path, in: "\(folder)/done", report: report.json, sha256: report.sha256)
            logger.info("imported", metadata: ["rows": "\(report.rows)", "accepted": "\(report.accepted)", "duplicates": "\(report.duplicates)",
                                               "rejected": "\(report.rejected.count)"])
        } catch let error as WarehouseImportError {
            guard case .unreadable(_, _, let sha256, _) = error else { return }
            do { try settle(path, in: "\(folder)/failed", report: error.json, sha256: sha256) } catch {
                logger.error("cannot move the unreadable import file to failed/", metadata: ["error": "\(error)"])
            }
            logger.warning("import file refused", metadata: ["error": "\(error)"])
        } catch {
            logger.error("import stopped; the file stays and is imported again at the next scan", metadata: ["error": "\(error)"])
        }
    }

    /// Writes the report, then moves the file beside it (a name already taken there gets the
    /// file's SHA-256 prefix). The report is written first so that the file is never in `done/`
    /// without it; a crash between the two re-imports the file, which changes nothing.
    private func settle(_ path: String, in target: String, report: JSONValue, sha256: String) throws {
        let name = URL(fileURLWithPath: path).lastPathComponent
        var final = name
        if FileManager.default.fileExists(atPath: "\(target)/\(final)") { final = "\(sha256.prefix(12))-\(name)" }
        try Data(report.serialized(pretty: true)).write(to: URL(fileURLWithPath: "\(target)/\(final).report.json"), options: .atomic)
        if FileManager.default.fileExists(atPath: "\(target)/\(final)") { try FileManager.default.removeItem(atPath: "\(target)/\(final)") }
        try FileManager.default.moveItem(atPath: path, toPath: "\(target)/\(final)")
    }

    /// The regular files of `folder` with their size and modification time.
    static func listing(_ folder: String) -> [ImportFolderWatch.Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.compactMap { name in
            guard let a = try? FileManager.default.attributesOfItem(atPath: "\(folder)/\(name)"), a[.type] as? FileAttributeType == .typeRegular else { return nil }
            let size = (a[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return ImportFolderWatch.Entry(name: name, size: size, modified: modified)
        }
    }
}
