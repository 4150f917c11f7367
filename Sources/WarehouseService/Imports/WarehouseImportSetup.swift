import Codecs
import Mapping

/// How bulk imports work in this daemon: the csv mapping of each kind (a kind without one is
/// refused), the watched folder, and where rows are mapped.
public struct WarehouseImportSetup: Sendable {
    public var mappings: [WarehouseImportKind: MappingFile]
    /// The watched folder's root (`orders/`, `items/`, … under it); nil for none.
    public var folder: String?
    public var pollInterval: Duration
    /// The field delimiter of the folder's files.
    public var delimiter: CSVDelimiter
    /// Where rows are mapped (see `WarehouseImporter.executor`).
    public var executor: (any TaskExecutor)?

    public init(mappings: [WarehouseImportKind: MappingFile] = [:], folder: String? = nil, pollInterval: Duration = .seconds(5), delimiter: CSVDelimiter = .comma,
                executor: (any TaskExecutor)? = nil) {
        self.mappings = mappings
        self.folder = folder
        self.pollInterval = pollInterval
        self.delimiter = delimiter
        self.executor = executor
    }
}
