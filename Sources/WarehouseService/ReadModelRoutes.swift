import EventStore
import Gateway
import Hummingbird
import JSON

/// The read side's API under `/api/v1` (bearer token, like the rest of `/api`). Lists are paged
/// by id: `limit` (1–1000, default 100) and `after` (the `next` of the previous page); every
/// query takes `waitFor=<position>` (a command outcome's `position`) and answers only once the
/// read models have projected it (read-your-writes), or 503 after 5 s; 400 for a position past
/// the log's head.
///
/// - `GET /api/v1/orders?status=`; `GET /api/v1/inventory` (per SKU, with balances by location
///   and lot); `GET /api/v1/availability?sku=A,B` (available to promise);
///   `GET /api/v1/locations?zone=`, `GET /api/v1/locations/{id}` (with its stock);
///   `GET /api/v1/items`; `GET /api/v1/tasks?zone=&status=`; `GET /api/v1/task-queue?zone=`
///   (open tasks in the prioritizer's order); `GET /api/v1/zones` (open work per zone);
///   `GET /api/v1/waves?status=`; `GET /api/v1/shipments?status=&orderId=`;
/// - `GET /api/v1/projections` (each read model's position, the head, the lag) and
///   `POST /api/v1/projections/{name}/rebuild`.
extension WarehouseRoutes {
    func addReadModelRoutes(to group: RouterGroup<BasicRequestContext>) {
        let models = readModels
        group.get("v1/orders") { request, _ in
            try await query(request, "orders") { q in try await models.orders(status: q.text("status"), after: q.after, limit: q.limit) }
        }
        group.get("v1/inventory") { request, _ in
            try await query(request, "inventory") { q in try await models.stock(after: q.after, limit: q.limit) }
        }
        group.get("v1/availability") { request, _ in
            try await answer(request) { q in
                let skus = (q.text("sku") ?? "").split(separator: ",").map(String.init)
                let atp = try await models.availableToPromise(skus: skus)
                return ["availability": .array(skus.map { ["sku": .string($0), "available": .number(Double(atp[$0] ?? 0))] })]
            }
        }
        group.get("v1/locations") { request, _ in
            try await query(request, "locations") { q in try await models.locations(zone: q.text("zone"), after: q.after, limit: q.limit) }
        }
        group.get("v1/locations/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await answer(request) { _ in try await models.location(id) }
        }
        group.get("v1/items") { request, _ in
            try await query(request, "items") { q in try await models.items(after: q.after, limit: q.limit) }
        }
        group.get("v1/tasks") { request, _ in
            try await query(request, "tasks") { q in try await models.tasks(zone: q.text("zone"), status: q.text("status"), after: q.after, limit: q.limit) }
        }
        group.get("v1/task-queue") { request, _ in
            try await answer(request) { q in ["tasks": .array(try await models.taskQueue(zone: q.text("zone"), limit: q.limit))] }
        }
        group.get("v1/zones") { request, _ in
            try await answer(request) { _ in ["zones": .array(try await models.zones())] }
        }
        group.get("v1/waves") { request, _ in
            try await query(request, "waves") { q in try await models.waves(status: q.text("status"), after: q.after, limit: q.limit) }
        }
        group.get("v1/shipments") { request, _ in
            try await query(request, "shipments") { q in
                try await models.shipments(status: q.text("status"), orderId: q.text("orderId"), after: q.after, limit: q.limit)
            }
        }
        group.get("v1/projections") { _, _ in
            let head = try await bus.store.headPosition()
            let rows: [JSONValue] = models.positions.map { p in
                ["name": .string(p.name), "position": .number(Double(p.position)), "head": .number(Double(head)), "lag": .number(Double(head - p.position))]
            }
            return jsonResponse(.ok, (["projections": .array(rows)] as JSONValue).serialized())
        }
        group.post("v1/projections/:name/rebuild") { _, context in
            let name = try context.parameters.require("name")
            guard try await models.rebuild(name) else {
                return jsonError(.notFound, "no read model '\(name)'; there are \(WarehouseReadModels.names.joined(separator: ", "))")
            }
            return jsonResponse(.accepted, (["rebuilding": .string(name)] as JSONValue).serialized())
        }
    }

    /// A query's parameters.
    struct QueryParameters {
        let request: Request
        func text(_ name: String) -> String? { request.uri.queryParameters.get(name).map { String($0) }.flatMap { $0.isEmpty ? nil : $0 } }
        var after: String { text("after") ?? "" }
        var limit: Int { min(1000, max(1, request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 100)) }
    }

    /// Answers `body`'s JSON (404 when nil) once the read models reached `waitFor`.
    private func answer(_ request: Request, _ body: (QueryParameters) async throws -> JSONValue?) async throws -> Response {
        let q = QueryParameters(request: request)
        if let p = q.text("waitFor") {
            guard let position = Int64(p) else { return jsonError(.badRequest, "waitFor must be a log position (an integer), not '\(p)'") }
            // A position past the head is no command's outcome: waiting for it would hold the
            // request 5 s and answer 503 (found by schemathesis), so it is the caller's error.
            let head = try await bus.store.headPosition()
            guard position <= head else { return jsonError(.badRequest, "waitFor \(position) is past the log's head (\(head)): use a command outcome's position") }
            guard await readModels.waitUntilProjected(position) else {
                return jsonError(.serviceUnavailable, "the read models have not reached position \(position) yet")
            }
        }
        guard let json = try await body(q) else { return jsonError(.notFound, "not found") }
        return jsonResponse(.ok, json.serialized())
    }

    private func query(_ request: Request, _ name: String, _ page: (QueryParameters) async throws -> ReadModelPage) async throws -> Response {
        try await answer(request) { q in try await page(q).json(name) }
    }
}
