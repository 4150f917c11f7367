import AdapterKit
import Codecs
import Mapping
import WarehouseService

/// `warehouse.imports`: bulk imports by CSV (`POST /api/v1/imports/{kind}` and a watched folder).
///
/// ```yaml
/// warehouse:
///   imports:
///     folder: /var/lib/paklog/imports      # optional: orders/, items/, locations/, stock/ under it
///     pollInterval: 5s                     # how often the folder is scanned
///     delimiter: semicolon                 # of the folder's files: comma (default), semicolon, tab, pipe
///     orders: {mapping: mappings/erp-orders.yaml}   # a kind left out uses the shipped
///                                                   # Mappings/imports/<kind>.yaml
/// ```
///
/// A configured mapping must exist, load and read csv (`input: csv`); `paklog config check`
/// names the configuration line of one that does not. Changes take effect at the next restart.
public struct WarehouseImportSettings: Sendable, Equatable {
    /// A kind's configured mapping and where it was configured.
    public struct MappingSetting: Sendable, Equatable {
        public var path: String
        public var location: ConfigLocation
    }

    public var folder: String?
    public var pollInterval: Duration = .seconds(5)
    /// The field delimiter of the folder's files (an upload names its own with `?delimiter=`).
    public var delimiter: CSVDelimiter = .comma
    public var mappings: [WarehouseImportKind: MappingSetting] = [:]

    public init() {}

    /// The delimiters by their names in the configuration and the API.
    public static let delimiters: [String: CSVDelimiter] = ["comma": .comma, "semicolon": .semicolon, "tab": .tab, "pipe": .pipe]

    /// What `load` found: each kind's mapping, the problems of configured ones (with their
    /// configuration place), and the kinds left without one (no shipped mapping found here).
    public struct Loaded: Sendable {
        public var mappings: [WarehouseImportKind: MappingFile] = [:]
        public var problems: [String] = []
        public var unavailable: [WarehouseImportKind] = []
    }

    /// Loads each kind's mapping: the configured one, else the shipped default when it is found
    /// (beside the configuration or in the installed share directory, see `InstalledFiles`).
    public func load(baseDirectory: String) -> Loaded {
        var loaded = Loaded()
        for kind in WarehouseImportKind.allCases {
            let setting = mappings[kind]
            let path = setting?.path ?? kind.defaultMappingPath
            guard let full = InstalledFiles.locate(path, baseDirectory: baseDirectory) else {
                if let setting {
                    let tried = path.hasPrefix("/") ? [path] : InstalledFiles.searchPath(baseDirectory: baseDirectory).map { $0 + "/" + path }
                    loaded.problems.append("\(setting.location): mapping '\(path)' not found (looked for \(tried.joined(separator: ", ")))")
                } else {
                    loaded.unavailable.append(kind)
                }
                continue
            }
            let where_ = setting.map { "\($0.location)" } ?? "warehouse.imports.\(kind)"
            do {
                let mapping = try MappingFile.load(path: full)
                guard mapping.input == .csv else {
                    loaded.problems.append("\(where_): mapping '\(path)' reads '\(mapping.input.rawValue)' input; an import mapping reads csv ('input: csv')")
                    continue
                }
                loaded.mappings[kind] = mapping
            } catch {
                loaded.problems.append("\(where_): mapping '\(path)' does not load:\n" + error.diagnostics.map { "  \($0)" }.joined(separator: "\n"))
            }
        }
        return loaded
    }
}
