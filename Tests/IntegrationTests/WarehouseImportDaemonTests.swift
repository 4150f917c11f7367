import Foundation
import HTTPClient
import JSON
import Testing

/// Bulk imports in the real daemon: CSV files uploaded to `POST /api/v1/imports/{kind}` and put
/// into the watched folder, with the shipped mappings configured from the repository.
@Suite("Bulk import in the daemon", .serialized)
struct WarehouseImportDaemonTests {
    let token = "import-test-token"

    func upload(_ client: HTTPClient, _ port: Int, _ path: String, _ csv: String) async throws -> (Int, JSONValue) {
        let r = try await client.execute(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(port)\(path)",
                                                     headers: ["Authorization": "Bearer \(token)", "Content-Type": "text/csv"], body: Array(csv.utf8)))
        return (r.status, (try? JSONValue(parsing: r.body)) ?? .string(String(decoding: r.body, as: UTF8.self)))
    }

    @Test("CSV uploads over REST, a file in the watched folder moved to done/ with its report",
          .timeLimit(.minutes(2)))
    func uploadsAndTheWatchedFolder() async throws {
        let directory = try TemporaryDirectory()
        let mappings = BuiltProducts.repositoryRoot.appendingPathComponent("Mappings/imports").path
        let folder = directory.path + "/imports"
        let port = freeLoopbackPort()
        let configPath = try directory.write("paklog.yaml", """
            storage: {path: \(directory.path)/paklog.sqlite, durability: full}
            http: {host: 127.0.0.1, port: \(port), apiTokens: ["\(token)"]}
            logging: {level: info, format: json}
            warehouse:
              imports:
                folder: \(folder)
                pollInterval: 200ms
                orders: {mapping: \(mappings)/orders.yaml}
                items: {mapping: \(mappings)/items.yaml}
                locations: {mapping: \(mappings)/locations.yaml}
                stock: {mapping: \(mappings)/stock.yaml}
            """)
        let client = HTTPClient()
        let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        defer { daemon.signal(SIGKILL) }
        try await waitUntilHealthy(client, port: port, daemon: daemon)

        let (items, itemsReport) = try await upload(client, port, "/api/v1/imports/items?file=items.csv", "sku,description\nMUG,Mug\nTEE,T-shirt\n")
        #expect(items == 200, "\(itemsReport)")
        #expect(itemsReport["accepted"] == 2 && itemsReport["file"] == "items.csv", "\(itemsReport)")
        let (semicolons, semicolonReport) = try await upload(client, port, "/api/v1/imports/locations?delimiter=semicolon", "location;zone;aisle;bay\nA-1;A;0;1\n")
        #expect(semicolons == 200 && semicolonReport["accepted"] == 1, "\(semicolonReport)")
        let orders = "order_ref,ship_to_name,address1,city,postal_code,country,service_level,sku,quantity\n"
            + "SO-1,Ada,1 Main St,Springfield,62701,US,GROUND,MUG,2\nSO-2,Grace,2 Main St,Springfield,62701,US,GROUND,NOPE,1\nSO-1,,,,,,,TEE,1\n"
        let (status, report) = try await upload(client, port, "/api/v1/imports/orders", orders)
        #expect(status == 200, "\(report)")
        #expect(report["accepted"] == 1 && report["rows"] == 3, "\(report)")
        #expect(report["rejected"]?[0]?["lines"] == [3], "\(report)")
        #expect(report["rejected"]?[0]?["reasons"]?[0]?["code"] == "unknown-sku", "\(report)")
        let (again, againReport) = try await upload(client, port, "/api/v1/imports/orders", orders)
        #expect(again == 200 && againReport["duplicates"] == 2 && againReport["accepted"] == 0, "the same file again: \(againReport)")
        let (unreadable, unreadableReport) = try await upload(client, port, "/api/v1/imports/orders", "sku,sku\n")
        #expect(unreadable == 422, "\(unreadableReport)")
        #expect(unreadableReport["error"]?.stringValue?.contains("header name 'sku'") == true, "\(unreadableReport)")
        let (unknown, _) = try await upload(client, port, "/api/v1/imports/invoices", "a\n1\n")
        #expect(unknown == 404)
        let unauthorized = try await client.execute(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(port)/api/v1/imports/items", body: Array("sku\nX\n".utf8))).status
        #expect(unauthorized == 401)

        // The watched folder: written under a partial name, renamed in when complete.
        let partial = "\(folder)/orders/day2.csv.part"
        try Data((orders.replacingOccurrences(of: "SO-", with: "DAY2-")).utf8).write(to: URL(fileURLWithPath: partial))
        try FileManager.default.moveItem(atPath: partial, toPath: "\(folder)/orders/day2.csv")
        let reportPath = "\(folder)/orders/done/day2.csv.report.json"
        let moved = await pollUntil(timeout: .seconds(30), interval: .milliseconds(100)) {
            FileManager.default.fileExists(atPath: "\(folder)/orders/done/day2.csv") && FileManager.default.fileExists(atPath: reportPath)
        }
        #expect(moved, "\(daemon.standardError.suffix(2000))")
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/orders/day2.csv"))
        let folderReport = try JSONValue(parsing: try Data(contentsOf: URL(fileURLWithPath: reportPath)))
        #expect(folderReport["accepted"] == 1 && folderReport["file"] == "day2.csv", "\(folderReport)")
        let r = try await client.execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/api/v1/orders/DAY2-1", headers: ["Authorization": "Bearer \(token)"]))
        let order = try JSONValue(parsing: r.body)
        #expect(r.status == 200 && order["lines"]?.arrayValue?.count == 2, "\(order)")

        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: .seconds(30)) == 0)
        await client.shutdown()
    }
}
