import Foundation
import HTTPClient
import JSON
import Testing

/// The warehouse core in the real daemon: orders entered over `POST /api/v1/orders`, the saga
/// asking for a label when a carton is packed, a route sending the request to a carrier peer
/// (fault_server.py's `/label`, an InOut endpoint) and the reply route turning the answer into a
/// `RecordLabel` command with `to: command:RecordLabel`.
@Suite("Warehouse core in the daemon", .serialized)
struct WarehouseDaemonTests {
    let token = "warehouse-test-token"

    func call(_ client: HTTPClient, _ port: Int, _ method: HTTPMethod, _ path: String, _ body: JSONValue? = nil) async throws -> (Int, JSONValue) {
        try await apiCall(client, port: port, token: token, method, path, body)
    }

    @Test("order entry over REST, pick and pack over the API, label through a route to a carrier peer, ship",
          .timeLimit(.minutes(3)))
    func orderToShipmentThroughTheDaemon() async throws {
        let directory = try TemporaryDirectory()
        let carrier = try await FaultServerProcess.start()
        defer { carrier.process.signal(SIGKILL) }
        let labelRoutes = try LabelRoutes.write(in: directory)
        let mappingPath = directory.path + "/label-reply.yaml"
        let port = freeLoopbackPort()
        let storePath = directory.path + "/paklog.sqlite"
        let configPath = try directory.write("paklog.yaml", """
            storage: {path: \(storePath), durability: full}
            http: {host: 127.0.0.1, port: \(port), apiTokens: ["\(token)"]}
            logging: {level: info, format: json}
            warehouse:
              ssccCompanyPrefix: "0614141"
              carriers:
                GROUND: {carrier: fedex, service: FEDEX_GROUND}
            endpoints:
              carrier:
                type: http
                url: \(carrier.url("/label"))
                exchangePattern: InOut
            routes:
            \(labelRoutes)
            """)
        let client = HTTPClient()
        let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath])
        defer { daemon.signal(SIGKILL) }
        try await waitUntilHealthy(client, port: port, daemon: daemon)

        for (type, body) in [("DefineItem", ["commandId": "i1", "sku": "MUG", "gtin": "4006381333931"] as JSONValue),
                             ("DefineLocation", ["commandId": "l1", "location": "A-01-01", "zone": "A", "aisle": 0, "bay": 1]),
                             ("ReceiveStock", ["commandId": "r1", "sku": "MUG", "location": "A-01-01", "quantity": 10])] {
            let (status, answer) = try await call(client, port, "POST", "/api/v1/commands/\(type)", body)
            #expect(status == 200, "\(type): \(answer)")
        }
        // The command line goes through the same API.
        let receipt = try directory.write("receipt.json", #"{"commandId": "r2", "sku": "MUG", "location": "A-01-01", "quantity": 5}"#)
        let cli = try ChildProcess(try BuiltProducts.executable("paklog"), ["command", "ReceiveStock", receipt, "--url", "http://127.0.0.1:\(port)", "--token", token])
        #expect(await cli.wait(timeout: .seconds(30)) == 0, "\(cli.standardError)")
        #expect(cli.standardOutput.contains(#""status":"accepted""#), "\(cli.standardOutput)")
        let refused = try ChildProcess(try BuiltProducts.executable("paklog"), ["command", "ReceiveStock", mappingPath, "--url", "http://127.0.0.1:\(port)", "--token", token])
        #expect(await refused.wait(timeout: .seconds(30)) != 0, "a file that is not JSON is refused")
        // Manual entry: every validation error at once, with 422.
        let (bad, badAnswer) = try await call(client, port, "POST", "/api/v1/orders", ["commandId": "o0", "orderId": "O-0", "lines": [["sku": "NOPE", "quantity": -1]]])
        #expect(bad == 422)
        #expect((badAnswer["errors"]?.arrayValue?.count ?? 0) >= 6, "\(badAnswer)")
        let order: JSONValue = ["commandId": "o1", "orderId": "O-1", "channel": "web", "externalReference": "shop-1", "serviceLevel": "GROUND",
                                "shipTo": ["name": "Ada", "address1": "1 Main St", "city": "Springfield", "postalCode": "12345", "country": "US"],
                                "lines": [["sku": "MUG", "quantity": 2]]]
        let (created, createdAnswer) = try await call(client, port, "POST", "/api/v1/orders", order)
        #expect(created == 201, "\(createdAnswer)")
        let (again, _) = try await call(client, port, "POST", "/api/v1/orders", order)
        #expect(again == 200, "the same command id again changes nothing")

        _ = try await call(client, port, "POST", "/api/v1/commands/CreateWave", ["commandId": "w1", "waveId": "W-1", "orders": ["O-1"]])
        _ = try await call(client, port, "POST", "/api/v1/commands/ReleaseWave", ["commandId": "w1r", "waveId": "W-1"])
        let (_, wave) = try await call(client, port, "GET", "/api/v1/waves/W-1")
        let taskId = try #require(wave["tasks"]?[0]?.stringValue, "\(wave)")
        let (claimed, _) = try await call(client, port, "POST", "/api/v1/commands/ClaimTask", ["commandId": "c1", "taskId": .string(taskId), "operator": "ann"])
        #expect(claimed == 200)
        let (conflict, _) = try await call(client, port, "POST", "/api/v1/commands/ClaimTask", ["commandId": "c2", "taskId": .string(taskId), "operator": "bob"])
        #expect(conflict == 409)
        _ = try await call(client, port, "POST", "/api/v1/commands/ConfirmPick", ["commandId": "p1", "taskId": .string(taskId), "index": 0, "quantity": 2, "tote": "T-9"])
        let (packed, packAnswer) = try await call(client, port, "POST", "/api/v1/commands/PackCarton", ["commandId": "k1", "orderId": "O-1", "lines": [["line": 1, "quantity": 2]], "weightKg": 0.8])
        #expect(packed == 200, "\(packAnswer)")
        let cartonId = try #require(packAnswer["events"]?.arrayValue?.first { $0["type"] == "CartonPacked" }?["stream"]?.stringValue?.dropFirst(5)).description

        // The saga requests the label, the route calls the carrier, the reply route records it.
        var carton: JSONValue = .null
        let labelled = await pollUntil(timeout: .seconds(30)) {
            carton = (try? await call(client, port, "GET", "/api/v1/cartons/\(cartonId)").1) ?? .null
            return carton["status"] == "labelled"
        }
        #expect(labelled, "carton: \(carton)\n\(daemon.standardError.suffix(3000))")
        #expect(carton["trackingNumber"] == "1ZTESTO-1")
        #expect(carton["sscc"]?.stringValue?.count == 18)
        let (shipped, shipAnswer) = try await call(client, port, "POST", "/api/v1/commands/ShipCarton", ["commandId": "s1", "sscc": .string(cartonId), "door": "D-3"])
        #expect(shipped == 200, "\(shipAnswer)")
        let (_, final) = try await call(client, port, "GET", "/api/v1/orders/O-1")
        #expect(final["status"] == "shipped", "\(final)")
        let (_, stock) = try await call(client, port, "GET", "/api/v1/inventory/MUG")
        #expect(stock["onHand"] == 13)
        #expect(stock["reserved"] == 0)
        // The read model, read-your-writes at the position the last command answered.
        let position = Int(shipAnswer["position"]?.doubleValue ?? 0)
        let (listedStatus, listed) = try await call(client, port, "GET", "/api/v1/orders?waitFor=\(position)")
        #expect(listedStatus == 200, "\(listed)")
        #expect(listed["orders"]?[0]?["status"] == "shipped", "\(listed)")
        let (_, shipments) = try await call(client, port, "GET", "/api/v1/shipments?orderId=O-1&waitFor=\(position)")
        #expect(shipments["shipments"]?[0]?["status"] == "shipped", "\(shipments)")
        #expect(shipments["shipments"]?[0]?["trackingNumber"]?.stringValue?.isEmpty == false, "\(shipments)")
        let (_, location) = try await call(client, port, "GET", "/api/v1/locations/A-01-01?waitFor=\(position)")
        #expect(location["stock"]?[0]?["sku"] == "MUG", "\(location)")
        let (rebuild, _) = try await call(client, port, "POST", "/api/v1/projections/orders/rebuild")
        #expect(rebuild == 202)
        let (unknown, _) = try await call(client, port, "POST", "/api/v1/projections/nope/rebuild")
        #expect(unknown == 404)
        let rebuilt = await pollUntil(timeout: .seconds(30)) {
            let (_, again) = (try? await call(client, port, "GET", "/api/v1/orders?waitFor=\(position)")) ?? (0, .null)
            return again == listed
        }
        #expect(rebuilt, "the rebuilt read model equals the live one")
        let status = try ChildProcess(try BuiltProducts.executable("paklog"), ["projections", "status", "--url", "http://127.0.0.1:\(port)", "--token", token])
        #expect(await status.wait(timeout: .seconds(30)) == 0, "\(status.standardError)")
        for name in ["orders", "stock", "tasks", "shipments"] {
            #expect(status.standardOutput.split(separator: "\n").contains { $0.hasPrefix(name + " ") }, "\(status.standardOutput)")
        }
        daemon.signal(SIGTERM)
        _ = await daemon.wait(timeout: .seconds(30))
        await client.shutdown()
    }
}
