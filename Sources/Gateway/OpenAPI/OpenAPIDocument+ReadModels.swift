import JSON

extension OpenAPIDocument {
    /// The read side (WarehouseService/ReadModelRoutes.swift): lists paged by id, each query
    /// waiting for `waitFor` (read-your-writes).
    static var readModelOperations: [OpenAPIOperation] {
        let waitFor = OpenAPI.query("waitFor", "Answer once the read models projected this log position (a command outcome's position); 503 after 5 s",
                                    ["type": "integer", "minimum": 0])
        let paging = [
            OpenAPI.query("limit", "Rows per page (1–1000, default 100)", ["type": "integer", "minimum": 1, "maximum": 1000]),
            OpenAPI.query("after", "The next of the previous page"),
        ]
        let queryErrors: [(String, JSONValue)] = [
            ("400", OpenAPI.error("waitFor is not a log position, or is past the log's head")),
            ("503", OpenAPI.error("The read models have not reached waitFor yet")),
        ]
        /// A page of `row`s (the read model's documents: WarehouseJSON's shapes).
        func list(_ path: String, _ name: String, _ summary: String, row: JSONValue = OpenAPI.anyObject, filters: [JSONValue] = []) -> OpenAPIOperation {
            OpenAPIOperation(.get, path, summary, parameters: filters + paging + [waitFor],
                             responses: [("200", OpenAPI.json("One page", OpenAPI.objectSchema([
                                 (name, OpenAPI.array(of: row)),
                                 ("next", ["type": ["string", "null"], "description": "after for the next page; null on the last"]),
                             ])))] + queryErrors)
        }
        return [
            list("/api/v1/orders", "orders", "Orders", row: OpenAPI.ref("Order"), filters: [OpenAPI.query("status", "Only orders in this status")]),
            list("/api/v1/inventory", "inventory", "Stock per SKU, with balances by location and lot"),
            OpenAPIOperation(.get, "/api/v1/availability", "Available to promise per SKU",
                             parameters: [OpenAPI.query("sku", "SKUs, separated by commas"), waitFor],
                             responses: [("200", OpenAPI.json("Availability", OpenAPI.objectSchema([
                                 ("availability", OpenAPI.array(of: OpenAPI.objectSchema([("sku", OpenAPI.string), ("available", OpenAPI.number)]))),
                             ])))] + queryErrors),
            list("/api/v1/locations", "locations", "Locations", row: OpenAPI.ref("Location"), filters: [OpenAPI.query("zone", "Only this zone's")]),
            OpenAPIOperation(.get, "/api/v1/locations/{id}", "A location with its stock",
                             parameters: [OpenAPI.path("id", "The location id", nonEmpty, example: "A-01-01"), waitFor],
                             responses: [("200", OpenAPI.json("The location", ["allOf": [OpenAPI.ref("Location"), OpenAPI.objectSchema([("stock", OpenAPI.array(of: OpenAPI.anyObject))])]])), ("404", OpenAPI.error("No such location"))] + queryErrors),
            list("/api/v1/items", "items", "Items", row: OpenAPI.ref("Item")),
            list("/api/v1/tasks", "tasks", "Tasks", row: OpenAPI.ref("Task"), filters: [OpenAPI.query("zone", "Only this zone's"), OpenAPI.query("status", "Only tasks in this status")]),
            OpenAPIOperation(.get, "/api/v1/task-queue", "Open tasks in the prioritizer's order",
                             parameters: [OpenAPI.query("zone", "Only this zone's"), paging[0], waitFor],
                             responses: [("200", OpenAPI.json("The queue", OpenAPI.objectSchema([("tasks", OpenAPI.array(of: OpenAPI.anyObject))])))] + queryErrors),
            OpenAPIOperation(.get, "/api/v1/zones", "Open work per zone", parameters: [waitFor],
                             responses: [("200", OpenAPI.json("The zones", OpenAPI.objectSchema([("zones", OpenAPI.array(of: OpenAPI.anyObject))])))] + queryErrors),
            list("/api/v1/waves", "waves", "Waves", row: OpenAPI.ref("Wave"), filters: [OpenAPI.query("status", "Only waves in this status")]),
            list("/api/v1/shipments", "shipments", "Shipments (cartons with their tracking)", row: OpenAPI.ref("Carton"),
                 filters: [OpenAPI.query("status", "Only shipments in this status"), OpenAPI.query("orderId", "Only this order's")]),
            OpenAPIOperation(.get, "/api/v1/projections", "Each read model's position, the head and the lag",
                             responses: [("200", OpenAPI.json("The read models", OpenAPI.objectSchema([("projections", OpenAPI.array(of: OpenAPI.objectSchema([
                                 ("name", OpenAPI.string), ("position", OpenAPI.integer), ("head", OpenAPI.integer), ("lag", OpenAPI.integer),
                             ])))])))]),
            OpenAPIOperation(.post, "/api/v1/projections/{name}/rebuild", "Rebuild a read model from the log",
                             parameters: [OpenAPI.path("name", "The read model", nonEmpty)],
                             responses: [("202", OpenAPI.json("Rebuilding", OpenAPI.objectSchema([("rebuilding", OpenAPI.string)]))),
                                         ("404", OpenAPI.error("No such read model"))]),
        ]
    }
}
