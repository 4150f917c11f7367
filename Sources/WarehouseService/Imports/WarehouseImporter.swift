import Codecs
import JSON
import Mapping
import Warehouse

/// Imports CSV files of orders, items, locations or stock into the core: maps the rows with the
/// kind's csv mapping, builds the commands (`WarehouseImportPlan`), runs them through the
/// `CommandBus` with at most `maximumInFlight` at a time, and reports every record's fate.
///
/// ```swift
/// let importer = WarehouseImporter(bus: bus, mappings: [.orders: try MappingFile.load(path: "Mappings/imports/orders.yaml")])
/// let report = try await importer.importFile(.orders, csv: bytes, file: "orders-0612.csv", issuedBy: "api")
/// print(report.json.jsonString)   // {"kind":"orders","accepted":41,"duplicates":0,"rejected":[…]}
/// ```
///
/// Commands are idempotent by ids derived from the file's SHA-256: importing the same file again
/// (a retried upload, a watched-folder file re-read after a crash) answers duplicates and changes
/// nothing. When this returns, every accepted command is in the store.
public struct WarehouseImporter: Sendable {
    public let bus: CommandBus
    public let mappings: [WarehouseImportKind: MappingFile]
    public let maximumInFlight: Int
    /// Where the rows are mapped (CPU work that should not hold an HTTP event loop); nil for
    /// the caller's executor.
    public let executor: (any TaskExecutor)?

    public init(bus: CommandBus, mappings: [WarehouseImportKind: MappingFile], maximumInFlight: Int = 12, executor: (any TaskExecutor)? = nil) {
        precondition(maximumInFlight > 0, "at least one command in flight")
        self.bus = bus
        self.mappings = mappings
        self.maximumInFlight = maximumInFlight
        self.executor = executor
    }

    /// Imports one file.
    ///
    /// - Parameters:
    ///   - file: the file's name, for the report and the audit trail.
    ///   - issuedBy: who sent it (`api`, `folder`); the commands are issued by `import:<issuedBy>`.
    /// - Throws: `WarehouseImportError` when the file as a whole cannot be read (nothing was
    ///   imported); the store's errors when a command could not be run (then some commands may
    ///   have run: importing the same file again finishes the work and repeats nothing).
    public func importFile(_ kind: WarehouseImportKind, csv: [UInt8], file: String? = nil, delimiter: CSVDelimiter = .comma,
                           issuedBy: String) async throws -> WarehouseImportReport {
        guard let mapping = mappings[kind] else { throw WarehouseImportError.noMapping(kind) }
        let sha256 = Hex.encode(Digest.hash(csv, .sha256))
        let rows: MappedCSVRows
        do { rows = try mapping.rows(csv: csv, delimiter: delimiter) } catch {
            let reason: String = if case .csv(let csv) = error.kind { "CSV \(csv)" } else { "\(error)" }
            throw WarehouseImportError.unreadable(kind: kind, file: file, sha256: sha256, reason: reason)
        }
        let header = rows.header
        let plan = await withTaskExecutorPreference(executor) {
            WarehouseImportPlan(kind: kind, rows: rows, sha256: sha256, issuedBy: "import:\(issuedBy)")
        }
        if !plan.fieldsNoRowGives.isEmpty {
            throw WarehouseImportError.unreadable(kind: kind, file: file, sha256: sha256, reason:
                "no row gives \(plan.fieldsNoRowGives.joined(separator: ", ")): the header (\(header.joined(separator: ", "))) lacks the column\(plan.fieldsNoRowGives.count == 1 ? "" : "s") the mapping \(mapping.name)@\(mapping.version) reads \(plan.fieldsNoRowGives.count == 1 ? "it" : "them") from")
        }
        let outcomes = try await run(plan.commands.map(\.command))
        var report = WarehouseImportReport(kind: kind, file: file, sha256: sha256, rows: plan.rows, dropped: plan.dropped, commands: plan.commands.count,
                                           accepted: 0, duplicates: 0, rejected: plan.rejections)
        for (planned, outcome) in zip(plan.commands, outcomes) {
            switch outcome.status {
            case .accepted: report.accepted += 1
            case .duplicate: report.duplicates += 1
            case .rejected:
                report.rejected.append(.init(lines: planned.lines, reference: planned.reference, commandId: outcome.commandId, reasons: outcome.reasons.map {
                    .init(code: $0.code, path: $0.path, message: $0.message, line: planned.line(for: $0.path))
                }))
            }
        }
        report.rejected.sort { $0.lines[0] < $1.lines[0] }
        return report
    }

    /// Runs `commands` with at most `maximumInFlight` at once; the outcomes in their order.
    private func run(_ commands: [CommandEnvelope]) async throws -> [CommandOutcome] {
        let bus = self.bus
        var outcomes = [CommandOutcome?](repeating: nil, count: commands.count)
        try await withThrowingTaskGroup(of: (Int, CommandOutcome).self) { group in
            var next = 0
            func startNext() {
                guard next < commands.count else { return }
                let i = next, command = commands[i]
                next += 1
                group.addTask { (i, try await bus.execute(command)) }
            }
            for _ in 0..<min(maximumInFlight, commands.count) { startNext() }
            while let (i, outcome) = try await group.next() {
                outcomes[i] = outcome
                startNext()
            }
        }
        return outcomes.map { $0! }
    }
}
