import EventStore
import Foundation
import JSON
import Mapping
import Testing
import Warehouse
@testable import WarehouseService

/// The shipped import mappings (Mappings/imports), found from this file's place in the repository.
private let importMappings = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Mappings/imports")

private func shippedMappings() throws -> [WarehouseImportKind: MappingFile] {
    var m: [WarehouseImportKind: MappingFile] = [:]
    for kind in WarehouseImportKind.allCases { m[kind] = try MappingFile.load(path: importMappings.appendingPathComponent("\(kind).yaml").path) }
    return m
}

private func fixture(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: importMappings.appendingPathComponent("fixtures/\(name)")))
}

/// An importer with the shipped mappings over a real SQLite store, the catalog items MUG and TEE.
private func importerWithCatalog() async throws -> (WarehouseHarness, WarehouseImporter) {
    let h = try WarehouseHarness()
    for sku in ["MUG", "TEE"] { #expect(try await h.run("DefineItem", ["sku": .string(sku)]).status == .accepted) }
    return (h, WarehouseImporter(bus: h.bus, mappings: try shippedMappings()))
}

private let ordersHeader = "order_ref,ship_to_name,address1,city,postal_code,country,service_level,sku,quantity\n"

@Suite("Bulk import: orders")
struct OrderImportTests {
    @Test func rowsOfOneReferenceAreOneOrderAndEachRefusalNamesItsLine() async throws {
        let (h, importer) = try await importerWithCatalog()
        let csv = ordersHeader + """
            SO-1,Ada,1 Main St,Springfield,62701,US,GROUND,MUG,2
            SO-2,Grace,2 Main St,Springfield,62701,US,GROUND,NOPE,1
            SO-1,,,,,,,TEE,3
            SO-3,Alan,3 Main St,Springfield,62701,US,GROUND,MUG,1
            SO-3,,,,,,,TEE,0
            SO-4,Edsger,4 Main St,,62701,US,GROUND,MUG,1

            """
        let report = try await importer.importFile(.orders, csv: Array(csv.utf8), file: "orders.csv", issuedBy: "test")
        #expect(report.rows == 6)
        #expect(report.commands == 4)
        #expect(report.accepted == 1)
        #expect(report.duplicates == 0)
        #expect(report.rejected.map(\.reference) == ["SO-2", "SO-3", "SO-4"])
        #expect(report.rejected.map(\.lines) == [[3], [5, 6], [7]])
        let reasons = report.rejected.map { $0.reasons.map { "\($0.line) \($0.code) \($0.path)" } }
        #expect(reasons == [["3 unknown-sku lines[0].sku"], ["6 invalid lines[1].quantity"], ["7 required shipTo.city"]])

        let order = try await h.order("SO-1")
        #expect(order.exists)
        #expect(order.lines.map(\.sku) == ["MUG", "TEE"], "the rows of SO-1 (lines 2 and 4) in file order")
        #expect(order.lines.map(\.quantity) == [2, 3])
        #expect(!(try await h.order("SO-2")).exists)
    }

    @Test func theSameFileTwiceGivesOnlyDuplicatesAndWritesNothing() async throws {
        let (h, importer) = try await importerWithCatalog()
        let csv = try fixture("orders-minimal.csv") + Array("7002,Grace,2 Main St,Springfield,62701,US,GROUND,NOPE,1\n".utf8)
        let first = try await importer.importFile(.orders, csv: csv, issuedBy: "test")
        #expect((first.accepted, first.rejected.count) == (1, 1))
        let head = try await h.store.headPosition()
        let second = try await importer.importFile(.orders, csv: csv, issuedBy: "test")
        #expect((second.accepted, second.duplicates, second.rejected.count) == (0, 2, 0))
        #expect(second.sha256 == first.sha256)
        #expect(try await h.store.headPosition() == head, "no event was written by the second import")
    }

    @Test func aLaterRowThatContradictsTheOrderHeaderRefusesTheOrder() async throws {
        let (h, importer) = try await importerWithCatalog()
        let csv = ordersHeader + """
            SO-7,Ada,1 Main St,Springfield,62701,US,GROUND,MUG,1
            SO-7,Ada,1 Main St,Shelbyville,62701,US,,TEE,1

            """
        let report = try await importer.importFile(.orders, csv: Array(csv.utf8), issuedBy: "test")
        #expect(report.commands == 0)
        #expect(report.rejected.count == 1)
        #expect(report.rejected.first?.reasons.map { "\($0.line) \($0.code) \($0.path)" } == ["3 inconsistent shipTo.city"])
        #expect(!(try await h.order("SO-7")).exists)
    }

    @Test func anUnreadableRowHoldsBackEveryOrderSinceItMayBelongToAny() async throws {
        let (h, importer) = try await importerWithCatalog()
        let csv = ordersHeader + """
            SO-8,Ada,1 Main St,Springfield,62701,US,GROUND,MUG,1
            SO-8,Ada,1 Main St, Apt 4,Springfield,62701,US,GROUND,TEE,1

            """
        let report = try await importer.importFile(.orders, csv: Array(csv.utf8), issuedBy: "test")
        #expect(report.commands == 0)
        #expect(report.rejected.map(\.lines) == [[2], [3]])
        #expect(report.rejected[0].reasons.map(\.code) == ["not-imported"])
        #expect(report.rejected[1].reasons.map(\.code) == ["invalid-csv"])
        #expect(report.rejected[1].reasons[0].message.contains("the row has 10 fields, the header has 9"), "\(report.rejected[1].reasons)")
        #expect(!(try await h.order("SO-8")).exists)
    }

    @Test func aHeaderWithoutTheColumnsTheMappingReadsIsOneErrorForTheFile() async throws {
        let (h, importer) = try await importerWithCatalog()
        let head = try await h.store.headPosition()
        let items = try fixture("items.csv")
        let error = await #expect(throws: WarehouseImportError.self) {
            try await importer.importFile(.orders, csv: items, file: "items.csv", issuedBy: "test")
        }
        guard case .unreadable(.orders, "items.csv", _, let reason)? = error else {
            Issue.record("expected an unreadable file, got \(String(describing: error))")
            return
        }
        #expect(reason.hasPrefix("no row gives orderId, externalReference, shipTo.name"), "\(reason)")
        #expect(reason.contains("the header (sku, gtin, description"), "\(reason)")
        await #expect(throws: WarehouseImportError.self) { try await importer.importFile(.orders, csv: [], issuedBy: "test") }
        await #expect(throws: WarehouseImportError.self) {
            try await importer.importFile(.orders, csv: Array("order_ref,,sku\n".utf8), issuedBy: "test")
        }
        #expect(try await h.store.headPosition() == head)
    }
}

@Suite("Bulk import: items, locations, stock")
struct CatalogImportTests {
    @Test func theShippedFixturesDefineTheCatalogAndReceiveStock() async throws {
        let h = try WarehouseHarness()
        let importer = WarehouseImporter(bus: h.bus, mappings: try shippedMappings())
        let items = try await importer.importFile(.items, csv: try fixture("items.csv"), issuedBy: "test")
        #expect((items.rows, items.dropped, items.accepted, items.rejected.count) == (4, 1, 3, 0), "\(items.json)")
        let locations = try await importer.importFile(.locations, csv: try fixture("locations.csv"), issuedBy: "test")
        #expect((locations.accepted, locations.rejected.count) == (3, 0), "\(locations.json)")
        let stock = try await importer.importFile(.stock, csv: try fixture("stock.csv"), issuedBy: "test")
        #expect((stock.accepted, stock.rejected.count) == (2, 0), "\(stock.json)")
        #expect(try await h.stock("MUG").balances.values.map(\.onHand).reduce(0, +) == 40)
        let milk = try await h.stock("MILK")
        #expect(milk.balances.map { "\($0.key.location)/\($0.key.lot ?? "-") \($0.value.onHand)" } == ["A-00-02/L-77 12"])
        // The same stock file again adds nothing.
        let again = try await importer.importFile(.stock, csv: try fixture("stock.csv"), issuedBy: "test")
        #expect((again.accepted, again.duplicates) == (0, 2))
        #expect(try await h.stock("MUG").balances.values.map(\.onHand).reduce(0, +) == 40)
    }

    @Test func rowsTheCoreRefusesAreReportedWithTheirLineAndTheOthersRun() async throws {
        let h = try WarehouseHarness()
        let importer = WarehouseImporter(bus: h.bus, mappings: try shippedMappings())
        let csv = "location,zone,aisle,bay\nA-1,A,0,1\nA-2,A,12,1\nA-3,,0,3\nA-4,A,zero,4\n"
        let report = try await importer.importFile(.locations, csv: Array(csv.utf8), issuedBy: "test")
        #expect(report.accepted == 1)
        #expect(report.rejected.map { $0.reasons.map { "\($0.line) \($0.code) \($0.path)" } } == [["3 invalid aisle"], ["4 required zone"], ["5 invalid aisle"]])
        let semicolons = try await importer.importFile(.items, csv: Array("sku;description\nCUP;Cup; blue\n".utf8), delimiter: .semicolon, issuedBy: "test")
        #expect(semicolons.rejected.first?.reasons.first?.code == "invalid-csv", "three fields under a header of two")
    }

    @Test func aStockMappingMayCountInsteadOfReceiveButNoOtherCommand() async throws {
        let h = try WarehouseHarness()
        for (type, body) in [("DefineItem", ["sku": "MUG"] as JSONValue), ("DefineLocation", ["location": "A-1", "zone": "A", "aisle": 0, "bay": 1]),
                             ("ReceiveStock", ["sku": "MUG", "location": "A-1", "quantity": 10])] {
            #expect(try await h.run(type, body).status == .accepted)
        }
        let counts = try MappingFile.load(text: """
            name: stock-counts
            version: 1
            input: csv
            fields:
              type: 'kind = "count" ? "AdjustStock" : "CancelOrder"'
              sku: sku
              location: location
              countedQuantity: counted
              reason: '"cycle count"'
            """, file: "stock-counts.yaml")
        let importer = WarehouseImporter(bus: h.bus, mappings: [.stock: counts])
        let report = try await importer.importFile(.stock, csv: Array("kind,sku,location,counted\ncount,MUG,A-1,7\nother,MUG,A-1,1\n".utf8), issuedBy: "test")
        #expect(report.accepted == 1)
        #expect(report.rejected.map { $0.reasons.map { "\($0.line) \($0.code) \($0.path)" } } == [["3 invalid type"]])
        #expect(try await h.stock("MUG").balances.values.map(\.onHand) == [7], "the count set the level")
    }
}

@Suite("Bulk import: watched folder")
struct ImportFolderTests {
    @Test func aFileIsReadyWhenTwoScansSawItUnchanged() {
        var watch = ImportFolderWatch()
        let a = ImportFolderWatch.Entry(name: "a.csv", size: 10, modified: 1)
        #expect(watch.ready([a]).isEmpty)
        #expect(watch.ready([ImportFolderWatch.Entry(name: "a.csv", size: 20, modified: 2)]).isEmpty, "still growing")
        #expect(watch.ready([ImportFolderWatch.Entry(name: "a.csv", size: 20, modified: 2)]) == ["a.csv"])
        #expect(watch.ready([]).isEmpty)
    }

    @Test func hiddenPartialAndOtherFilesAreNeverImported() {
        var watch = ImportFolderWatch()
        let names = [".a.csv", "b.csv.part", "c.csv.tmp", "d.txt", "e.CSV", "~f.csv", "g.csv.partial"]
        let listing = names.map { ImportFolderWatch.Entry(name: $0, size: 1, modified: 1) }
        _ = watch.ready(listing)
        #expect(watch.ready(listing) == ["e.CSV"])
    }

    @Test func anImportedFileMovesToDoneWithItsReportAndAnUnreadableOneToFailed() async throws {
        let (h, importer) = try await importerWithCatalog()
        let root = h.testStore.directory.appendingPathComponent("imports").path
        let folder = WarehouseImportFolder(root: root, importer: importer, logger: .init(label: "test"))
        try folder.createFolders()
        try Data(try fixture("orders-minimal.csv")).write(to: URL(fileURLWithPath: "\(root)/orders/day1.csv"))
        try Data("\n".utf8).write(to: URL(fileURLWithPath: "\(root)/orders/empty.csv"))
        try Data("sku\nX\n".utf8).write(to: URL(fileURLWithPath: "\(root)/orders/.upload.csv"))
        var watches: [WarehouseImportKind: ImportFolderWatch] = [:]
        try await folder.scan(&watches)
        #expect(FileManager.default.fileExists(atPath: "\(root)/orders/day1.csv"), "seen once: not yet known to be complete")
        try await folder.scan(&watches)
        let done = try FileManager.default.contentsOfDirectory(atPath: "\(root)/orders/done").sorted()
        #expect(done == ["day1.csv", "day1.csv.report.json"])
        let report = try JSONValue(parsing: try Data(contentsOf: URL(fileURLWithPath: "\(root)/orders/done/day1.csv.report.json")))
        #expect(report["accepted"] == 1)
        #expect(report["file"] == "day1.csv")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(root)/orders/failed").sorted() == ["empty.csv", "empty.csv.report.json"])
        let failed = try JSONValue(parsing: try Data(contentsOf: URL(fileURLWithPath: "\(root)/orders/failed/empty.csv.report.json")))
        #expect(failed["error"]?.stringValue?.contains("no header row") == true, "\(failed)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(root)/orders") .sorted() == [".upload.csv", "done", "failed"])
        #expect(try await h.order("7001").exists)
    }
}
