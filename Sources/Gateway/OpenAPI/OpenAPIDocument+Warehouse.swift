import JSON

extension OpenAPIDocument {
    /// The core's commands and aggregates (WarehouseService/WarehouseRoutes.swift) and the CSV
    /// imports (WarehouseService/Imports/WarehouseImportRoutes.swift).
    static var warehouseOperations: [OpenAPIOperation] {
        let command = OpenAPI.object([("required", true), ("content", ["application/json": ["schema": OpenAPI.ref("Command")]])])
        let rejected: [(String, JSONValue)] = [
            ("400", OpenAPI.json("The body is not JSON", OpenAPI.ref("ValidationErrors"))),
            ("409", OpenAPI.json("The command conflicts with the state (or another command under its commandId)", OpenAPI.ref("CommandOutcome"))),
            ("422", OpenAPI.json("The command is invalid: every reason", OpenAPI.ref("CommandOutcome"))),
        ]
        func aggregate(_ path: String, _ what: String, _ schema: String, _ parameter: String, example: String, notFound: Bool = true) -> OpenAPIOperation {
            OpenAPIOperation(.get, path, "The \(what)'s current state, folded from the log",
                             parameters: [OpenAPI.path(parameter, "The \(what)'s id", nonEmpty, example: example)],
                             responses: [("200", OpenAPI.json("The \(what)", OpenAPI.ref(schema)))] + (notFound ? [("404", OpenAPI.error("No such \(what)"))] : []))
        }
        return [
            OpenAPIOperation(.post, "/api/v1/orders", "Create an order (the CreateOrder command)", requestBody: command,
                             responses: [("201", OpenAPI.json("Accepted", OpenAPI.ref("CommandOutcome"))),
                                         ("200", OpenAPI.json("A repeat of an accepted commandId: nothing changed", OpenAPI.ref("CommandOutcome")))] + rejected),
            OpenAPIOperation(.get, "/api/v1/commands", "The command types POST /api/v1/commands/{type} accepts",
                             responses: [("200", OpenAPI.json("The command types", OpenAPI.array(of: OpenAPI.string)))]),
            OpenAPIOperation(.post, "/api/v1/commands/{type}", "Run any command of the core",
                             parameters: [OpenAPI.path("type", "The command type (GET /api/v1/commands lists them)", nonEmpty)], requestBody: command,
                             responses: [("200", OpenAPI.json("Accepted, or a repeat of an accepted commandId", OpenAPI.ref("CommandOutcome"))),
                                         ("404", OpenAPI.json("No such command type", OpenAPI.ref("CommandOutcome")))] + rejected),
            OpenAPIOperation(.post, "/api/v1/waves/plan", "Run the wave creator (and releaser) now",
                             parameters: [OpenAPI.query("release", "false: only create waves (default: warehouse.waves.release)", OpenAPI.boolean)],
                             responses: [("200", OpenAPI.json("The waves created and released", OpenAPI.ref("WaveRun"))),
                                         ("503", OpenAPI.error("The read models did not catch up in time"))]),
            aggregate("/api/v1/orders/{id}", "order", "Order", "id", example: "O-1"),
            aggregate("/api/v1/inventory/{sku}", "SKU's stock", "Inventory", "sku", example: "MUG", notFound: false),
            aggregate("/api/v1/tasks/{id}", "task", "Task", "id", example: "T-1"),
            aggregate("/api/v1/waves/{id}", "wave", "Wave", "id", example: "W-1"),
            aggregate("/api/v1/cartons/{id}", "carton", "Carton", "id", example: "C-1"),
            OpenAPIOperation(
                .post, "/api/v1/imports/{kind}", "Import a CSV file",
                description: "The body is the file itself. 200 with the report even when records were rejected; retrying an upload changes nothing.",
                parameters: [
                    OpenAPI.path("kind", "What the file holds", ["type": "string", "enum": ["orders", "items", "locations", "stock"]]),
                    OpenAPI.query("delimiter", "The field separator (default comma)", ["type": "string", "enum": ["comma", "semicolon", "tab", "pipe", ",", ";", "|"]]),
                    OpenAPI.query("file", "The file's name, for the report and the audit trail"),
                ],
                requestBody: ["required": true, "content": ["text/csv": ["schema": ["type": "string"]]]],
                responses: [
                    ("200", OpenAPI.json("The import report", OpenAPI.ref("ImportReport"))),
                    ("400", OpenAPI.error("An unknown delimiter")),
                    ("404", OpenAPI.error("Not an import kind")),
                    ("415", OpenAPI.error("A form instead of the file")),
                    ("422", OpenAPI.json("The file as a whole cannot be read: nothing imported", OpenAPI.ref("ImportFailure"))),
                    ("503", OpenAPI.error("This daemon has no mapping for the kind")),
                ]),
        ]
    }

    /// A path segment: never empty.
    static var nonEmpty: JSONValue { ["type": "string", "minLength": 1] }
}
