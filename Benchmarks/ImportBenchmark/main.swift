// A 10,000-line orders CSV (one row per order line, 4 lines per order, rows of an order not
// consecutive) imported with the shipped Mappings/imports/orders.yaml into a real store with
// `durability: full`: rows/s and orders/s, the mapping and grouping alone, and the same file a
// second time (every command a duplicate).
//
//   swift run -c release ImportBenchmark [--lines N] [--in-flight K]
import EventStore
import Foundation
import JSON
import Logging
import Mapping
import Warehouse
import WarehouseService

func option(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}

let lineCount = option("--lines", 10_000)
let inFlight = option("--in-flight", 12)
let linesPerOrder = 4
let skuCount = 200
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let mapping = try MappingFile.load(path: root.appendingPathComponent("Mappings/imports/orders.yaml").path)
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paklog-import-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
var logger = Logger(label: "bench")
logger.logLevel = .warning
let store = try SQLiteEventStore(path: directory.appendingPathComponent("events.sqlite").path, durability: .full, logger: logger)
let bus = CommandBus(store: store, logger: logger)

print("setting up \(skuCount) SKUs with stock …")
for i in 0..<skuCount {
    for (type, body) in [("DefineItem", ["commandId": .string("i\(i)"), "sku": .string("S\(i)")] as JSONValue),
                         ("DefineLocation", ["commandId": .string("l\(i)"), "location": .string("L\(i)"), "zone": "A", "aisle": .number(Double(i % 10)), "bay": .number(Double(i / 10 % 40))]),
                         ("ReceiveStock", ["commandId": .string("r\(i)"), "sku": .string("S\(i)"), "location": .string("L\(i)"), "quantity": 10_000_000])] {
        let outcome = try await bus.execute(json: body, type: type, issuedBy: "bench")
        guard outcome.status == .accepted else { fatalError("\(type) refused: \(outcome.reasons)") }
    }
}

// Orders interleaved in pairs: the rows of an order are two apart, never all consecutive.
var csv = "order_ref,ship_to_name,address1,city,postal_code,country,service_level,sku,quantity\n"
let orderCount = lineCount / linesPerOrder
for row in 0..<(orderCount * linesPerOrder) {
    let pair = row / (2 * linesPerOrder), within = row % (2 * linesPerOrder)
    let order = pair * 2 + within % 2, line = within / 2
    csv += "B-\(order),Customer \(order),\(order) Main St,Springfield,62701,US,GROUND,S\((order * 7 + line) % skuCount),\(1 + line)\n"
}
let bytes = Array(csv.utf8)
print("file: \(orderCount * linesPerOrder) lines, \(orderCount) orders, \(bytes.count / 1024) KiB; \(inFlight) commands in flight")

let clock = ContinuousClock()
let mapped = clock.measure { _ = try! mapping.applyRows(csv: bytes) }
let importer = WarehouseImporter(bus: bus, mappings: [.orders: mapping], maximumInFlight: inFlight)
var report: WarehouseImportReport!
let first = try await clock.measure { report = try await importer.importFile(.orders, csv: bytes, issuedBy: "bench") }
guard report.accepted == orderCount, report.rejected.isEmpty else { fatalError("unexpected report: \(report.json)") }
let second = try await clock.measure { report = try await importer.importFile(.orders, csv: bytes, issuedBy: "bench") }
guard report.duplicates == orderCount else { fatalError("the second import was not all duplicates: \(report.json)") }

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
func rate(_ n: Int, _ d: Duration) -> String { String(format: "%8.0f", Double(n) / seconds(d)) }
let rows = orderCount * linesPerOrder
print("mapping alone      \(rate(rows, mapped)) rows/s")
print("import             \(rate(rows, first)) rows/s  \(rate(orderCount, first)) orders/s  (\(String(format: "%.2f", seconds(first))) s)")
print("same file again    \(rate(rows, second)) rows/s  (all duplicates)")
await store.close()
