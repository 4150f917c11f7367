import Foundation
import PakLog
import StrictYAML
import Testing
import WarehouseService

/// `warehouse.imports`: the watched folder and each kind's csv mapping.
@Suite("Configuration of bulk imports")
struct WarehouseImportConfigurationTests {
    let loader = ConfigurationLoader(environment: [:])
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func theSectionLoadsAndKindsLeftOutUseTheShippedMappings() throws {
        let config = try loader.load(text: """
            warehouse:
              imports:
                folder: /srv/imports
                pollInterval: 2s
                delimiter: semicolon
                orders: {mapping: Mappings/imports/orders.yaml}
            """, file: "paklog.yaml", baseDirectory: Self.repositoryRoot)
        let imports = config.warehouse.imports
        #expect(imports.folder == "/srv/imports")
        #expect(imports.pollInterval == .seconds(2))
        #expect(imports.mappings[.orders]?.path == "Mappings/imports/orders.yaml")
        #expect(imports.delimiter == .semicolon)
        #expect(imports.mappings[.orders]?.location.line == 6)
        let loaded = imports.load(baseDirectory: Self.repositoryRoot)
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        #expect(Set(loaded.mappings.keys) == Set(WarehouseImportKind.allCases))
        #expect(loaded.mappings[.items]?.name == "import-items")
        // Elsewhere the shipped mappings are not found: those kinds are off, not an error.
        let elsewhere = WarehouseImportSettings().load(baseDirectory: "/nonexistent")
        #expect(elsewhere.problems.isEmpty && elsewhere.mappings.isEmpty)
        #expect(elsewhere.unavailable == WarehouseImportKind.allCases)
    }

    @Test func configCheckNamesTheLineOfAMissingOrNonCSVMapping() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("import-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "name: j\nversion: 1\ninput: json\nfields:\n  a: a\n".write(to: directory.appendingPathComponent("json.yaml"), atomically: true, encoding: .utf8)
        let config = try loader.load(text: """
            storage: {path: \(directory.path)/paklog.sqlite}
            warehouse:
              imports:
                orders: {mapping: nope.yaml}
                items:
                  mapping: json.yaml
            """, file: "paklog.yaml", baseDirectory: directory.path)
        var problems = ""
        do { try await ConfigurationCheck.validate(config) } catch { problems = "\(error)" }
        #expect(problems.contains("paklog.yaml:4:") && problems.contains("mapping 'nope.yaml' not found"), "\(problems)")
        #expect(problems.contains("paklog.yaml:6:") && problems.contains("mapping 'json.yaml' reads 'json' input; an import mapping reads csv"), "\(problems)")
    }

    @Test func aRouteStepRefusesACSVMapping() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("route-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "name: c\nversion: 1\ninput: csv\nfields:\n  a: a\n".write(to: directory.appendingPathComponent("rows.yaml"), atomically: true, encoding: .utf8)
        let config = try loader.load(text: """
            storage: {path: \(directory.path)/paklog.sqlite}
            sources:
              shop: {type: webhook, path: /shop, signature: {scheme: none}}
            routes:
              - name: orders
                from: shop
                steps:
                  - transform: rows.yaml
                  - to: [command:CreateOrder]
            """, file: "paklog.yaml", baseDirectory: directory.path)
        var problems = ""
        do { try await ConfigurationCheck.validate(config) } catch { problems = "\(error)" }
        #expect(problems.contains("paklog.yaml:8:") && problems.contains("mapping 'rows.yaml' reads csv input, but a route step maps a message's JSON or X12 body"),
                "\(problems)")
    }

    @Test func unknownKindsAndATooShortPollIntervalAreRefused() {
        var problems: [String] = []
        do {
            _ = try loader.load(text: "warehouse:\n  imports:\n    pollInterval: 1ms\n    invoices: {mapping: x.yaml}\n", file: "paklog.yaml", baseDirectory: "/tmp")
        } catch { problems = error.diagnostics.map(\.description) }
        #expect(problems.contains { $0.contains("paklog.yaml:3:") && $0.contains("pollInterval below 100ms") }, "\(problems)")
        #expect(problems.contains { $0.contains("paklog.yaml:4:") && $0.contains("invoices") }, "\(problems)")
    }
}
