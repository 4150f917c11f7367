import JSON
import Mapping
import Warehouse

/// Turns an import file's mapped rows into the commands they make, and the rows that cannot
/// make one into rejections. Pure: no store, no I/O (the importer runs the commands).
///
/// Each command's id is `import-<kind>-<sha256 of the file>-<key>`, the key being the row's line
/// (or, for orders, the order reference): the same file imported again makes the same ids, which
/// the bus answers as duplicates without changing anything.
struct WarehouseImportPlan: Sendable {
    var rows = 0
    var dropped = 0
    var commands: [ImportCommand] = []
    var rejections: [WarehouseImportReport.Rejection] = []
    /// The kind's required fields that no mapped row gives (see `requiredFields`).
    var fieldsNoRowGives: [String] = []

    init(kind: WarehouseImportKind, rows: some Sequence<MappingRowResult>, sha256: String, issuedBy: String) {
        let prefix = "import-\(kind.rawValue)-\(sha256)-"
        var records: [(line: Int, output: JSONValue)] = []
        var unreadable: [Int] = []
        for row in rows {
            self.rows += 1
            switch row.result {
            case .success(.dropped):
                dropped += 1
            case .success(.output(let output)):
                records.append((row.line, output))
            case .failure(let error):
                unreadable.append(row.line)
                rejections.append(.init(lines: [row.line], reasons: [Self.reason(error, line: row.line)]))
            }
        }
        fieldsNoRowGives = records.isEmpty ? [] : kind.requiredFields.filter { path in !records.contains { Self.has($0.output, path) } }
        guard fieldsNoRowGives.isEmpty else { return }
        func envelope(_ id: String, _ type: String, _ body: JSONValue) -> CommandEnvelope {
            CommandEnvelope(commandId: prefix + id, type: type, body: body, issuedBy: issuedBy, correlationId: "import-\(sha256)")
        }
        if kind == .orders {
            var grouping = OrderImportGrouping()
            for r in records { grouping.add(line: r.line, output: r.output) }
            rejections += grouping.rejections
            for order in grouping.orders {
                if let problem = order.problem {
                    rejections.append(.init(lines: order.lines, reference: order.reference, reasons: problem))
                } else if !unreadable.isEmpty {
                    // An unreadable row has no reference to trust: it may be a line of any order,
                    // and an order must not be created without one of its lines.
                    let which = unreadable.map(String.init).joined(separator: ", ")
                    rejections.append(.init(lines: order.lines, reference: order.reference, reasons: [
                        .init(code: "not-imported", path: "$", message: "not imported: line\(unreadable.count == 1 ? "" : "s") \(which) of this file could not be read and may belong to this order; correct \(unreadable.count == 1 ? "it" : "them") and import the file again",
                              line: order.lines[0])]))
                } else {
                    commands.append(ImportCommand(command: envelope("order-" + order.reference, "CreateOrder", order.body), lines: order.lines,
                                                  reference: order.reference, elementLines: order.lines))
                }
            }
        } else {
            for r in records {
                guard case .object(let o) = r.output else {
                    rejections.append(.init(lines: [r.line], reasons: [Self.notAnObject(r.output, line: r.line)]))
                    continue
                }
                let type = o["type"]?.stringValue ?? kind.defaultCommandType
                guard kind.commandTypes.contains(type) else {
                    rejections.append(.init(lines: [r.line], reasons: [.init(code: "invalid", path: "type", message: "a \(kind) import makes \(kind.commandTypes.joined(separator: " or ")), not '\(type)'", line: r.line)]))
                    continue
                }
                commands.append(ImportCommand(command: envelope("line-\(r.line)", type, r.output), lines: [r.line]))
            }
        }
        rejections.sort { $0.lines[0] < $1.lines[0] }
    }

    /// A row the mapping failed on: a CSV rule it breaks, or the mapping's error.
    static func reason(_ error: MappingError, line: Int) -> WarehouseImportReport.Reason {
        if case .csv(let csv) = error.kind {
            return .init(code: "invalid-csv", path: csv.fieldName ?? csv.field.map { "field \($0)" } ?? "row", message: "\(csv)", line: line)
        }
        return .init(code: "mapping", path: error.part, message: "\(error)", line: line)
    }

    /// Whether `value` has a member at the dotted `path`.
    static func has(_ value: JSONValue, _ path: String) -> Bool {
        var v = value
        for key in path.split(separator: ".") {
            guard let next = v[String(key)] else { return false }
            v = next
        }
        return true
    }

    static func notAnObject(_ output: JSONValue, line: Int) -> WarehouseImportReport.Reason {
        .init(code: "invalid", path: "$", message: "the mapping made \(output.jsonString.prefix(80)) of this row, not an object of command fields", line: line)
    }
}
