import EventStore
import Foundation
import Gateway
import Hummingbird
import JSON
import Warehouse

/// The core's REST API under `/api/v1` (bearer token, like the rest of `/api`):
/// - `POST /api/v1/orders`: a `CreateOrder` command's JSON; 201 when accepted, 200 for a repeat
///   of the same `commandId`, 422 with every validation error, 409 for a conflict;
/// - `POST /api/v1/commands/{type}`: any command (`GET /api/v1/commands` lists them);
/// - `GET /api/v1/orders/{id}`, `/inventory/{sku}`, `/tasks/{id}`, `/waves/{id}`,
///   `/cartons/{id}`: the aggregate's current state folded from the log;
/// - `POST /api/v1/waves/plan?release=`: the wave creator (and releaser) now;
/// - the read models' queries and projections (see `addReadModelRoutes`).
public struct WarehouseRoutes: GatewayRouteProvider {
    let bus: CommandBus
    let readModels: WarehouseReadModels
    let waves: WaveScheduler

    public init(bus: CommandBus, readModels: WarehouseReadModels, waves: WaveScheduler) {
        self.bus = bus
        self.readModels = readModels
        self.waves = waves
    }


    public func addAPIRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("v1/orders") { request, _ in try await run(request, type: "CreateOrder") }
        group.post("v1/commands/:type") { request, context in try await run(request, type: try context.parameters.require("type")) }
        group.get("v1/commands") { _, _ in
            jsonResponse(.ok, JSONValue.array(WarehouseCommands.names.map { .string($0) }).serialized())
        }
        addReadModelRoutes(to: group)
        // The wave creator now, rather than at its next slot: `?release=false` only creates.
        group.post("v1/waves/plan") { request, _ in
            let release = request.uri.queryParameters.get("release").map { $0 != "false" } ?? waves.settings.release
            let run = try await waves.run(runId: WaveScheduler.runId(Date(), prefix: "M"), release: release)
            return jsonResponse(.ok, run.json.serialized())
        }
        group.get("v1/orders/:id") { _, context in
            let order = try await bus.read(OrderState.self, WarehouseStreams.order(try context.parameters.require("id")))
            guard order.exists else { return jsonError(.notFound, "no such order") }
            return jsonResponse(.ok, WarehouseJSON.order(order).serialized(pretty: true))
        }
        group.get("v1/inventory/:sku") { _, context in
            let sku = try context.parameters.require("sku")
            let stock = try await bus.read(InventoryState.self, WarehouseStreams.inventory(sku))
            return jsonResponse(.ok, WarehouseJSON.inventory(sku, stock).serialized(pretty: true))
        }
        group.get("v1/tasks/:id") { _, context in
            let task = try await bus.read(TaskState.self, WarehouseStreams.task(try context.parameters.require("id")))
            guard task.status != .none else { return jsonError(.notFound, "no such task") }
            return jsonResponse(.ok, WarehouseJSON.task(task).serialized(pretty: true))
        }
        group.get("v1/waves/:id") { _, context in
            let wave = try await bus.read(WaveState.self, WarehouseStreams.wave(try context.parameters.require("id")))
            guard wave.status != .none else { return jsonError(.notFound, "no such wave") }
            return jsonResponse(.ok, WarehouseJSON.wave(wave).serialized(pretty: true))
        }
        group.get("v1/cartons/:id") { _, context in
            let carton = try await bus.read(CartonState.self, WarehouseStreams.carton(try context.parameters.require("id")))
            guard carton.status != .none else { return jsonError(.notFound, "no such carton") }
            return jsonResponse(.ok, WarehouseJSON.carton(carton).serialized(pretty: true))
        }
    }

    private func run(_ request: Request, type: String) async throws -> Response {
        let body = try await request.body.collect(upTo: .max)  // bounded by BodySizeLimitMiddleware (http.maxBodyBytes)
        let json: JSONValue
        do { json = try JSONValue(parsing: Array(body.readableBytesView)) } catch {
            return jsonResponse(.badRequest, (["errors": [["code": "invalid-json", "path": "$", "message": .string("\(error)")]]] as JSONValue).serialized())
        }
        let outcome = try await bus.execute(json: json, type: type, issuedBy: "api")
        let status: HTTPResponse.Status = switch outcome.status {
        case .accepted: type == "CreateOrder" ? .created : .ok
        case .duplicate: .ok
        case .rejected: outcome.reasons.contains { $0.code == "unknown-command" } ? .notFound
            : CommandRejection(commandId: outcome.commandId, type: outcome.type, reasons: outcome.reasons).isConflict ? .conflict : .unprocessableContent
        }
        return jsonResponse(status, outcome.json.serialized())
    }
}
